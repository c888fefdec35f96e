"""Printed references: computed from kind and order, never stored."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Protocol

from workplan.errors import InputError, NotFoundError
from workplan.model.vocab import Numbering, ParagraphKind

PREFIX = {
    ParagraphKind.PREAMBULAR: "PP",
    ParagraphKind.OPERATIVE: "OP",
    ParagraphKind.FOLLOW_UP: "FU",
}


class Sectioned(Protocol):
    """What numbering needs of a section (a `Section`, or a read object)."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def position(self) -> int: ...

    @property
    def parent(self) -> str | None: ...


def root_of(section: str | None, sections: Mapping[str, Sectioned]) -> str | None:
    """The top-level section that holds `section`."""
    seen: set[str] = set()
    while section is not None and section in sections and sections[section].parent:
        if section in seen:
            break
        seen.add(section)
        section = sections[section].parent
    return section


class Numbered(Protocol):
    """What numbering needs of a paragraph (a `Paragraph`, or a lighter row)."""

    @property
    def uid(self) -> str: ...

    @property
    def kind(self) -> ParagraphKind: ...

    @property
    def section(self) -> str | None: ...

    @property
    def position(self) -> int: ...

    @property
    def deleted(self) -> bool: ...


#: Latin ordinals for paragraphs inserted after a numbered one, in UN and OAS practice.
LATIN = (
    "bis",
    "ter",
    "quater",
    "quinquies",
    "sexies",
    "septies",
    "octies",
    "novies",
    "decies",
    "undecies",
    "duodecies",
    "terdecies",
    "quaterdecies",
    "quindecies",
    "sexdecies",
    "septdecies",
    "octodecies",
    "novodecies",
    "vicies",
)
_LATIN_INDEX = {word: i + 1 for i, word in enumerate(LATIN)}
_SUFFIX = "|".join(sorted(LATIN, key=len, reverse=True))
_REF = re.compile(
    rf"^(?:(?P<sec>[a-z0-9][a-z0-9-]*)/)?\s*(?P<pre>[a-z]{{1,12}})?\s*(?P<n>\d{{1,7}})"
    rf"(?:\s*(?P<suf>{_SUFFIX}|-\d{{1,4}}))?$",
    re.IGNORECASE,
)


def ordinal(k: int) -> str:
    """The suffix of the k-th paragraph inserted after a numbered one: bis, ter, … (then -20)."""
    return LATIN[k - 1] if k <= len(LATIN) else f"-{k}"


def section_prefix(title: str) -> str:
    """The letters naming unnumbered paragraphs of a section: its initials, or three letters.

    "Guiding principles" gives `GP`, "Objectives" `OBJ`, "Principios rectores" `PR`.
    """
    plain = unicodedata.normalize("NFKD", title)
    words = [
        "".join(c for c in w if c.isascii() and c.isalpha())
        for w in plain.split()
        if w.lower() not in _SMALL_WORDS
    ]
    words = [w for w in words if w]
    if not words:
        return "TXT"
    if len(words) == 1:
        return words[0][:3].upper()
    return "".join(w[0] for w in words).upper()[:6]


_SMALL_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "for",
        "in",
        "of",
        "on",
        "the",
        "to",
        "with",
        "y",
        "de",
        "del",
        "la",
        "las",
        "los",
        "el",
        "en",
        "para",
        "por",
        "et",
        "des",
        "du",
        "le",
        "les",
        "e",
        "do",
        "da",
        "dos",
        "das",
    ]
)


def _other_prefixes(sections: Sequence[Sectioned]) -> dict[str | None, str]:
    """section id → the letters naming its unnumbered paragraphs, unique within the document."""
    taken = set(PREFIX.values()) | {"TXT"}
    out: dict[str | None, str] = {None: "TXT"}
    for s in sorted(sections, key=lambda s: s.position):
        base = section_prefix(s.title)
        prefix, n = base, 1
        while prefix in taken:
            n += 1
            prefix = f"{base}{chr(ord('A') + n - 1)}" if n <= 26 else f"{base}{n}"
        taken.add(prefix)
        out[s.id] = prefix
    return out


