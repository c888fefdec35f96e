"""Shared helpers of the negotiation actions: loading state, versions, silence, status."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from typing import Any, NamedTuple, Protocol

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
from workplan.service.core import Recorder, Session
from workplan.service.policy import NEGOTIATING_ACTIONS, read_only_reason
from workplan.store import connection as store_connection
from workplan.store import documents as store_documents
from workplan.store import events as store_events
from workplan.store import negotiation as store_neg
from workplan.store import transaction
from workplan.store import translations as store_tr
from workplan.store.negotiation import PositionRow
from workplan.store.rows import Change


class StanceRow(NamedTuple):
    """What the consensus rules need of a position."""

    delegation: str
    stance: str


class PositionsByTarget(Mapping[str, list[Position]]):
    """Positions per target (paragraph uid or amendment id).

    What the consensus rules need (who holds which stance) is read for the whole document at
    once when many targets are asked about (a screen, a listing), as small interned pairs;
    while only a few are (an action touches one or two), one indexed query per target. The
    full positions (comment, time) are read per target when shown, and built as models then.
    """

    BULK_AFTER = 200
    """After this many single-target reads (about 10 ms of them), read the whole document's
    stances instead."""

    def __init__(
        self,
        document: str,
        all_stances: Callable[[], dict[str, list[tuple[str, str]]]],
        target_rows: Callable[[str], list[PositionRow]],
    ) -> None:
        self._document = document
        self._all_stances = all_stances
        self._target_rows = target_rows
        self._stances: dict[str, list[tuple[str, str]]] | None = None
        self._rows: dict[str, list[PositionRow]] = {}
        self._built: dict[str, list[Position]] = {}

    def load_all(self) -> dict[str, list[tuple[str, str]]]:
        """Every target's (delegation, stance) pairs, `none` left out (read once)."""
        if self._stances is None:
            self._stances = self._all_stances()
        return self._stances

    def rows(self, target: str) -> list[PositionRow]:
        """The stored rows on one target ([] when there are none), read once."""
        if target not in self._rows:
            known = self._stances
            self._rows[target] = (
                [] if known is not None and target not in known else self._target_rows(target)
            )
        return self._rows[target]

    def __getitem__(self, target: str) -> list[Position]:
        """The positions on a target ([] when there are none, like a defaultdict)."""
        if target not in self._built:
            self._built[target] = [
                position_of(self._document, target, row) for row in self.rows(target)
            ]
        return self._built[target]

    def __iter__(self) -> Iterator[str]:
        return iter(self.load_all())

    def __len__(self) -> int:
        return len(self.load_all())

    def stances(self, target: str) -> list[StanceRow]:
        """(delegation, stance) pairs on a target, `none` left out, without building models."""
        if self._stances is None and len(self._rows) >= self.BULK_AFTER:
            self.load_all()
        if self._stances is not None:
            return [StanceRow(d, s) for d, s in self._stances.get(target, ())]
        return [StanceRow(d, s) for d, s, _, _ in self.rows(target) if s != Stance.NONE]


def position_of(document: str, target: str, row: PositionRow) -> Position:
    """A stored position row (delegation, stance, comment, time) as a model, unvalidated."""
    d, stance, comment, at = row
    return Position.model_construct(
        document=document,
        target=target,
        delegation=d,
        stance=Stance(stance),
        comment=comment,
        at=datetime.fromisoformat(at),
    )


def reserved_on(reservations: Iterable[Reservation]) -> dict[str, list[Reservation]]:
    """Paragraph uid → the active reservations attached to it, in order of attachment."""
    on: dict[str, list[Reservation]] = defaultdict(list)
    for r in reservations:
        if not r.withdrawn:
            for uid in r.paragraphs:
                on[uid].append(r)
    return on


def find_amendment(amendments: Iterable[Amendment], aid: str, document: str) -> Amendment:
    """An amendment by id (A3, a3), or NotFoundError naming the document."""
    aid = aid.strip().upper()
    for a in amendments:
        if a.id == aid:
            return a
    raise NotFoundError(f"no amendment {aid} in {document}")


def find_reservation(reservations: Iterable[Reservation], rid: str, document: str) -> Reservation:
    """A reservation by id (R2, r2), or NotFoundError naming the document."""
    rid = rid.strip().upper()
    for r in reservations:
        if r.id == rid:
            return r
    raise NotFoundError(f"no reservation {rid} in {document}")


