"""Aligning a translated text with the document it translates, paragraph by paragraph.

Never by guessing words: by kind, order and printed numbering first (the n-th preambular
paragraph of the translation is the n-th of the original; operative paragraph 4 bis is
operative paragraph 4 bis), then by structure (the same section headings, in the same order,
over the same paragraphs). What cannot be aligned that way is reported, never guessed.
Reservations align by delegation and order. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from workplan.model.document import ParagraphKind
from workplan.model.draft import Draft
from workplan.model.oas import FOLLOW_UP, OasDocument
from workplan.model.refs import compute_refs

_NUMBER = re.compile(r"(?:^|/)(?:OP|FU)(\d+(?: [a-z]+)?)$")


def _folded_number(number: str | None) -> str | None:
    """A printed number as compared: `4 bis`, `4bis` and `4 BIS` alike."""
    return re.sub(r"\s+", "", number).lower() if number else None


def ref_number(ref: str) -> str | None:
    """The number an operative or follow-up ref prints (`OP4 bis` → `4 bis`), else None."""
    m = _NUMBER.search(ref)
    return m[1] if m else None


@dataclass(frozen=True)
class Item:
    """A paragraph of one side: its kind, printed number, heading and text."""

    key: str
    """The original's uid, or the translation's index as a string."""
    kind: str
    """preambular, operative, follow-up or other."""
    text: str
    numbers: tuple[str | None, ...] = ()
    """The printed numbers it may be known by, folded (the original: as held, then as
    renumbered; the translation: as printed)."""
    heading: int | None = None
    """Index of the heading it stands under (None: none, or the follow-up heading)."""
    label: str = ""
    """How a report names it: `OP3` for the original, `line 14` for the translation."""
    notes: tuple[str, ...] = ()
    """Keys of the reservations it calls (the translation only)."""


@dataclass(frozen=True)
class Note:
    """A reservation of one side: who makes it, in which order."""

    key: str
    """The original's id (`R2`) or the translation's key."""
    delegation: str | None
    text: str


@dataclass
class Side:
    """One side of an alignment: its title, section headings (the follow-up heading apart),
    paragraphs and reservations, in reading order."""

    title: str | None
    headings: list[str]
    items: list[Item]
    notes: list[Note] = field(default_factory=list)
    follow_up: str | None = None
    """The follow-up heading, when there is one."""
    heading_keys: list[str] = field(default_factory=list)
    """The original's section ids, one per heading."""
    follow_up_key: str | None = None
    """The original's follow-up section id."""


def draft_side(draft: Draft, reservations: Sequence[Note] = ()) -> Side:
    """A draft as one side: its live paragraphs (deleted ones are not in the text), their
    section headings in the order an export prints them, and `reservations`."""
    live = [p for p in draft.paragraphs if not p.deleted]
    fresh = compute_refs(live, draft.sections, draft.document.numbering)
    headings: list[str] = []
    keys: list[str] = []
    follow_up: str | None = None
    follow_up_key: str | None = None
    index: dict[str, int] = {}
    items: list[Item] = []
    for p in live:
        path = draft.section_path(p.section)
        for s in path:
            if s.id == FOLLOW_UP:
                follow_up, follow_up_key = s.title, s.id
            elif s.id not in index:
                index[s.id] = len(headings)
                headings.append(s.title)
                keys.append(s.id)
        inner = path[-1].id if path else None
        ref = draft.ref(p.uid)
        items.append(
            Item(
                key=p.uid,
                kind=str(p.kind),
                text=p.text,
                numbers=(
                    _folded_number(ref_number(ref)),
                    _folded_number(ref_number(fresh.get(p.uid, ""))),
                ),
                heading=index.get(inner) if inner else None,
                label=ref,
            )
        )
    return Side(
        draft.document.title or None,
        headings,
        items,
        list(reservations),
        follow_up,
        keys,
        follow_up_key,
    )


