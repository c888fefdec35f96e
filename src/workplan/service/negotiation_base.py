"""Shared helpers of the negotiation actions: loading state, versions, silence, status."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from workplan.consensus import paragraph_state
from workplan.errors import ConflictError, InputError, NotFoundError, ProcedureError
from workplan.model import Decision, Draft, Paragraph
from workplan.model.negotiation import (
    Amendment,
    ParagraphState,
    Position,
    Reservation,
    Stance,
    Status,
)
from workplan.service.core import Recorder, ServiceBase
from workplan.store import documents as store_documents
from workplan.store import events as store_events
from workplan.store import negotiation as store_neg
from workplan.store import rows, transaction
from workplan.store.negotiation import PositionRow


class StanceRow(NamedTuple):
    """What the consensus rules need of a position."""

    delegation: str
    stance: str


class PositionsByTarget(Mapping[str, list[Position]]):
    """Positions per target (paragraph uid or amendment id), as models built on first use.

    Rows are read on demand: one indexed query per target while few targets are asked for (an
    action touches one or two), then every row of the document at once (a screen or a listing
    asks for all of them). Read within one transaction, or once, so they are one snapshot.
    """

    BULK_AFTER = 16
    """After this many single-target reads, read the whole document's positions instead."""

    def __init__(
        self,
        document: str,
        all_rows: Callable[[], dict[str, list[PositionRow]]],
        target_rows: Callable[[str], list[PositionRow]] | None = None,
    ) -> None:
        self._document = document
        self._all_rows = all_rows
        self._target_rows = target_rows
        self._rows: dict[str, list[PositionRow]] | None = None
        self._some: dict[str, list[PositionRow]] = {}
        self._built: dict[str, list[Position]] = {}

    def load_all(self) -> dict[str, list[PositionRow]]:
        """Every target's rows (read once)."""
        if self._rows is None:
            self._rows = self._all_rows()
            self._some.clear()
        return self._rows

    def rows(self, target: str) -> list[PositionRow]:
        """The stored rows on one target ([] when there are none)."""
        if self._rows is not None:
            return self._rows.get(target, [])
        if target in self._some:
            return self._some[target]
        if self._target_rows is None or len(self._some) >= self.BULK_AFTER:
            return self.load_all().get(target, [])
        self._some[target] = found = self._target_rows(target)
        return found

    def __getitem__(self, target: str) -> list[Position]:
        """The positions on a target ([] when there are none, like a defaultdict)."""
        if target not in self._built:
            self._built[target] = [
                Position.model_construct(
                    document=self._document,
                    target=target,
                    delegation=d,
                    stance=Stance(s),
                    comment=c,
                    at=datetime.fromisoformat(a),
                )
                for d, s, c, a in self.rows(target)
            ]
        return self._built[target]

    def get(self, target: str, default: Any = None) -> Any:  # type: ignore[override]
        """Like `self[target]`, never reading all rows for it."""
        return self[target] if self.rows(target) else ([] if default is None else default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.load_all())

    def __len__(self) -> int:
        return len(self.load_all())

    def stances(self, target: str) -> list[StanceRow]:
        """(delegation, stance) pairs on a target, without building models."""
        return [StanceRow(d, s) for d, s, _, _ in self.rows(target)]


