"""The record: one event for every change, chained by hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from workplan.model.base import Model

#: Every action the code writes into the record. `append` refuses any other, and `verify` names
#: an event whose action is not here (one written by something other than this program).
EVENT_ACTIONS: frozenset[str] = frozenset(
    {
        "amendment.accepted",
        "amendment.cosponsored",
        "amendment.needs-rebase",
        "amendment.proposed",
        "amendment.rebased",
        "amendment.rejected",
        "amendment.revised",
        "amendment.superseded",
        "amendment.withdrawn",
        "document.imported",
        "document.metadata-changed",
        "document.started",
        "note.added",
        "note.edited",
        "note.removed",
        "paragraph.agreed",
        "paragraph.agreed-ad-ref",
        "paragraph.confirmed",
        "paragraph.deleted",
        "paragraph.reopened",
        "paragraph.silence",
        "permission.refused",
        "position.recorded",
        "record.restored",
        "reservation.attached",
        "reservation.detached",
        "reservation.edited",
        "reservation.imported",
        "reservation.withdrawn",
        "revision.frozen",
        "roster.loaded",
        "silence.broken",
        "silence.ended",
        "translation.imported",
        "translation.set",
    }
)


class Event(Model):
    """One entry of the append-only record."""

    id: int
    """Sequence number, from 1."""
    at: datetime
    """When (UTC)."""
    actor: str
    """The principal who acted (a delegation code, CHAIR, SECRETARIAT, OBSERVER)."""
    on_behalf_of: str | None = None
    """The delegation the secretariat recorded this for, if any."""
    action: str
    """What was done, e.g. `document.imported`, `amendment.proposed`."""
    document: str | None = None
    """The document it concerns, if any."""
    payload: dict[str, Any] = Field(default_factory=dict)
    """The details, enough to replay the change."""
    prev_hash: str
    """Hash of the previous event (64 zeros for the first)."""
    hash: str
    """SHA-256 over this event's content and prev_hash."""
