"""The record's vocabulary: plain enums and the acting principal, without pydantic.

The read path (`model.views`, `store.read`, `service.reading`) and the consensus rules use these
without importing the pydantic models; `model.document`, `model.negotiation` and
`model.principals` re-export them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from workplan.errors import InputError

CHAIR = "CHAIR"
SECRETARIAT = "SECRETARIAT"
OBSERVER = "OBSERVER"

DELEGATION_CODE = re.compile(r"^[A-Z]{3}$")


class Role(StrEnum):
    """The role a principal acts in."""

    DELEGATION = "delegation"
    CHAIR = "chair"
    SECRETARIAT = "secretariat"
    OBSERVER = "observer"


@dataclass(frozen=True)
class Principal:
    """The acting principal: a delegation code, CHAIR, SECRETARIAT or OBSERVER."""

    id: str
    """CHAIR, SECRETARIAT, OBSERVER, or a delegation's alpha-3 code."""

    @property
    def role(self) -> Role:
        """The role this principal acts in."""
        return {CHAIR: Role.CHAIR, SECRETARIAT: Role.SECRETARIAT, OBSERVER: Role.OBSERVER}.get(
            self.id, Role.DELEGATION
        )

    @classmethod
    def parse(cls, value: str) -> Principal:
        """Parse `--as` input: a role name or a delegation code (any case)."""
        v = value.strip().upper()
        if v in (CHAIR, SECRETARIAT, OBSERVER) or DELEGATION_CODE.match(v):
            return cls(id=v)
        raise InputError(
            f"unknown principal {value!r}: use CHAIR, SECRETARIAT, OBSERVER or a delegation code"
        )


class ParagraphKind(StrEnum):
    """What a paragraph is, which decides how it is numbered."""

    PREAMBULAR = "preambular"
    OPERATIVE = "operative"
    FOLLOW_UP = "follow-up"
    OTHER = "other"


class Numbering(StrEnum):
    """How operative paragraphs are numbered."""

    CONTINUOUS = "continuous"
    """One sequence through the whole document (OP1..OPn)."""
    PER_SECTION = "per-section"
    """The sequence restarts in each top-level section."""


class Decision(StrEnum):
    """What the chair has declared about a paragraph (the stored part of its status)."""

    OPEN = "open"
    AGREED = "agreed"
    AGREED_AD_REF = "agreed-ad-ref"
    DELETED = "deleted"
    SILENCE = "silence"


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
