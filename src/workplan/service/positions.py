"""Positions and reservations: what each delegation says on each paragraph."""

from __future__ import annotations

from typing import Any

from workplan.errors import InputError, NotFoundError, ProcedureError
from workplan.model import Decision, Paragraph
from workplan.model.negotiation import STATUS_LABELS, Position, Reservation, Stance, Status
from workplan.model.text import clean_line
from workplan.service.core import Recorder, Refusal, Session
from workplan.service.negotiation_base import Negotiation, Negotiations
from workplan.store import events as store_events
from workplan.store import negotiation as store_neg

STANCE_ALIASES = {
    "support": Stance.SUPPORT,
    "join": Stance.JOIN,
    "reserve": Stance.RESERVE,
    "reservation": Stance.RESERVE,
    "ad-ref": Stance.AD_REF,
    "adref": Stance.AD_REF,
    "ad-referendum": Stance.AD_REF,
    "object": Stance.OBJECT,
    "none": Stance.NONE,
}


def parse_stance(value: str) -> Stance:
    """A stance from its name (support, join, reserve, ad-ref, object, none)."""
    try:
        return STANCE_ALIASES[value.strip().lower()]
    except KeyError:
        raise InputError(
            f"unknown position {value!r}: use support, join, reserve, ad-ref, object or none"
        ) from None


