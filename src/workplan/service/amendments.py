"""Amendments: propose, co-sponsor, withdraw, revise, and the chair's decision with re-basing."""

from __future__ import annotations

from workplan.errors import InputError, ProcedureError
from workplan.model import Decision, Paragraph, ParagraphKind
from workplan.model.negotiation import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Placement,
)
from workplan.model.refs import insertion_ref
from workplan.service.core import Recorder, Refusal, Session
from workplan.service.negotiation_base import Negotiation, Negotiations
from workplan.store import documents as store_documents
from workplan.store import negotiation as store_neg
from workplan.store.rows import Change


class Amendments:
    """Everything about amendments: propose, co-sponsor, withdraw, revise, decide."""

    def __init__(self, session: Session, negotiations: Negotiations) -> None:
        self.session = session
        self.negotiations = negotiations

    def propose(
        self,
        doc_id: str,
        ref: str,
        kind: AmendmentKind | str,
        *,
        text: str | None = None,
        anchor: str | None = None,
        placement: Placement | str | None = None,
        new_kind: str | None = None,
        justification: str = "",
        cosponsors: list[str] | None = None,
        expect_version: int | None = None,
    ) -> Amendment:
        """Propose an amendment; returns it with its new id (A1, A2, ...).

        modify: `ref` and new `text`; delete: `ref`; move: `ref` after `anchor`;
        insert: `text` placed after/before `ref` (or at the end of `ref`'s section).
        """
        kind = AmendmentKind(kind)
        with self.negotiations.negotiating("amendment.propose", doc_id) as (rec, neg):
            p = self.negotiations.paragraph(neg, ref)
            proposer = rec.on_behalf_of or rec.actor
            self.negotiations.check_version(neg, p, expect_version)
            if kind != AmendmentKind.INSERT:
                self.negotiations.require_open_paragraph(neg, p)
            co = []
            for c in cosponsors or []:
                code = self.negotiations.delegation_code(c, "amendment.propose")
                if code == proposer:
                    raise InputError(
                        f"{code} proposes this amendment: a proposer cannot co-sponsor"
                        " its own amendment"
                    )
                if code not in co:
                    co.append(code)
            seq = store_neg.next_seq(self.session.db, "amendments", doc_id)
            am = Amendment(
                document=doc_id,
                id=f"A{seq}",
                kind=kind,
                target=p.uid,
                proposer=proposer,
                cosponsors=co,
                justification=self.negotiations.text(justification, "justification")
                if justification
                else "",
                base_text=p.text,
                base_version=p.version,
                created_at=rec.at,
            )
            if kind == AmendmentKind.MODIFY:
                am.text = self.negotiations.text(text)
                if am.text == p.text:
                    raise InputError(f"the proposed text is the same as {neg.draft.ref(p.uid)}'s")
                am.patch = _make_patch(p.text, am.text)
            elif kind == AmendmentKind.INSERT:
                am.text = self.negotiations.text(text)
                am.placement = Placement(placement or Placement.AFTER)
                am.new_kind = str(ParagraphKind(new_kind or p.kind))
                am.section = p.section
                am.base_text = ""
                am.patch = _make_patch("", am.text)
            elif kind == AmendmentKind.MOVE:
                if not anchor:
                    raise InputError("a move needs the paragraph to move after (--move-after)")
                target = self.negotiations.paragraph(neg, anchor)
                if target.uid == p.uid:
                    raise InputError("a paragraph cannot move after itself")
                am.anchor = target.uid
            rec.change(store_neg.put_amendment(self.session.db, am))
            what = _describe(am, neg)
            rec.event(
                "amendment.proposed",
                {
                    "amendment": am.id,
                    "kind": str(kind),
                    "uid": p.uid,
                    "summary": f"{am.id} by {proposer}: {what}",
                },
                document=doc_id,
            )
            if kind != AmendmentKind.INSERT:  # an insertion is not about its anchor
                self.negotiations.break_silence(rec, neg, p, f"amendment {am.id}")
        return am

    def cosponsor(self, doc_id: str, aid: str) -> Amendment:
        """The acting delegation co-sponsors an open amendment."""
        with self.negotiations.negotiating("amendment.cosponsor", doc_id) as (rec, neg):
            am = neg.amendment(aid)
            who = rec.on_behalf_of or rec.actor
            _require_open(am)
            if who == am.proposer or who in am.cosponsors:
                raise ProcedureError(f"{who} already sponsors {am.id}")
            am.cosponsors.append(who)
            rec.change(self._put(am))
            rec.event(
                "amendment.cosponsored",
                {"amendment": am.id, "delegation": who, "summary": f"{who} co-sponsors {am.id}"},
                document=doc_id,
            )
        return am

    def withdraw(self, doc_id: str, aid: str) -> Amendment:
        """The proposer withdraws its open amendment."""
        with self.negotiations.negotiating("amendment.withdraw", doc_id) as (rec, neg):
            am = neg.amendment(aid)
            self._require_proposer("amendment.withdraw", am)
            _require_open(am)
            am.status, am.decided_at = AmendmentStatus.WITHDRAWN, rec.at
            rec.change(self._put(am))
            rec.event(
                "amendment.withdrawn",
                {"amendment": am.id, "summary": f"{am.id} withdrawn by {am.proposer}"},
                document=doc_id,
            )
        return am

    def revise_amendment(self, doc_id: str, aid: str, text: str) -> Amendment:
        """The proposer revises its amendment's text against the paragraph's current text."""
        with self.negotiations.negotiating("amendment.revise", doc_id) as (rec, neg):
            am = neg.amendment(aid)
            self._require_proposer("amendment.revise", am)
            p = neg.draft.by_uid[am.target]
            _require_open(am)
            if am.kind not in (AmendmentKind.MODIFY, AmendmentKind.INSERT):
                raise ProcedureError(f"{am.id} is a {am.kind} amendment: it has no text to revise")
            am.text = self.negotiations.text(text)
            base = p.text if am.kind == AmendmentKind.MODIFY else ""
            am.base_text, am.base_version = base, p.version
            am.patch = _make_patch(base, am.text)
            am.needs_rebase, am.rebase_failures = False, []
            rec.change(self._put(am))
            rec.event(
                "amendment.revised",
                {"amendment": am.id, "summary": f"{am.id} revised by {am.proposer}"},
                document=doc_id,
            )
        return am

    def decide(
        self, doc_id: str, aid: str, decision: str, *, expect_version: int | None = None
    ) -> Amendment:
        """The chair accepts or rejects an amendment. Accepting applies it to the draft."""
        if decision not in ("accept", "reject"):
            raise InputError(f"decision must be accept or reject, not {decision!r}")
        with self.negotiations.negotiating("amendment.decide", doc_id) as (rec, neg):
            am = neg.amendment(aid)
            p = neg.draft.by_uid[am.target]
            _require_open(am)
            self.negotiations.check_version(neg, p, expect_version)
            if decision == "reject":
                am.status, am.decided_at = AmendmentStatus.REJECTED, rec.at
                rec.change(self._put(am))
                rec.event(
                    "amendment.rejected",
                    {"amendment": am.id, "summary": f"{am.id} rejected"},
                    document=doc_id,
                )
                return am
            if am.kind != AmendmentKind.INSERT:
                self.negotiations.require_open_paragraph(neg, p)
            if am.needs_rebase or (am.kind == AmendmentKind.MODIFY and am.base_text != p.text):
                raise ProcedureError(
                    f"{am.id} was written against an older text of {neg.draft.ref(p.uid)};"
                    f" {am.proposer} must revise it first (revise-amendment)"
                )
            self._apply(rec, neg, am, p)
        return am

    # -- applying ---------------------------------------------------------------------------
    def _apply(self, rec: Recorder, neg: Negotiation, am: Amendment, p: Paragraph) -> None:
        doc_id = neg.draft.document.id
        named = neg.draft.named(p.uid)
        if not any(q.held_ref for q in neg.draft.paragraphs):
            rec.change(self._hold_refs(neg))
        am.status, am.decided_at = AmendmentStatus.ACCEPTED, rec.at
        if am.kind == AmendmentKind.MODIFY:
            rec.change(self.negotiations.set_paragraph(p, text=am.text))
        elif am.kind == AmendmentKind.DELETE:
            rec.change(
                self.negotiations.set_paragraph(p, decision=Decision.DELETED, silence_until=None)
            )
        elif am.kind == AmendmentKind.MOVE:
            anchor = neg.draft.by_uid[str(am.anchor)]
            rec.change(self._move(neg, p, anchor))
        else:
            am.result_uid = self.session.new_uid()
            rec.change(self._insert_paragraph(neg, am, p))
        rec.change(self._put(am))
        rec.event(
            "amendment.accepted",
            {
                "amendment": am.id,
                "kind": str(am.kind),
                "uid": p.uid,
                "version": p.version + 1,
                "summary": f"{am.id} ({am.kind} {named}, {', '.join(am.sponsors)}) accepted",
            },
            document=doc_id,
        )
        others = [a for a in neg.by_target.get(p.uid, []) if a.is_open and a.id != am.id]
        for other in others:
            if am.kind == AmendmentKind.DELETE and other.kind != AmendmentKind.INSERT:
                other.status, other.decided_at = AmendmentStatus.SUPERSEDED, rec.at
                rec.change(self._put(other))
                rec.event(
                    "amendment.superseded",
                    {
                        "amendment": other.id,
                        "by": am.id,
                        "summary": f"{other.id} superseded: {named} deleted by {am.id}",
                    },
                    document=doc_id,
                )
            elif (
                am.kind == AmendmentKind.MODIFY
                and other.kind == AmendmentKind.MODIFY
                and not other.needs_rebase
            ):
                self._rebase(rec, other, am.text, p.version + 1)

    def _rebase(self, rec: Recorder, other: Amendment, new_text: str, version: int) -> None:
        """Re-apply an open amendment to the paragraph's new text; flag it if that fails."""
        from workplan.diffing import apply_patch

        result = apply_patch(_make_patch(other.base_text, other.text), new_text)
        doc_id = other.document
        if result.applied:
            other.text, other.base_text, other.base_version = result.text, new_text, version
            other.patch = _make_patch(new_text, other.text)
            other.needs_rebase, other.rebase_failures = False, []
            rec.change(self._put(other))
            rec.event(
                "amendment.rebased",
                {
                    "amendment": other.id,
                    "summary": f"{other.id} re-applied cleanly to the new text",
                },
                document=doc_id,
            )
        else:
            other.needs_rebase, other.rebase_failures = True, list(result.failed)
            rec.change(self._put(other))
            rec.event(
                "amendment.needs-rebase",
                {
                    "amendment": other.id,
                    "failed": list(result.failed),
                    "summary": f"{other.id} no longer applies; {other.proposer} must revise it",
                },
                document=doc_id,
            )

    def _insert_paragraph(self, neg: Negotiation, am: Amendment, anchor: Paragraph) -> list[Change]:
        paras = neg.draft.paragraphs
        if am.placement == Placement.BEFORE:
            pos = anchor.position
        elif am.placement == Placement.END_OF_SECTION:
            same = [q.position for q in paras if q.section == anchor.section]
            pos = max(same) + 1
        else:
            pos = anchor.position + 1
        shift = store_documents.update_paragraphs(
            self.session.db,
            [(q.uid, {"position": q.position + 1}) for q in reversed(paras) if q.position >= pos],
        )
        new = Paragraph(
            uid=str(am.result_uid),
            document=am.document,
            section=anchor.section,
            position=pos,
            kind=ParagraphKind(am.new_kind or anchor.kind),
            text=am.text,
        )
        held = {q.uid: q.held_ref for q in paras if q.held_ref}
        if held:  # refs hold still: the new paragraph is OP4 bis until the next revision
            draft = neg.draft
            ref = insertion_ref(paras, draft.sections, draft.document.numbering, held, new)
            new = new.model_copy(update={"held_ref": ref})
        return [shift, store_documents.put_paragraph(self.session.db, new)]

    def _hold_refs(self, neg: Negotiation) -> Change:
        """A record from before refs were held: hold the numbers it shows now, from here on."""
        refs = neg.draft.refs
        items = []
        for q in neg.draft.paragraphs:
            if refs.get(q.uid):
                object.__setattr__(q, "held_ref", refs[q.uid])
                items.append((q.uid, {"held_ref": refs[q.uid]}))
        return store_documents.update_paragraphs(self.session.db, items)

    def _move(self, neg: Negotiation, p: Paragraph, anchor: Paragraph) -> list[Change]:
        order = [q for q in neg.draft.paragraphs if q.uid != p.uid]
        order.insert(next(i for i, q in enumerate(order) if q.uid == anchor.uid) + 1, p)
        renumbered = [(q.uid, {"position": i}) for i, q in enumerate(order) if q.position != i]
        return [
            store_documents.update_paragraphs(self.session.db, renumbered),
            *self.negotiations.set_paragraph(p, section=anchor.section),
        ]

    def _put(self, am: Amendment) -> Change:
        return store_neg.put_amendment(self.session.db, am)

    def _require_proposer(self, action: str, am: Amendment) -> None:
        who = self.session.acting_delegation()
        if who is not None and who != am.proposer:
            raise Refusal(action, f"only {am.proposer}, its proposer, may change {am.id}")


def _require_open(am: Amendment) -> None:
    if not am.is_open:
        raise ProcedureError(f"{am.id} is {am.status}, no longer open")


def _make_patch(base: str, new: str) -> str:
    from workplan.diffing import make_patch

    return make_patch(base, new)


def _describe(am: Amendment, neg: Negotiation) -> str:
    ref = neg.draft.named(am.target)
    if am.kind == AmendmentKind.MODIFY:
        return f"new text for {ref}"
    if am.kind == AmendmentKind.DELETE:
        return f"delete {ref}"
    if am.kind == AmendmentKind.MOVE:
        return f"move {ref} after {neg.draft.named(str(am.anchor))}"
    return f"insert a new paragraph {am.placement} {ref}"
