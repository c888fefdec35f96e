"""Negotiation objects: amendments, positions, reservations, revisions and paragraph status."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import Field

from workplan.model.base import Model


class AmendmentKind(StrEnum):
    """What an amendment does."""

    MODIFY = "modify"
    INSERT = "insert"
    DELETE = "delete"
    MOVE = "move"


class AmendmentStatus(StrEnum):
    """Where an amendment is in its life."""

    PROPOSED = "proposed"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


class Placement(StrEnum):
    """Where an inserted paragraph goes relative to its anchor."""

    AFTER = "after"
    BEFORE = "before"
    END_OF_SECTION = "end-of-section"


class Stance(StrEnum):
    """A delegation's position on a paragraph or an amendment."""

    SUPPORT = "support"
    JOIN = "join"
    RESERVE = "reserve"
    """Join the consensus with a reservation."""
    AD_REF = "ad-ref"
    """Ad referendum: pending the capital's confirmation."""
    OBJECT = "object"
    NONE = "none"


class Status(StrEnum):
    """A paragraph's status, derived by `workplan.consensus`."""

    NOT_DISCUSSED = "not-discussed"
    UNDER_NEGOTIATION = "under-negotiation"
    UNDER_SILENCE = "under-silence"
    AGREED_AD_REF = "agreed-ad-ref"
    AGREED = "agreed"
    DELETED = "deleted"


STATUS_LABELS: dict[Status, str] = {
    Status.NOT_DISCUSSED: "not yet discussed",
    Status.UNDER_NEGOTIATION: "under negotiation",
    Status.UNDER_SILENCE: "under silence",
    Status.AGREED_AD_REF: "agreed ad referendum",
    Status.AGREED: "agreed",
    Status.DELETED: "deleted",
}


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


class ParagraphState(Model):
    """A paragraph's derived status and what holds it there."""

    status: Status
    """The status."""
    ready: bool
    """No open amendment and no objection: the chair could declare it agreed."""
    open_amendments: list[str] = Field(default_factory=list)
    """Ids of open amendments on it (modify, delete, move)."""
    insertions: list[str] = Field(default_factory=list)
    """Ids of open amendments inserting a new paragraph next to it (they do not block it)."""
    objecting: list[str] = Field(default_factory=list)
    """Delegations objecting."""
    ad_ref: list[str] = Field(default_factory=list)
    """Delegations ad referendum."""
    reserving: list[str] = Field(default_factory=list)
    """Delegations joining with a reservation."""
    silence_until: datetime | None = None
    """Silence deadline, while under silence."""


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