class Negotiation:
    """A document's draft with everything negotiated on it, loaded in a few queries.

    The amendments are read when first needed (recording a position on a paragraph needs
    none), so an action holds the write lock for less time.
    """

    def __init__(
        self,
        draft: Draft,
        amendments: Callable[[], list[Amendment]],
        positions_on: PositionsByTarget,
        reservations: list[Reservation],
    ) -> None:
        self.draft = draft
        """The document and its paragraphs."""
        self._amendments = amendments
        self.positions_on = positions_on
        """Positions per target."""
        self.reservations = reservations
        """The document's reservations, withdrawn ones too."""
        self._reserved = reserved_on(reservations)

    @cached_property
    def amendments(self) -> list[Amendment]:
        """Every amendment of the document, in the order proposed."""
        return self._amendments()

    @cached_property
    def by_target(self) -> dict[str, list[Amendment]]:
        """Amendments by the paragraph uid they target."""
        grouped: dict[str, list[Amendment]] = defaultdict(list)
        for a in self.amendments:
            grouped[a.target].append(a)
        return grouped

    @property
    def positions(self) -> list[Position]:
        """Every position in the document (builds them all: prefer `positions_on`)."""
        return [p for target in self.positions_on for p in self.positions_on[target]]

    def amendment(self, aid: str) -> Amendment:
        """An amendment by id (A3, a3)."""
        return find_amendment(self.amendments, aid, self.draft.document.id)

    def reservation(self, rid: str) -> Reservation:
        """A reservation by id (R2, r2)."""
        return find_reservation(self.reservations, rid, self.draft.document.id)

    def state(self, p: Paragraph, now: Any) -> ParagraphState:
        """A paragraph's derived status."""
        return paragraph_state(
            p, self.by_target.get(p.uid, []), self.positions_on.stances(p.uid), now
        )

    def statuses(self, now: Any) -> Statuses:
        """Every paragraph's status id, each derived when first asked for."""
        return Statuses(self, now)

    def reservations_on(self, uid: str) -> list[Reservation]:
        """Active reservations attached to a paragraph, in order of attachment."""
        return list(self._reserved.get(uid, []))


class Derives(Protocol):
    """What statuses are derived from: a negotiation, or the draft screen's page."""

    @property
    def draft(self) -> Draft:
        """The document and its paragraphs."""
        ...

    def state(self, p: Paragraph, now: Any) -> ParagraphState:
        """A paragraph's derived status at `now`."""
        ...


class Statuses(Mapping[str, str]):
    """uid → status id of a negotiation's (or a page's) paragraphs, derived on first use and
    kept.

    A screen showing 40 rows of a 10,000-paragraph draft derives 40 statuses (each from one
    indexed read of its positions), not 10,000 before it can draw; a filter or a count over
    the whole draft derives the rest, the positions then read in bulk.
    """

    def __init__(self, negotiation: Derives, now: Any) -> None:
        self._neg = negotiation
        self._now = now
        self._known: dict[str, str] = {}

    def __getitem__(self, uid: str) -> str:
        if uid not in self._known:
            p = self._neg.draft.by_uid[uid]  # KeyError for an unknown uid, as a dict
            self._known[uid] = str(self._neg.state(p, self._now).status)
        return self._known[uid]

    def __iter__(self) -> Iterator[str]:
        return iter(self._neg.draft.by_uid)

    def __len__(self) -> int:
        return len(self._neg.draft.by_uid)


def para_cols(p: Paragraph, **cols: Any) -> dict[str, Any]:
    """Column values for a paragraph update, serialised as stored."""
    row = store_documents.paragraph_row(p.model_copy(update=cols))
    return {k: row[k] for k in cols}


