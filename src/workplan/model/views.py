"""Read objects: plain and immutable, built straight from rows without pydantic validation.

What the reading commands and screens show (a paragraph's status, the status page) is built
from these by `store.read` and `service.reading`; the consensus rules return `ParagraphState`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workplan.model.vocab import Status


@dataclass(frozen=True)
class ParagraphState:
    """A paragraph's derived status and what holds it there."""

    status: Status
    """The status."""
    ready: bool
    """No open amendment and no objection: the chair could declare it agreed."""
    open_amendments: list[str] = field(default_factory=list)
    """Ids of open amendments on it (modify, delete, move)."""
    insertions: list[str] = field(default_factory=list)
    """Ids of open amendments inserting a new paragraph next to it (they do not block it)."""
    objecting: list[str] = field(default_factory=list)
    """Delegations objecting."""
    ad_ref: list[str] = field(default_factory=list)
    """Delegations ad referendum."""
    reserving: list[str] = field(default_factory=list)
    """Delegations joining with a reservation."""
    silence_until: datetime | None = None
    """Silence deadline, while under silence."""