class Positions:
    """Recording positions and reservations."""

    def __init__(self, session: Session, negotiations: Negotiations) -> None:
        self.session = session
        self.negotiations = negotiations

    def record_position(
        self, doc_id: str, target: str, stance: Stance | str, comment: str = ""
    ) -> Position:
        """Record the acting delegation's position on a paragraph ref or an amendment id."""
        stance = parse_stance(stance) if isinstance(stance, str) else stance
        with self.negotiations.negotiating("position.record", doc_id) as (rec, neg):
            target_key, label = self._target(neg, target)
            if stance == Stance.OBJECT and target_key in neg.draft.by_uid:
                self._require_open_for_objection(neg, neg.draft.by_uid[target_key])
            who = rec.on_behalf_of or rec.actor
            pos = Position(
                document=doc_id,
                target=target_key,
                delegation=who,
                stance=stance,
                comment=clean_line(comment, "comment", max_length=2000),
                at=rec.at,
            )
            self._write_position(rec, neg, pos, label)
        return pos

    def _target(self, neg: Negotiation, target: str) -> tuple[str, str]:
        t = target.strip()
        if t[:1] in ("A", "a") and t[1:].isdigit():
            am = neg.amendment(t)
            if not am.is_open:
                raise ProcedureError(
                    f"{am.id} is {am.status}, no longer open: it takes no position"
                )
            return am.id, am.id
        p = neg.draft.resolve(t)
        return p.uid, neg.draft.ref(p.uid)

    def _require_open_for_objection(self, neg: Negotiation, p: Paragraph) -> None:
        """An agreed (or deleted) paragraph takes no objection until the chair reopens it."""
        status = neg.state(p, self.session.now()).status
        if status in (Status.AGREED, Status.AGREED_AD_REF, Status.DELETED):
            what = "deleted" if status == Status.DELETED else STATUS_LABELS[status].lower()
            raise ProcedureError(
                f"{neg.draft.ref(p.uid) or p.uid} is {what}: it takes no objection until the"
                " chair reopens it"
            )

    def _write_position(self, rec: Recorder, neg: Negotiation, pos: Position, label: str) -> None:
        doc_id = neg.draft.document.id
        shown = neg.draft.named(pos.target) if pos.target in neg.draft.by_uid else label
        rec.change(store_neg.put_position(self.session.db, pos))
        comment = f" ({pos.comment})" if pos.comment else ""
        rec.event(
            "position.recorded",
            {
                "target": pos.target,
                "ref": label,
                "delegation": pos.delegation,
                "stance": str(pos.stance),
                "summary": f"{pos.delegation}: {pos.stance} on {shown}{comment}",
            },
            document=doc_id,
        )
        p = neg.draft.by_uid.get(pos.target)
        if p is None:
            am = neg.amendment(pos.target)
            p = neg.draft.by_uid[am.target] if pos.stance == Stance.OBJECT else None
        if p is None:
            return
        if pos.stance == Stance.OBJECT:
            self.negotiations.break_silence(rec, neg, p, f"objection on {shown}")
        elif (
            p.decision == Decision.AGREED_AD_REF
            and pos.delegation in p.ad_ref
            and pos.stance in (Stance.SUPPORT, Stance.JOIN, Stance.RESERVE)
        ):
            remaining = [d for d in p.ad_ref if d != pos.delegation]
            decision = Decision.AGREED if not remaining else Decision.AGREED_AD_REF
            rec.change(self.negotiations.set_paragraph(p, decision=decision, ad_ref=remaining))
            ref = neg.draft.ref(p.uid)
            done = "agreed" if not remaining else f"still ad ref: {', '.join(remaining)}"
            rec.event(
                "paragraph.confirmed",
                {
                    "uid": p.uid,
                    "ref": ref,
                    "delegation": pos.delegation,
                    "summary": f"{pos.delegation} confirms {neg.draft.named(p.uid)} ({done})",
                },
                document=doc_id,
            )

    # -- reservations -----------------------------------------------------------------------
    def reserve(
        self, doc_id: str, refs: list[str], *, text: str | None = None, reuse: str | None = None
    ) -> Reservation:
        """Attach a reservation (new text, or an existing one with `reuse`) to paragraphs.

        Sets the delegation's position on those paragraphs to "join with reservation".
        """
        if not refs:
            raise InputError("name at least one paragraph to attach the reservation to")
        if (text is None) == (reuse is None):
            raise InputError("give the reservation's text (--text) or reuse one (--reuse R)")
        with self.negotiations.negotiating("reservation.attach", doc_id) as (rec, neg):
            paras = [self.negotiations.paragraph(neg, r) for r in refs]
            who = rec.on_behalf_of or rec.actor
            if reuse:
                res = neg.reservation(reuse)
                if res.delegation != who:
                    raise Refusal(
                        "reservation.attach",
                        f"{res.id} is {res.delegation}'s reservation, not {who}'s",
                        reservation=res.id,
                    )
                if res.withdrawn:
                    raise ProcedureError(f"{res.id} was withdrawn")
            else:
                seq = store_neg.next_seq(self.session.db, "reservations", doc_id)
                res = Reservation(
                    document=doc_id,
                    id=f"R{seq}",
                    delegation=who,
                    text=_reservation_text(text or ""),
                    created_at=rec.at,
                )
                rec.change(store_neg.put_reservation(self.session.db, res, seq))
            link_seq = store_neg.next_link_seq(self.session.db, doc_id)
            new_links: list[dict[str, Any]] = []
            for p in paras:
                if p.uid in res.paragraphs:
                    continue
                new_links.append(
                    {
                        "document": doc_id,
                        "reservation": res.id,
                        "paragraph": p.uid,
                        "seq": link_seq,
                        "attached_at": rec.at.isoformat(),
                    }
                )
                res.paragraphs.append(p.uid)
                link_seq += 1
            if not new_links:
                raise ProcedureError(f"{res.id} is already attached to every paragraph named")
            rec.change(store_neg.put_reservation_links(self.session.db, new_links))
            where = ", ".join(neg.draft.named(link["paragraph"]) for link in new_links)
            rec.event(
                "reservation.attached",
                {
                    "reservation": res.id,
                    "delegation": who,
                    "paragraphs": [link["paragraph"] for link in new_links],
                    "summary": f"{who} reservation {res.id} on {where}",
                },
                document=doc_id,
            )
            for link in new_links:
                uid = link["paragraph"]
                pos = Position(
                    document=doc_id,
                    target=uid,
                    delegation=who,
                    stance=Stance.RESERVE,
                    comment=f"reservation {res.id}",
                    at=rec.at,
                )
                self._write_position(rec, neg, pos, neg.draft.ref(uid))
        return res

    def unreserve(self, doc_id: str, rid: str, refs: list[str] | None = None) -> Reservation:
        """Detach a reservation from paragraphs, or withdraw it everywhere when none are named."""
        action = "reservation.detach" if refs else "reservation.withdraw"
        with self.negotiations.negotiating(action, doc_id) as (rec, neg):
            res = neg.reservation(rid)
            self._require_owner(action, res)
            uids = (
                [self.negotiations.paragraph(neg, r, live=False).uid for r in refs]
                if refs
                else list(res.paragraphs)
            )
            if res.withdrawn:
                raise ProcedureError(f"{res.id} was already withdrawn")
            for uid in uids:
                if uid not in res.paragraphs:
                    raise NotFoundError(f"{res.id} is not attached to {neg.draft.ref(uid)}")
                rec.change(store_neg.delete_reservation_link(self.session.db, doc_id, res.id, uid))
                res.paragraphs.remove(uid)
            if not refs:
                res.withdrawn = True
                rec.change(
                    store_neg.update_reservation(self.session.db, doc_id, res.id, {"withdrawn": 1})
                )
            where = ", ".join(neg.draft.named(u) for u in uids) or "nowhere"
            verb = "detached from" if refs else "withdrawn from"
            rec.event(
                f"reservation.{'detached' if refs else 'withdrawn'}",
                {
                    "reservation": res.id,
                    "paragraphs": uids,
                    "summary": f"{res.delegation} reservation {res.id} {verb} {where}",
                },
                document=doc_id,
            )
        return res

    def edit_reservation(self, doc_id: str, rid: str, text: str) -> Reservation:
        """Change a reservation's text: it changes everywhere it is attached."""
        with self.negotiations.negotiating("reservation.edit", doc_id) as (rec, neg):
            res = neg.reservation(rid)
            self._require_owner("reservation.edit", res)
            if res.withdrawn:
                raise ProcedureError(f"{res.id} was withdrawn")
            res.text = _reservation_text(text)
            rec.change(
                store_neg.update_reservation(self.session.db, doc_id, res.id, {"text": res.text})
            )
            rec.event(
                "reservation.edited",
                {"reservation": res.id, "summary": f"{res.delegation} edited reservation {res.id}"},
                document=doc_id,
            )
        return res

    def withdrawn_from(self, doc_id: str) -> dict[str, list[str]]:
        """Each withdrawn reservation → the paragraphs (uids) it was last attached to.

        Read from the record: the paragraphs its withdrawal detached it from or, when it was
        attached nowhere by then, those its last detachment did.
        """
        last: dict[str, list[str]] = {}
        withdrawn: dict[str, list[str]] = {}
        for e in store_events.list_events(
            self.session.db,
            document=doc_id,
            actions=("reservation.detached", "reservation.withdrawn"),
        ):
            rid, uids = str(e.payload.get("reservation")), list(e.payload.get("paragraphs", []))
            if e.action == "reservation.withdrawn":
                withdrawn[rid] = uids or last.get(rid, [])
            elif uids:
                last[rid] = uids
        return withdrawn

    def _require_owner(self, action: str, res: Reservation) -> None:
        who = self.session.acting_delegation()
        if who is not None and who != res.delegation:
            raise Refusal(action, f"{res.id} is {res.delegation}'s reservation")


def _reservation_text(text: str) -> str:
    """A reservation's text: it may hold several paragraphs (see `clean_paragraphs`)."""
    from workplan.model.text import clean_paragraphs

    return clean_paragraphs(text, "reservation text")
