"""The redline export: revision A to revision B as tracked changes, each change attributed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from workplan.errors import UsageError
from workplan.footnotes import FootnoteSource, note_sources, plan_footnotes
from workplan.formats.export import Block, ExportDoc, Segment, Style
from workplan.model import Section
from workplan.model.document import Document
from workplan.model.negotiation import AmendmentKind, AmendmentStatus
from workplan.model.note import Note
from workplan.service.compare import Compare, Side
from workplan.service.core import Session
from workplan.service.exports import Exports, Masthead, printed_number, titled
from workplan.service.negotiation_base import Negotiations
from workplan.service.revisions import Revisions
from workplan.store import notes as store_notes

if TYPE_CHECKING:  # the engine (and the diff engine under it) is imported when a redline is made
    from workplan.redline import By, Run, Step

EDITORIAL = "Secretariat"
_STYLE: dict[str, Style] = {"=": "plain", "+": "ins", "-": "del"}


@dataclass(frozen=True, slots=True)
class _Item:
    """A heading or a paragraph of one side."""

    key: str
    text: str
    level: int = 0
    """Heading level; 0 for a paragraph."""
    ref: str = ""


@dataclass
class _Structural:
    """Who inserted, deleted or moved each paragraph, and which were moved."""

    by: dict[str, By] = field(default_factory=dict)
    moved: set[str] = field(default_factory=set)


def _items(side: Side, sections: list[Section]) -> list[_Item]:
    """A side's headings (each before its first paragraph) and paragraphs, in reading order."""
    by_id = {s.id: s for s in sections}
    items: list[_Item] = []
    shown: set[str] = set()
    for p in side.paragraphs:
        path: list[Section] = []
        sid = p.section
        while sid in by_id and by_id[sid] not in path:
            path.insert(0, by_id[sid])
            sid = by_id[sid].parent
        for depth, s in enumerate(path, start=1):
            if s.id not in shown:
                shown.add(s.id)
                items.append(_Item(key=f"§{s.id}", text=s.title, level=depth))
        items.append(_Item(key=p.uid, text=p.text, ref=p.ref))
    return items


def _label(ref: str, op: str, by: By | None) -> list[Segment]:
    """The printed number of an operative or follow-up paragraph (`12.`); none for the others,
    whose refs (`PP3`, `OBJ2`) are the tool's names, never printed."""
    number = printed_number(ref)
    if not number:
        return []
    author, date = by or ("", "")
    return [Segment(text=f"{number}.", style=_STYLE[op], author=author, date=date)]


def _segments(runs: list[Run]) -> list[Segment]:
    return [
        Segment(
            text=r.text,
            style=_STYLE[r.op],
            author=r.by[0] if r.by else "",
            date=r.by[1] if r.by else "",
        )
        for r in runs
    ]