@dataclass
class Negotiation:
    """A document's draft with everything negotiated on it, loaded in a few queries."""

    draft: Draft
    amendments: list[Amendment]
    positions_on: PositionsByTarget
    reservations: list[Reservation]
    by_target: dict[str, list[Amendment]] = field(default_factory=dict)
    _reserved: dict[str, list[Reservation]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_target = defaultdict(list)
        for a in self.amendments:
            self.by_target[a.target].append(a)
        self._reserved = defaultdict(list)
        for r in self.reservations:
            if not r.withdrawn:
                for uid in r.paragraphs:
                    self._reserved[uid].append(r)

    @property
    def positions(self) -> list[Position]:
        """Every position in the document (builds them all: prefer `positions_on`)."""
        return [p for target in self.positions_on for p in self.positions_on[target]]

    def amendment(self, aid: str) -> Amendment:
        """An amendment by id (A3, a3)."""
        aid = aid.strip().upper()
        for a in self.amendments:
            if a.id == aid:
                return a
        raise NotFoundError(f"no amendment {aid} in {self.draft.document.id}")

    def reservation(self, rid: str) -> Reservation:
        """A reservation by id (R2, r2)."""
        rid = rid.strip().upper()
        for r in self.reservations:
            if r.id == rid:
                return r
        raise NotFoundError(f"no reservation {rid} in {self.draft.document.id}")

    def state(self, p: Paragraph, now: Any) -> ParagraphState:
        """A paragraph's derived status."""
        return paragraph_state(
            p, self.by_target.get(p.uid, []), self.positions_on.stances(p.uid), now
        )

    def reservations_on(self, uid: str) -> list[Reservation]:
        """Active reservations attached to a paragraph, in order of attachment."""
        return list(self._reserved.get(uid, []))


def para_cols(p: Paragraph, **cols: Any) -> dict[str, Any]:
    """Column values for a paragraph update, serialised as stored."""
    row = store_documents.paragraph_row(p.model_copy(update=cols))
    return {k: row[k] for k in cols}


class NegotiationBase(ServiceBase):
    """Loading negotiation state, version checks and the silence procedure."""

    def negotiation(self, doc_id: str) -> Negotiation:
        """Draft, amendments, positions and reservations of a document."""
        self.settle_silence(doc_id)
        draft = self.draft(doc_id)
        db = self.db
        positions = PositionsByTarget(
            doc_id,
            lambda: store_neg.position_rows(db, doc_id),
            lambda target: store_neg.target_position_rows(db, doc_id, target),
        )
        if not db.conn.in_transaction:
            positions.load_all()  # outside a transaction, read them now: one snapshot
        return Negotiation(
            draft,
            store_neg.amendments(db, doc_id),
            positions,
            store_neg.reservations(db, doc_id),
        )

    def settle_silence(self, doc_id: str) -> list[str]:
        """Paragraphs whose silence deadline passed unbroken become agreed (with an event)."""
        now = self.now()
        due = self.db.execute(
            "SELECT uid FROM paragraphs WHERE document = ? AND decision = 'silence'"
            " AND silence_until <= ?",
            [doc_id, now.isoformat()],
        ).fetchall()
        if not due or self.db.conn.in_transaction:
            return []
        settled = []
        with transaction(self.db):
            rec = Recorder(self.db, "SYSTEM", None, now)
            draft = self.draft(doc_id)
            for (uid,) in due:
                p = draft.by_uid[uid]
                if p.decision != Decision.SILENCE or not p.silence_until or p.silence_until > now:
                    continue
                rec.change(self._set_paragraph(p, decision=Decision.AGREED, silence_until=None))
                rec.event(
                    "silence.ended",
                    {
                        "uid": uid,
                        "ref": draft.ref(uid),
                        "deadline": p.silence_until.isoformat(),
                        "summary": f"{draft.ref(uid)} agreed: silence not broken by "
                        f"{p.silence_until:%Y-%m-%d %H:%M}Z",
                    },
                    document=doc_id,
                )
                settled.append(uid)
        return settled

    def _set_paragraph(self, p: Paragraph, *, bump: bool = True, **cols: Any) -> rows.Change:
        if bump:
            cols["version"] = p.version + 1
        return rows.update(self.db, "paragraphs", {"uid": p.uid}, para_cols(p, **cols))

    def _check_version(self, neg: Negotiation, p: Paragraph, expect: int | None) -> None:
        if expect is None or expect == p.version:
            return
        from workplan.service.conflicts import describe_change

        ref = neg.draft.ref(p.uid)
        if expect > p.version:
            raise ConflictError(
                f"{ref} is at version {p.version}, not {expect};"
                f" read its text, then act on version {p.version}"
            )
        event = store_events.version_event(self.db, neg.draft.document.id, p.uid, p.version)
        after = f", after {describe_change(event)}" if event else ""
        raise ConflictError(
            f"{ref} changed since version {expect} (now version {p.version}{after});"
            f" read its new text, then act on version {p.version}"
        )

    def _paragraph(self, neg: Negotiation, ref: str, *, live: bool = True) -> Paragraph:
        p = neg.draft.resolve(ref)
        if live and p.decision == Decision.DELETED:
            raise ProcedureError(f"{ref} is deleted; the chair must reopen it first")
        return p

    def _break_silence(self, rec: Recorder, neg: Negotiation, p: Paragraph, why: str) -> None:
        if p.decision != Decision.SILENCE:
            return
        who = rec.on_behalf_of or rec.actor
        rec.change(self._set_paragraph(p, decision=Decision.OPEN, silence_until=None))
        ref = neg.draft.ref(p.uid)
        rec.event(
            "silence.broken",
            {
                "uid": p.uid,
                "ref": ref,
                "by": who,
                "why": why,
                "summary": f"{ref}: silence broken by {who} ({why})",
            },
            document=neg.draft.document.id,
        )

    def _require_open_paragraph(self, neg: Negotiation, p: Paragraph) -> None:
        state = neg.state(p, self.now())
        ref = neg.draft.ref(p.uid)
        if state.status in (Status.AGREED, Status.AGREED_AD_REF):
            raise ProcedureError(f"{ref} is agreed; the chair must reopen it first")
        if state.status == Status.DELETED:
            raise ProcedureError(f"{ref} is deleted; the chair must reopen it first")

    def _delegation_code(self, code: str) -> str:
        code = code.strip().upper()
        self._require_delegation(code)
        return code

    def _text(self, text: str | None, what: str = "text") -> str:
        from workplan.model.text import clean_text

        if text is None:
            raise InputError(f"{what} is required")
        return clean_text(text, what)
