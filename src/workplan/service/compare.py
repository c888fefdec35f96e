"""Comparing drafts: revisions, the working draft, plans and files, through the diff engine."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from workplan.errors import NotFoundError, UsageError
from workplan.model.diff import DraftDiff, ParaIn
from workplan.service.core import Session
from workplan.service.files import Side as Side
from workplan.service.files import compare_files as compare_files
from workplan.service.files import from_draft as _from_draft
from workplan.service.negotiation_base import Negotiations
from workplan.service.revisions import Revisions, revision_number


def reservation_label(rid: str, delegation: str | None, names: Mapping[str, str]) -> str:
    """`R2 (Jamaica)`: a reservation as a comparison names it (`R2` alone for an imported
    footnote that names no delegation)."""
    if not delegation:
        return rid
    return f"{rid} ({names.get(delegation, delegation)})"


def _annotate(diff: DraftDiff, a: Side, b: Side) -> None:
    """Give each paragraph on both sides its status on each side and the reservations
    attached or detached between them (two sides of one document only)."""
    on_a = {p.uid: p for p in a.paragraphs}
    on_b = {p.uid: p for p in b.paragraphs}
    for d in diff.paragraphs:
        pa = on_a.get(d.a_uid) if d.a_uid else None
        pb = on_b.get(d.b_uid) if d.b_uid else None
        if pa is None or pb is None:
            continue
        d.a_status, d.b_status = pa.status, pb.status
        d.reservations_added = tuple(r for r in pb.reservations if r not in pa.reservations)
        d.reservations_removed = tuple(r for r in pa.reservations if r not in pb.reservations)


class Compare:
    """Diffs between revisions, drafts, plans and files."""

    def __init__(self, session: Session, negotiations: Negotiations, revisions: Revisions) -> None:
        self.session = session
        self.negotiations = negotiations
        self.revisions = revisions

    def side(self, doc_id: str, spec: str) -> Side:
        """A side named `draft`, `rev. N` / `N`, or another document's id."""
        s = spec.strip().lower()
        names = self.session.delegation_names()
        if s in ("draft", "working", "current"):
            neg = self.negotiations.load(doc_id)
            reserved = {
                p.uid: tuple(
                    reservation_label(r.id, r.delegation, names) for r in neg.reservations_on(p.uid)
                )
                for p in neg.draft.paragraphs
            }
            return _from_draft(
                neg.draft, f"{doc_id} (working draft)", neg.statuses(self.session.now()), reserved
            )
        number = revision_number(s)
        if number is not None:
            rev = self.revisions.revision(doc_id, s)
            paras = [
                ParaIn(
                    uid=p["uid"],
                    ref=p["ref"],
                    text=p["text"],
                    lineage_uid=p["lineage"].split("/", 1)[1] if p.get("lineage") else None,
                    section=p.get("section"),
                    status=p.get("status") or "",
                    reservations=tuple(
                        reservation_label(r["id"], r["delegation"], names)
                        for r in p.get("reservations") or []
                    ),
                )
                for p in rev.snapshot["paragraphs"]
                if p["status"] != "deleted"
            ]
            return Side(rev.symbol, doc_id, paras)
        return _from_draft(self.session.draft(spec.strip()), spec.strip())

    def compare(
        self, doc_id: str, a: str | None = None, b: str | None = None
    ) -> tuple[Side, Side, DraftDiff]:
        """Diff side A against side B (defaults: last revision vs the working draft)."""
        from workplan.diffing import diff_paragraphs

        if a is None:
            revs = self.revisions.revisions(doc_id)
            if not revs:
                raise UsageError(
                    f"{doc_id} has no revision yet: name two sides, e.g. `diff "
                    f"{self.session.draft(doc_id).document.derived_from or 'OTHER-DOC'} draft`"
                )
            a = str(revs[-1].number)
        side_a, side_b = self.side(doc_id, a), self.side(doc_id, b or "draft")
        same = side_a.document == side_b.document
        if not same:
            # A plan against the plan it was started from (either way round): by lineage.
            side_a, side_b = _link_lineage(side_a, side_b)
        diff = diff_paragraphs(side_a.paragraphs, side_b.paragraphs, by_lineage=True)
        if same:  # statuses and reservations compare only within one document
            _annotate(diff, side_a, side_b)
        return side_a, side_b, diff

    def compare_files(self, x: str | Path, y: str | Path) -> tuple[Side, Side, DraftDiff]:
        """Diff two files of any importable format, aligned by content."""
        return compare_files(x, y)

    def lineage(self, doc_id: str) -> tuple[Side, Side, DraftDiff]:
        """What a plan carried over from the plan it was started from."""
        doc = self.session.draft(doc_id).document
        if not doc.derived_from:
            raise NotFoundError(f"{doc_id} was not started from another document")
        return self.compare(doc_id, doc.derived_from, "draft")


def _link_lineage(a: Side, b: Side) -> tuple[Side, Side]:
    """Keep lineage only where it points at the other side's document."""

    def keep(side: Side, other: Side) -> Side:
        uids = {p.uid for p in other.paragraphs}
        return Side(
            side.label,
            side.document,
            [
                p.model_copy(
                    update={"lineage_uid": p.lineage_uid if p.lineage_uid in uids else None}
                )
                for p in side.paragraphs
            ],
        )

    return keep(a, b), keep(b, a)