def oas_side(doc: OasDocument) -> Side:
    """A text read by the OAS reader as one side: each paragraph under the heading it
    follows (headings read in order, so a heading printed twice is told apart by place)."""
    items: list[Item] = []
    at = 0
    for i, p in enumerate(doc.paragraphs):
        heading: int | None = None
        if p.section and p.section != FOLLOW_UP:
            found = [k for k in range(at, len(doc.headings)) if doc.headings[k] == p.section] or [
                k for k, h in enumerate(doc.headings) if h == p.section
            ]
            if found:
                heading = at = found[0]
        items.append(
            Item(
                key=str(i),
                kind=str(p.kind),
                text=p.text,
                numbers=(_folded_number(p.printed_number),),
                heading=heading,
                label=f"line {p.line}" if p.line else f"paragraph {i + 1}",
                notes=tuple(p.reservations),
            )
        )
    notes = [Note(r.key, r.delegation, r.text) for r in doc.reservations]
    return Side(doc.title, list(doc.headings), items, notes, doc.follow_up_heading)


@dataclass(frozen=True)
class Unaligned:
    """Something that could not be aligned, and why."""

    what: str
    """paragraph, reservation, heading or title."""
    original: str
    """How the original names it (`OP3`, `R2`), or empty for an extra in the translation."""
    translation: str
    """Where the translation has it (`line 14`), or empty when it is missing there."""
    why: str
    """missing in the translation, extra in the translation, kind mismatch, ..."""

    def describe(self) -> str:
        """One line: `OP3: missing in the translation`."""
        who = " / ".join(x for x in (self.original, self.translation) if x)
        return f"{who}: {self.why}" if who else self.why


@dataclass
class Alignment:
    """What aligned (original key → translation key) and what did not."""

    paragraphs: dict[str, str] = field(default_factory=dict)
    """The original's uid → the translation's item key."""
    reservations: dict[str, str] = field(default_factory=dict)
    """The original's reservation id → the translation's note key."""
    sections: dict[str, str] = field(default_factory=dict)
    """The original's section id → the translated heading."""
    title: str | None = None
    """The translated title, when both sides have one."""
    unaligned: list[Unaligned] = field(default_factory=list)
    """Everything that could not be aligned."""
    method: dict[str, str] = field(default_factory=dict)
    """How each kind was aligned: numbering, order, structure."""


def align(original: Side, translation: Side) -> Alignment:
    """Align `translation` with `original`: kind, order and numbering first, then structure."""
    out = Alignment()
    same_structure = len(original.headings) == len(translation.headings)
    if same_structure:
        out.sections = {k: translation.headings[i] for i, k in enumerate(original.heading_keys)}
        if original.follow_up_key and translation.follow_up:
            out.sections[original.follow_up_key] = translation.follow_up
    else:
        out.unaligned.append(
            Unaligned(
                "heading",
                "",
                "",
                f"{len(original.headings)} section headings in the original,"
                f" {len(translation.headings)} in the translation",
            )
        )
    if original.title and translation.title:
        out.title = translation.title
    o_items, t_items = list(original.items), list(translation.items)
    if len(o_items) == len(t_items):
        # Same length: a paragraph of another kind at the same place is a kind mismatch.
        for o, t in zip(o_items, t_items, strict=True):
            if o.kind != t.kind:
                out.unaligned.append(
                    Unaligned(
                        "paragraph",
                        o.label,
                        t.label,
                        f"kind mismatch: {o.kind} in the original, {t.kind} in the translation",
                    )
                )
        bad = {u.original for u in out.unaligned if u.what == "paragraph"}
        kept = [(o, t) for o, t in zip(o_items, t_items, strict=True) if o.label not in bad]
        o_items, t_items = [o for o, _ in kept], [t for _, t in kept]
    for kind in ParagraphKind:
        o_kind = [o for o in o_items if o.kind == kind]
        t_kind = [t for t in t_items if t.kind == kind]
        if o_kind or t_kind:
            _align_kind(str(kind), o_kind, t_kind, same_structure, out)
    _check_structure(original, translation, same_structure, out)
    _align_notes(original.notes, translation.notes, out)
    return out


def _align_kind(
    kind: str, o_items: list[Item], t_items: list[Item], structure: bool, out: Alignment
) -> None:
    """One kind's paragraphs: by printed number when the translation numbers them all and the
    numbers are the original's (as held, or as renumbered), else by order when the counts
    agree, else section by section."""
    numbered = kind in (ParagraphKind.OPERATIVE, ParagraphKind.FOLLOW_UP) and bool(t_items)
    if numbered and _align_by_number(kind, o_items, t_items, out):
        out.method[kind] = "numbering"
        return
    if not t_items:
        out.method[kind] = "none in the translation"
    elif len(o_items) == len(t_items):
        for o, t in zip(o_items, t_items, strict=True):
            out.paragraphs[o.key] = t.key
        out.method[kind] = "order"
        return
    else:
        out.method[kind] = "structure"
    _align_by_section(kind, o_items, t_items, structure, out)