def compute_refs(
    paragraphs: Sequence[Numbered],
    sections: Sequence[Sectioned],
    numbering: Numbering,
    *,
    count_deleted: bool = False,
) -> dict[str, str]:
    """Map uid → printed ref, numbering afresh (`PP3`, `OP12`, `FU1`, `prevention/OP3`, `GP2`).

    Paragraphs of kind `other` are numbered within their section, with the section's letters
    (`OBJ3`, `GP2`, see `section_prefix`). Deleted paragraphs get no ref (an empty string),
    unless `count_deleted`: then they keep their number, so no later paragraph takes it.
    """
    by_id = {s.id: s for s in sections}
    others = _other_prefixes(sections)
    counters: dict[tuple[str, str | None], int] = {}
    refs: dict[str, str] = {}
    for p in sorted(paragraphs, key=lambda p: p.position):
        if p.deleted and not count_deleted:
            refs[p.uid] = ""
            continue
        prefix, scope = _prefix_scope(p, by_id, others, numbering)
        key = (prefix, scope)
        counters[key] = counters.get(key, 0) + 1
        ref = f"{prefix}{counters[key]}"
        refs[p.uid] = f"{scope}/{ref}" if scope and p.kind != ParagraphKind.OTHER else ref
    return refs


def _prefix_scope(
    p: Numbered,
    by_id: Mapping[str, Sectioned],
    others: dict[str | None, str],
    numbering: Numbering,
) -> tuple[str, str | None]:
    prefix = PREFIX.get(p.kind)
    if prefix is None:
        section = p.section if p.section in others else None
        return others[section], section
    if p.kind == ParagraphKind.OPERATIVE and numbering == Numbering.PER_SECTION:
        return prefix, root_of(p.section, by_id)
    return prefix, None


def held_refs(
    paragraphs: Sequence[Numbered],
    sections: Sequence[Sectioned],
    numbering: Numbering,
    base: dict[str, str] | None,
) -> dict[str, str]:
    """Refs that hold still while a text is negotiated: uid → ref.

    `base` maps the paragraphs of the text on the table (the last revision, or the document as
    it was started) to their numbers there; they keep them, whatever is inserted, deleted or
    moved. A paragraph inserted since keeps the ref it got when it was inserted (stored with
    it); one without is given it here by the same rule (`insertion_ref`: `OP4 bis`, `OP4
    ter`; before OP1 `OP0 bis`). A deleted paragraph's number is not reused. Without a base,
    numbers are computed afresh.
    """
    if base is None:
        return compute_refs(paragraphs, sections, numbering)
    held = dict(base)
    for p in sorted(paragraphs, key=lambda p: p.position):
        if p.uid not in held and not p.deleted:  # inserted since, its ref not yet stored
            held[p.uid] = insertion_ref(paragraphs, sections, numbering, held, p)
    return {p.uid: "" if p.deleted else held.get(p.uid, "") for p in paragraphs}


def insertion_ref(
    paragraphs: Sequence[Numbered],
    sections: Sequence[Sectioned],
    numbering: Numbering,
    held: dict[str, str],
    new: Numbered,
) -> str:
    """The ref a paragraph inserted now at `new.position` keeps until the next revision.

    It follows the highest number of its series before it (`OP4`, or `OP4` again after `OP4
    bis`) with the first Latin ordinal no paragraph holds, deleted ones included: `OP4 bis`,
    then `OP4 ter`, wherever among them it lands; before the series' first number, `OP0 bis`.
    Refs already held never change. `paragraphs` are the others, positions as before the
    insertion; `held` their refs (a paragraph holding none, `new` among them, is passed over).
    """
    by_id = {s.id: s for s in sections}
    others = _other_prefixes(sections)
    series = _prefix_scope(new, by_id, others, numbering)
    best: tuple[int, str] | None = None
    for p in sorted(paragraphs, key=lambda p: p.position):
        if p.position >= new.position:
            break
        ref = held.get(p.uid)
        if not ref or _prefix_scope(p, by_id, others, numbering) != series:
            continue
        n = _parts(ref)[2]
        if best is None or n >= best[0]:
            best = (n, ref.split(" ")[0])
    if best is None:
        prefix, scope = series
        anchor = f"{scope}/{prefix}0" if scope and new.kind != ParagraphKind.OTHER else f"{prefix}0"
    else:
        anchor = best[1]
    taken = set(held.values())
    k = 1
    while f"{anchor} {ordinal(k)}" in taken:
        k += 1
    return f"{anchor} {ordinal(k)}"