class Redline:
    """The redline between two sides of a document's history."""

    def __init__(
        self,
        session: Session,
        negotiations: Negotiations,
        revisions: Revisions,
        compare: Compare,
        exports: Exports,
    ) -> None:
        self.session = session
        self.negotiations = negotiations
        self.revisions = revisions
        self.compare = compare
        self.exports = exports

    def export_redline(self, doc_id: str, a: str, b: str) -> ExportDoc:
        """From side A to side B as tracked changes: each inserted or deleted word run is
        authored by the delegations whose accepted amendment made it (the Secretariat for
        editorial changes such as renumbering) and dated when it was accepted. Accepting every
        change gives B's text paragraph by paragraph, rejecting every change gives A's."""
        from workplan.diffing import diff_paragraphs
        from workplan.redline import attribute, interleave, side_a, side_b

        one, two = self.compare.side(doc_id, a), self.compare.side(doc_id, b)
        if one.document != two.document and not (a and b):
            raise UsageError("name both sides of the redline")
        start, end = self._window(doc_id, a), self._window(doc_id, b)
        editorial: By = (EDITORIAL, end.isoformat(timespec="seconds"))
        steps, structural = self._chains(doc_id, start, end)
        sections_a, _ = self._extras(doc_id, a)
        sections_b, notes = self._extras(doc_id, b)
        items_a, items_b = _items(one, sections_a), _items(two, sections_b)
        at_a = {it.key: i for i, it in enumerate(items_a)}
        at_b = {it.key: j for j, it in enumerate(items_b)}
        pairs = {at_a[it.key]: at_b[it.key] for it in items_a if it.level and it.key in at_b}
        diff = diff_paragraphs(one.paragraphs, two.paragraphs, by_lineage=True)
        for pd in diff.paragraphs:
            if pd.a_uid is not None and pd.b_uid is not None:
                pairs[at_a[pd.a_uid]] = at_b[pd.b_uid]
        moves = frozenset(i for i, j in pairs.items() if items_b[j].key in structural.moved)
        back = {j: i for i, j in pairs.items()}
        blocks: list[Block] = []
        sources: list[tuple[str, list[FootnoteSource]]] = []
        for i, j in interleave(len(items_a), len(items_b), pairs, moves):
            ia = items_a[i] if i is not None else items_a[back[j]] if j in back else None
            ib = items_b[j] if j is not None else items_b[pairs[i]] if i in pairs else None
            item = ib or ia
            assert item is not None
            lone = ia is None or ib is None  # inserted or deleted, not a pair
            mover = structural.by.get(item.key, editorial)
            runs = attribute(
                ia.text if ia else "",
                ib.text if ib else "",
                steps.get(item.key, []),
                mover if lone else editorial,
            )
            ref_a, ref_b = (ia.ref if ia else ""), (ib.ref if ib else "")
            if i is not None and j is not None:
                same = ref_a == ref_b
                label = _label(ref_b, "=", None) if same else _label(ref_a, "-", editorial)
                label += [] if same else _label(ref_b, "+", editorial)
            elif j is None:
                runs, label = side_a(runs, mover), _label(ref_a, "-", mover)
            else:
                runs, label = side_b(runs, mover), _label(ref_b, "+", mover)
            if item.level:
                blocks.append(Block(kind="heading", level=item.level, segments=_segments(runs)))
                continue
            key = item.key if j is not None else f"{item.key}~"
            blocks.append(Block(kind="paragraph", key=key, label=label, segments=_segments(runs)))
            if j is not None:
                sources.append((key, notes.get(item.key, [])))
        head = self._side_header(doc_id, b)
        frozen = len(_revision_numbers(a, b)) == 2  # between two revisions: reprints exactly
        closing, properties = self.exports.closing(
            doc_id, _revision_numbers(a, b), current=not frozen
        )
        changes = f"changes from {self._side_name(doc_id, a)} to {self._side_name(doc_id, b)}"
        return ExportDoc(
            organ=head.organ,
            header=head.header,
            title=titled(head.title, changes),
            blocks=blocks,
            footnotes=plan_footnotes(sources),
            closing=closing,
            properties=properties,
            at=head.at,
        )

    def _side_name(self, doc_id: str, spec: str) -> str:
        """A side as a redline's title names it: `rev. 2`, `the working draft`, or another
        document by its title."""
        numbers = _revision_numbers(spec)
        if numbers:
            return f"rev. {numbers[0]}"
        s = spec.strip()
        if s.lower() in ("draft", "working", "current") or s == doc_id:
            return "the working draft"
        other = self.session.draft(s).document
        return f"the {other.title}" if other.title else s

    def _side_header(self, doc_id: str, spec: str) -> Masthead:
        """The header of the text a redline leads to: revision B as frozen, the working draft
        now, or another document (the predecessor plan) as it stands."""
        if _revision_numbers(spec):
            rev = self.revisions.revision(doc_id, spec.strip())
            return self.exports.header(Document.model_validate(rev.snapshot["document"]), rev)
        s = spec.strip()
        other = s if s.lower() not in ("draft", "working", "current") else doc_id
        return self.exports.header(self.session.draft(other).document)

    def _chains(
        self, doc_id: str, start: datetime, end: datetime
    ) -> tuple[dict[str, list[Step]], _Structural]:
        """Per paragraph uid, the text steps of the amendments accepted in (start, end], in
        order; and who inserted, deleted or moved each paragraph."""
        from workplan.redline import Step

        names = self.session.delegation_names()
        steps: dict[str, list[Step]] = {}
        structural = _Structural()
        accepted = [
            am
            for am in self.negotiations.load(doc_id).amendments
            if am.status == AmendmentStatus.ACCEPTED
            and am.decided_at is not None
            and start < am.decided_at <= end
        ]
        for am in sorted(accepted, key=lambda x: (x.decided_at, x.id)):
            by = (
                ", ".join(names.get(c, c) for c in am.sponsors),
                am.decided_at.isoformat(timespec="seconds") if am.decided_at else "",
            )
            uid = str(am.result_uid if am.kind == AmendmentKind.INSERT else am.target)
            if am.kind == AmendmentKind.MODIFY:
                steps.setdefault(uid, []).append(Step(text=am.text, by=by, base=am.base_text))
                continue
            structural.by[uid] = by
            if am.kind == AmendmentKind.INSERT:
                steps.setdefault(uid, []).append(Step(text=am.text, by=by, base=""))
            elif am.kind == AmendmentKind.DELETE:
                steps.setdefault(uid, []).append(Step(text="", by=by))
            else:
                structural.moved.add(uid)
        return steps, structural

    def _extras(
        self, doc_id: str, spec: str
    ) -> tuple[list[Section], dict[str, list[FootnoteSource]]]:
        """A side's sections and the reservations standing on each of its paragraphs."""
        s = spec.strip().lower()
        number = s.removeprefix("rev.").removeprefix("rev").strip()
        if number.isdigit():
            snap = self.revisions.revision(doc_id, number).snapshot
            notes = {
                p["uid"]: [
                    FootnoteSource(
                        reservation=r["id"], delegation=r.get("delegation") or "", text=r["text"]
                    )
                    for r in p.get("reservations", [])
                ]
                for p in snap["paragraphs"]
            }
            frozen = [Note.model_validate(n) for n in snap.get("notes") or []]
            return [Section.model_validate(x) for x in snap.get("sections", [])], _noted(
                notes, note_sources(frozen)
            )
        neg = self.negotiations.load(
            doc_id if s in ("draft", "working", "current") else spec.strip()
        )
        notes = {
            p.uid: [
                FootnoteSource(reservation=r.id, delegation=r.delegation or "", text=r.text)
                for r in neg.reservations_on(p.uid)
            ]
            for p in neg.draft.paragraphs
        }
        live = store_notes.notes(self.session.db, neg.draft.document.id)
        return neg.draft.sections, _noted(notes, note_sources(live))

    def _window(self, doc_id: str, spec: str) -> datetime:
        s = spec.strip().lower().removeprefix("rev.").removeprefix("rev").strip()
        if s.isdigit():
            return self.revisions.revision(doc_id, s).at
        if spec.strip().lower() in ("draft", "working", "current"):
            return self.session.now()
        return datetime.min.replace(tzinfo=self.session.now().tzinfo)


def _revision_numbers(*specs: str) -> tuple[int, ...]:
    """The revision numbers among redline sides ("rev. 2", "2"); drafts and plans are none."""
    numbers = []
    for spec in specs:
        s = spec.strip().lower().removeprefix("rev.").removeprefix("rev").strip()
        if s.isdigit():
            numbers.append(int(s))
    return tuple(numbers)


def _noted(
    reservations: dict[str, list[FootnoteSource]], notes: dict[str, list[FootnoteSource]]
) -> dict[str, list[FootnoteSource]]:
    """Each paragraph's notes, then its reservations (as the other exports call them)."""
    return {uid: [*notes.get(uid, []), *found] for uid, found in reservations.items()}