def _align_by_number(kind: str, o_items: list[Item], t_items: list[Item], out: Alignment) -> bool:
    """Align by the printed numbers when one of the original's numberings is the one the
    translation prints (each number once, most of them known); False when none is."""
    printed = [t.numbers[0] if t.numbers else None for t in t_items]
    if None in printed or len(set(printed)) != len(printed):
        return False
    for column in range(max((len(o.numbers) for o in o_items), default=0)):
        known = [o.numbers[column] if len(o.numbers) > column else None for o in o_items]
        if None in known or len(set(known)) != len(known):
            continue
        by_number = dict(zip(known, o_items, strict=True))
        if sum(n in by_number for n in printed) * 2 <= len(printed):
            continue  # mostly other numbers: this numbering is not the one printed
        matched: set[str] = set()
        for number, t in zip(printed, t_items, strict=True):
            o = by_number.get(number)
            if o is None:
                why = f"extra {kind} paragraph {number} in the translation"
                out.unaligned.append(Unaligned("paragraph", "", t.label, why))
                continue
            out.paragraphs[o.key] = t.key
            matched.add(o.key)
        for o in o_items:
            if o.key not in matched:
                out.unaligned.append(
                    Unaligned("paragraph", o.label, "", "missing in the translation")
                )
        return True
    return False


def _align_by_section(
    kind: str, o_items: list[Item], t_items: list[Item], structure: bool, out: Alignment
) -> None:
    """Align heading by heading (the whole text as one group without structure): a group
    whose counts agree aligns by order; any other is reported, never guessed."""
    groups: dict[int | None, tuple[list[Item], list[Item]]] = defaultdict(lambda: ([], []))
    for o in o_items:
        groups[o.heading if structure else None][0].append(o)
    for t in t_items:
        groups[t.heading if structure else None][1].append(t)
    for os, ts in groups.values():
        if len(os) == len(ts):
            for o, t in zip(os, ts, strict=True):
                out.paragraphs[o.key] = t.key
            continue
        fewer = len(ts) < len(os)
        if not ts:
            why = "missing in the translation"
        elif not os:
            why = f"extra {kind} paragraph in the translation"
        else:
            why = (
                f"{len(os)} {kind} paragraphs here in the original, {len(ts)} in the"
                " translation: which one is "
                + ("missing" if fewer else "extra")
                + " cannot be told without guessing"
            )
        for o in os:
            out.unaligned.append(Unaligned("paragraph", o.label, "", why))
        for t in ts:
            out.unaligned.append(Unaligned("paragraph", "", t.label, why))


def _check_structure(original: Side, translation: Side, structure: bool, out: Alignment) -> None:
    """An aligned pair standing under different headings is not aligned after all."""
    if not structure:
        return
    o_by = {o.key: o for o in original.items}
    t_by = {t.key: t for t in translation.items}
    for uid, key in list(out.paragraphs.items()):
        o, t = o_by[uid], t_by[key]
        if o.heading != t.heading:
            del out.paragraphs[uid]
            out.unaligned.append(
                Unaligned(
                    "paragraph",
                    o.label,
                    t.label,
                    "stands under another section heading in the translation",
                )
            )


def _align_notes(o_notes: list[Note], t_notes: list[Note], out: Alignment) -> None:
    """Reservations: the n-th of a delegation in the translation is its n-th in the original."""
    o_by: dict[str, list[Note]] = defaultdict(list)
    t_by: dict[str, list[Note]] = defaultdict(list)
    for n in o_notes:
        o_by[n.delegation or ""].append(n)
    for n in t_notes:
        t_by[n.delegation or ""].append(n)
    for who in dict.fromkeys([*o_by, *t_by]):
        os, ts = o_by.get(who, []), t_by.get(who, [])
        for o, t in zip(os, ts, strict=False):
            out.reservations[o.key] = t.key
        named = who or "unattributed"
        for o in os[len(ts) :]:
            out.unaligned.append(
                Unaligned("reservation", o.key, "", f"{named}: missing in the translation")
            )
        for t in ts[len(os) :]:
            out.unaligned.append(
                Unaligned("reservation", "", t.key, f"{named}: extra in the translation")
            )
