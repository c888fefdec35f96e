"""The record: one event for every change, chained by hash."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import Field

from workplan.model.base import Model


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