class Negotiations:
    """Loading a document's negotiation state, the action template every negotiating action
    runs in, version checks and the silence procedure. The other areas are given this."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def load(self, doc_id: str) -> Negotiation:
        """Draft, amendments, positions and reservations of a document (silence settled)."""
        self.settle_silence(doc_id)
        return self._load(doc_id)

    def _load(self, doc_id: str) -> Negotiation:
        db = self.session.db
        draft = self.session.draft(doc_id)
        positions = PositionsByTarget(
            doc_id,
            lambda: store_neg.stance_rows(db, doc_id),
            lambda target: store_neg.target_position_rows(db, doc_id, target),
        )
        return Negotiation(
            draft,
            lambda: store_neg.amendments(db, doc_id),
            positions,
            store_neg.reservations(db, doc_id),
        )

    @contextmanager
    def negotiating(self, action: str, doc_id: str) -> Iterator[tuple[Recorder, Negotiation]]:
        """The template of every negotiating action: authorise `action`, open its one
        transaction, settle any silence whose deadline passed (in the same transaction), load
        the document's negotiation and refuse it when the document is adopted (exit 1).

        `with self.negotiations.negotiating("paragraph.agree", doc) as (rec, neg): ...`
        """
        with self.session.action(action) as rec:
            self._settle(doc_id, rec.at)
            neg = self._load(doc_id)
            if action in NEGOTIATING_ACTIONS:
                why = read_only_reason(neg.draft.document)
                if why:
                    raise ProcedureError(why)
            yield rec, neg

    def settle_silence(self, doc_id: str) -> list[str]:
        """Paragraphs whose silence deadline passed unbroken become agreed (with an event).

        Runs in its own transaction (a reading: the first reader after the deadline settles);
        inside an open transaction it leaves the settling to the action's template.
        """
        db = self.session.db
        now = self.session.now()
        if store_connection.in_transaction(db) or not store_neg.silence_due(db, doc_id, now):
            return []
        with transaction(db):
            return self._settle(doc_id, now)

    def _settle(self, doc_id: str, now: datetime) -> list[str]:
        """Settle the due silences, inside the caller's transaction."""
        db = self.session.db
        due = store_neg.silence_due(db, doc_id, now)
        if not due:
            return []
        settled = []
        rec = Recorder(db, "SYSTEM", None, now)
        draft = self.session.draft(doc_id)
        for uid in due:
            p = draft.by_uid[uid]
            if p.decision != Decision.SILENCE or not p.silence_until or p.silence_until > now:
                continue
            rec.change(self.set_paragraph(p, decision=Decision.AGREED, silence_until=None))
            rec.event(
                "silence.ended",
                {
                    "uid": uid,
                    "ref": draft.ref(uid),
                    "deadline": p.silence_until.isoformat(),
                    "summary": f"{draft.named(uid)} agreed: silence not broken by "
                    f"{p.silence_until:%Y-%m-%d %H:%M}Z",
                },
                document=doc_id,
            )
            settled.append(uid)
        return settled

    def set_paragraph(self, p: Paragraph, *, bump: bool = True, **cols: Any) -> list[Change]:
        """Update a paragraph's columns (its version goes up unless `bump` is False).

        When its text stays the same (a decision, a move), its translations are carried to
        the new version: they still translate it. A new text leaves them stale."""
        if bump:
            cols["version"] = p.version + 1
        db = self.session.db
        changes = [store_documents.update_paragraph(db, p.uid, para_cols(p, **cols))]
        if bump and cols.get("text", p.text) == p.text:
            changes += store_tr.carry_forward(db, p.document, p.uid, p.version, p.version + 1)
        return changes

    def check_version(self, neg: Negotiation, p: Paragraph, expect: int | None) -> None:
        """Refuse (exit 75) when the paragraph is no longer at the version the actor read."""
        if expect is None or expect == p.version:
            return
        from workplan.service.conflicts import describe_change

        ref = neg.draft.ref(p.uid)
        if expect > p.version:
            raise ConflictError(
                f"{ref} is at version {p.version}, not {expect};"
                f" read its text, then act on version {p.version}"
            )
        db = self.session.db
        event = store_events.version_event(db, neg.draft.document.id, p.uid, p.version)
        after = f", after {describe_change(event)}" if event else ""
        raise ConflictError(
            f"{ref} changed since version {expect} (now version {p.version}{after});"
            f" read its new text, then act on version {p.version}"
        )

    @staticmethod
    def paragraph(neg: Negotiation, ref: str, *, live: bool = True) -> Paragraph:
        """The paragraph `ref` names; a deleted one is refused unless `live` is False."""
        p = neg.draft.resolve(ref)
        if live and p.decision == Decision.DELETED:
            raise ProcedureError(f"{ref} is deleted; the chair must reopen it first")
        return p

    def break_silence(self, rec: Recorder, neg: Negotiation, p: Paragraph, why: str) -> None:
        """A paragraph under silence is open again (an objection, an amendment): recorded."""
        if p.decision != Decision.SILENCE:
            return
        who = rec.on_behalf_of or rec.actor
        rec.change(self.set_paragraph(p, decision=Decision.OPEN, silence_until=None))
        ref = neg.draft.ref(p.uid)
        rec.event(
            "silence.broken",
            {
                "uid": p.uid,
                "ref": ref,
                "by": who,
                "why": why,
                "summary": f"{neg.draft.named(p.uid)}: silence broken by {who} ({why})",
            },
            document=neg.draft.document.id,
        )

    def require_open_paragraph(self, neg: Negotiation, p: Paragraph) -> None:
        """Refuse when the paragraph is agreed (ad ref too) or deleted."""
        state = neg.state(p, self.session.now())
        ref = neg.draft.ref(p.uid)
        if state.status in (Status.AGREED, Status.AGREED_AD_REF):
            raise ProcedureError(f"{ref} is agreed; the chair must reopen it first")
        if state.status == Status.DELETED:
            raise ProcedureError(f"{ref} is deleted; the chair must reopen it first")

    def delegation_code(self, code: str, action: str) -> str:
        """A delegation's code, upper-cased and checked active."""
        code = code.strip().upper()
        self.session.require_delegation(code, action)
        return code

    @staticmethod
    def text(text: str | None, what: str = "text") -> str:
        """A text typed by a user, cleaned (or refused, naming `what`)."""
        from workplan.model.text import clean_text

        if text is None:
            raise InputError(f"{what} is required")
        return clean_text(text, what)
