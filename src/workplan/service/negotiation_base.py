"""Shared helpers of the negotiation actions: loading state, versions, silence, status."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from workplan.consensus import paragraph_state
from workplan.errors import ConflictError, InputError, NotFoundError, ProcedureError
from workplan.model import Decision, Draft, Paragraph
from workplan.model.negotiation import (
    Amendment,
    ParagraphState,
    Position,
    Reservation,
    Status,
)
from workplan.service.core import Recorder, ServiceBase
from workplan.store import documents as store_documents
from workplan.store import negotiation as store_neg
from workplan.store import rows, transaction


@dataclass
class Negotiation:
    """A document's draft with everything negotiated on it, loaded in a few queries."""

    draft: Draft
    amendments: list[Amendment]
    positions: list[Position]
    reservations: list[Reservation]
    by_target: dict[str, list[Amendment]] = field(default_factory=dict)
    positions_on: dict[str, list[Position]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_target = defaultdict(list)
        for a in self.amendments:
            self.by_target[a.target].append(a)
        self.positions_on = defaultdict(list)
        for p in self.positions:
            self.positions_on[p.target].append(p)

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
            p, self.by_target.get(p.uid, []), self.positions_on.get(p.uid, []), now
        )

    def reservations_on(self, uid: str) -> list[Reservation]:
        """Active reservations attached to a paragraph, in order of attachment."""
        return [r for r in self.reservations if not r.withdrawn and uid in r.paragraphs]


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
        return Negotiation(
            draft,
            store_neg.amendments(self.db, doc_id),
            store_neg.positions(self.db, doc_id),
            store_neg.reservations(self.db, doc_id),
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
        ref = neg.draft.ref(p.uid)
        last = store_neg.last_event_for(self.db, neg.draft.document.id, p.uid)
        what = f": last {last[0]} by {last[1]} at {last[2][:19]}Z" if last else ""
        raise ConflictError(
            f"{ref} changed since version {expect} (now version {p.version}{what});"
            " reload and try again"
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
