"""What the draft screen shows, read at once into plain, immutable read objects.

A `DraftPage` holds no connection and no closure over one: it is read in one go (in the TUI, by
a worker thread on its own connection) and handed to the screen, which only reads it. The
models in it are built from rows without validation (`model_construct`, as `store` builds
them); the per-paragraph positions (with their comments) are read when a paragraph is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from workplan.consensus import paragraph_state
from workplan.model.negotiation import Position
from workplan.service.negotiation_base import (
    StanceRow,
    Statuses,
    find_amendment,
    find_reservation,
    position_of,
    reserved_on,
)
from workplan.service.zones import document_zone
from workplan.store import negotiation as store_neg

if TYPE_CHECKING:
    from workplan.model import Draft, Paragraph
    from workplan.model.negotiation import Amendment, ParagraphState, Reservation
    from workplan.model.note import Note
    from workplan.service.core import Session
    from workplan.service.negotiation_base import Negotiations
    from workplan.service.notes import Notes
    from workplan.service.revisions import Revisions


@dataclass(frozen=True)
class DraftPage:
    """A document's draft with everything negotiated on it, as the draft screen shows it."""

    draft: Draft
    """The document and its paragraphs."""
    amendments: tuple[Amendment, ...]
    """Every amendment, in the order proposed."""
    reservations: tuple[Reservation, ...]
    """Every reservation, withdrawn ones too."""
    stances: Mapping[str, list[tuple[str, str]]]
    """(delegation, stance) pairs per target (paragraph uid or amendment id), `none` left out
    (as read: not to be changed)."""
    read_at: datetime
    """When it was read (the statuses are as of then)."""
    formerly: Mapping[str, str]
    """uid → "OP2 bis (before rev. 1)" for each paragraph the last revision renumbered."""
    notes: tuple[Note, ...]
    """The document's notes."""
    time_zone: tzinfo
    """The zone its deadlines are shown in."""
    symbol: str
    """Its symbol with the last revision frozen ("CP/CSH-2001/22 rev. 2")."""

    @cached_property
    def statuses(self) -> Mapping[str, str]:
        """uid → status id as of `read_at`, each derived from the page when first asked for
        (a screen of 40 rows derives 40, not the whole draft's)."""
        return Statuses(self, self.read_at)

    @cached_property
    def by_target(self) -> Mapping[str, tuple[Amendment, ...]]:
        """Amendments by the paragraph uid they target."""
        grouped: dict[str, list[Amendment]] = {}
        for a in self.amendments:
            grouped.setdefault(a.target, []).append(a)
        return MappingProxyType({k: tuple(v) for k, v in grouped.items()})

    @cached_property
    def _reserved(self) -> Mapping[str, tuple[Reservation, ...]]:
        on = reserved_on(self.reservations)
        return MappingProxyType({k: tuple(v) for k, v in on.items()})

    def amendment(self, aid: str) -> Amendment:
        """An amendment by id (A3, a3)."""
        return find_amendment(self.amendments, aid, self.draft.document.id)

    def reservation(self, rid: str) -> Reservation:
        """A reservation by id (R2, r2)."""
        return find_reservation(self.reservations, rid, self.draft.document.id)

    def reservations_on(self, uid: str) -> list[Reservation]:
        """Active reservations attached to a paragraph, in order of attachment."""
        return list(self._reserved.get(uid, ()))

    def state(self, p: Paragraph, now: datetime) -> ParagraphState:
        """A paragraph's derived status at `now`."""
        stances = [StanceRow(d, s) for d, s in self.stances.get(p.uid, ())]
        return paragraph_state(p, self.by_target.get(p.uid, ()), stances, now)


class Pages:
    """Reads the draft screen's page and the positions of the paragraph shown."""

    def __init__(
        self, session: Session, negotiations: Negotiations, notes: Notes, revisions: Revisions
    ) -> None:
        self.session = session
        self.negotiations = negotiations
        self._notes = notes
        self._revisions = revisions

    def draft_page(self, doc_id: str) -> DraftPage:
        """Everything the draft screen shows of a document (silence settled first)."""
        neg = self.negotiations.load(doc_id)
        return DraftPage(
            draft=neg.draft,
            amendments=tuple(neg.amendments),
            reservations=tuple(neg.reservations),
            stances=MappingProxyType(neg.positions_on.load_all()),
            read_at=self.session.now(),
            formerly=MappingProxyType(self._revisions.formerly(doc_id)),
            notes=tuple(self._notes.notes(doc_id)),
            time_zone=document_zone(neg.draft.document),
            symbol=self._symbol(doc_id, neg.draft.document.symbol),
        )

    def _symbol(self, doc_id: str, symbol: str | None) -> str:
        revisions = self._revisions.revisions(doc_id)
        return (revisions[-1].symbol if revisions else symbol) or ""

    def positions(self, doc_id: str, targets: list[str]) -> dict[str, list[Position]]:
        """The positions (with comments and times) on each target, read now."""
        db = self.session.db
        return {
            t: [
                position_of(doc_id, t, row) for row in store_neg.target_position_rows(db, doc_id, t)
            ]
            for t in targets
        }