def printed_refs(
    operative: Sequence[tuple[str, str | None, str]], sections: Sequence[Sectioned]
) -> tuple[Numbering, dict[str, str]] | None:
    """The refs a text's printed operative numbers give, and the numbering they show:
    `operative` is (uid, section id, printed number) for each operative paragraph in order.
    Numbers naming each paragraph once through the text (`1, 2, 2 bis, 3`) give `OP2 bis`,
    continuous; numbers that restart under each top-level heading and name each paragraph
    once in it give `prevention/OP1`, per section. None when the numbers name no paragraph
    unambiguously (a number printed twice, an unreadable number)."""
    refs = [canonical_ref(f"OP{n}") for _, _, n in operative]
    if not operative or None in refs:
        return None
    uids = [u for u, _, _ in operative]
    if len(set(refs)) == len(refs):
        return Numbering.CONTINUOUS, dict(zip(uids, [r or "" for r in refs], strict=True))
    by_id = {s.id: s for s in sections}
    scoped = []
    for (_, sec, _), ref in zip(operative, refs, strict=True):
        root = root_of(sec, by_id)
        scoped.append(f"{root}/{ref}" if root else ref or "")
    if len(set(scoped)) != len(scoped):
        return None
    return Numbering.PER_SECTION, dict(zip(uids, scoped, strict=True))


def canonical_ref(ref: str) -> str | None:
    """The ref as printed (`OP4 bis`) for any way of writing it (`op 4bis`, `4 bis`), or None."""
    m = _REF.match(ref.strip())
    if not m:
        return None
    prefix = (m["pre"] or "OP").upper()
    wanted = f"{prefix}{int(m['n'])}"
    suffix = (m["suf"] or "").lower()
    if suffix:
        wanted += f" {suffix}" if suffix in _LATIN_INDEX else suffix
    if m["sec"]:
        wanted = f"{m['sec'].lower()}/{wanted}"
    return wanted


def _parts(ref: str) -> tuple[str, str, int, int]:
    """(scope, prefix, number, inserted-after index) of a canonical ref, for nearness."""
    scope, _, tail = ref.rpartition("/")
    m = re.match(r"([A-Z]+)(\d+)(?: (\w+)|(-\d+))?$", tail)
    if not m:
        return scope, tail, 0, 0
    k = _LATIN_INDEX.get(m[3] or "", 0) if m[3] else (int(m[4][1:]) if m[4] else 0)
    return scope, m[1], int(m[2]), k


def nearest_refs(wanted: str, refs: dict[str, str], limit: int = 2) -> list[str]:
    """The printed refs closest to `wanted` (same series, nearest number, then suffix)."""
    w_scope, w_pre, w_n, w_k = _parts(wanted)
    scored = []
    for ref in set(refs.values()):
        if not ref:
            continue
        scope, pre, n, k = _parts(ref)
        if pre != w_pre:
            continue
        score = abs(n - w_n) * 10 + abs(k - w_k) + (5 if scope != w_scope and w_scope else 0)
        if score <= 20:
            scored.append((score, n, k, ref))
    return [r for *_, r in sorted(scored)[:limit]]


def resolve_ref(ref: str, refs: dict[str, str], document: str) -> str:
    """Return the uid a printed ref or uid points at.

    Accepts `OP12`, `op 12`, bare `12` (operative), `PP3`, `FU2`, `OP4 bis` (`OP4bis`,
    `op 4 bis`, `4 bis`), `GP2`, `section/OP3`, or a uid. An unknown ref is answered with the
    nearest ones.
    """
    ref = ref.strip()
    if ref in refs:
        return ref
    wanted = canonical_ref(ref)
    if wanted is None:
        raise NotFoundError(f"no paragraph {ref[:40]!r} in {document}")
    if "/" in wanted:
        matches = [uid for uid, r in refs.items() if r == wanted]
    else:
        matches = [uid for uid, r in refs.items() if r == wanted or r.endswith("/" + wanted)]
    if not matches:
        near = nearest_refs(wanted, refs)
        hint = f"; did you mean {' or '.join(near)}?" if near else ""
        raise NotFoundError(f"no paragraph {ref[:40]!r} in {document}{hint}")
    if len(matches) > 1:
        options = ", ".join(refs[u] for u in matches)
        raise InputError(f"{ref[:40]!r} is ambiguous in {document}: say which ({options})")
    return matches[0]
