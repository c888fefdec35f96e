"""Negotiation objects: amendments, positions, reservations, revisions and paragraph status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from workplan.model.base import Model
from workplan.model.views import ParagraphState
from workplan.model.vocab import (
    STATUS_LABELS,
    AmendmentKind,
    AmendmentStatus,
    Placement,
    Stance,
    Status,
)

__all__ = [
    "STATUS_LABELS",
    "Amendment",
    "AmendmentKind",
    "AmendmentStatus",
    "ParagraphState",
    "Placement",
    "Position",
    "Reservation",
    "Revision",
    "Stance",
    "Status",
]


class Amendment(Model):
    """A delegation's proposal to change the draft."""

    document: str
    """The document it amends."""
    id: str
    """Short id in its document: A1, A2, ..."""
    kind: AmendmentKind
    """Modify, insert, delete or move."""
    target: str
    """The paragraph uid it changes (modify, delete, move) or the anchor of an insertion."""
    anchor: str | None = None
    """For a move: the paragraph to move after."""
    placement: Placement | None = None
    """For an insertion: after or before the target, or at the end of its section."""
    section: str | None = None
    """For an insertion at the end of a section: the section id."""
    new_kind: str | None = None
    """For an insertion: the new paragraph's kind."""
    text: str = ""
    """The full proposed text (modify, insert)."""
    base_text: str = ""
    """The paragraph text the proposal was based on."""
    base_version: int = 0
    """The paragraph version it was based on."""
    patch: str = ""
    """The change as a diff-match-patch patch against base_text."""
    proposer: str
    """The proposing delegation's code."""
    cosponsors: list[str] = Field(default_factory=list)
    """Co-sponsoring delegations, in the order they joined."""
    justification: str = ""
    """Why."""
    status: AmendmentStatus = AmendmentStatus.PROPOSED
    """Proposed, withdrawn, accepted, rejected or superseded."""
    needs_rebase: bool = False
    """True when the paragraph changed and the proposal could not be re-applied cleanly."""
    rebase_failures: list[str] = Field(default_factory=list)
    """The parts of the proposal that did not apply."""
    created_at: datetime
    """When it was proposed (UTC)."""
    decided_at: datetime | None = None
    """When it was accepted, rejected, withdrawn or superseded."""
    result_uid: str | None = None
    """For an accepted insertion: the new paragraph's uid."""

    @property
    def is_open(self) -> bool:
        """True while it awaits a decision."""
        return self.status == AmendmentStatus.PROPOSED

    @property
    def sponsors(self) -> list[str]:
        """Proposer then co-sponsors."""
        return [self.proposer, *self.cosponsors]


class Position(Model):
    """A delegation's latest position on a paragraph (uid) or amendment (A-id)."""

    document: str
    """The document."""
    target: str
    """A paragraph uid or an amendment id."""
    delegation: str
    """The delegation's code."""
    stance: Stance
    """Support, join, reserve, ad-ref, object or none."""
    comment: str = ""
    """Optional comment."""
    at: datetime
    """When it was recorded (UTC)."""


class Reservation(Model):
    """A delegation's reservation: one text, attached to one or more paragraphs."""

    document: str
    """The document."""
    id: str
    """Short id in its document: R1, R2, ..."""
    delegation: str | None
    """Whose reservation it is (None for an imported footnote that names no delegation)."""
    text: str
    """The footnote text (may hold several paragraphs)."""
    withdrawn: bool = False
    """True once withdrawn."""
    paragraphs: list[str] = Field(default_factory=list)
    """uids it is attached to, in the order attached."""
    created_at: datetime
    """When it was first attached (UTC)."""


class Revision(Model):
    """A frozen revision of a document."""

    document: str
    """The document."""
    number: int
    """1, 2, ..."""
    symbol: str
    """The document symbol with ` rev. N`."""
    at: datetime
    """When it was frozen (UTC)."""
    chain_head: str
    """The record's chain head when it was frozen."""
    snapshot: dict[str, Any] = Field(default_factory=dict)
    """Every paragraph's text, ref, status, open amendments and reservations, as frozen."""
