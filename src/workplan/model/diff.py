"""Results of comparing drafts: paragraph alignment and word-level operations."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

Op = tuple[Literal["=", "-", "+"], str]


class ParaIn(BaseModel):
    """A paragraph as the diff engine sees it."""

    uid: str
    """Its uid on its side."""
    ref: str = ""
    """Its printed ref on its side ('' when none)."""
    text: str
    """Its text."""
    lineage_uid: str | None = None
    """The uid on the other side it descends from, if any."""
    section: str | None = None
    """Its section id."""


class ParaStatus(StrEnum):
    """How a paragraph changed from side A to side B."""

    UNCHANGED = "unchanged"
    MODIFIED = "modified"
    RENUMBERED = "renumbered"
    MOVED = "moved"
    INSERTED = "inserted"
    DELETED = "deleted"


class ParaDiff(BaseModel):
    """One aligned paragraph pair (or a lone inserted / deleted paragraph)."""

    status: ParaStatus
    """The main change; a moved paragraph whose text also changed is `modified` + `moved`."""
    moved: bool = False
    """Its order changed relative to its neighbours."""
    a_ref: str = ""
    """Ref on side A."""
    b_ref: str = ""
    """Ref on side B."""
    a_uid: str | None = None
    """uid on side A."""
    b_uid: str | None = None
    """uid on side B."""
    ops: list[Op] = Field(default_factory=list)
    """Word-level operations turning A's text into B's."""

    @property
    def changed(self) -> bool:
        """Anything but unchanged."""
        return self.status != ParaStatus.UNCHANGED or self.moved


class DraftDiff(BaseModel):
    """The whole comparison, in B's order (deleted paragraphs after their A neighbour)."""

    paragraphs: list[ParaDiff] = Field(default_factory=list)
    """Every paragraph of both sides, once."""

    @property
    def summary(self) -> dict[str, int]:
        """Counts per status, plus moved."""
        counts = {s.value: 0 for s in ParaStatus}
        for p in self.paragraphs:
            counts[p.status.value] += 1
            if p.moved and p.status != ParaStatus.MOVED:
                counts[ParaStatus.MOVED.value] += 1
        return counts


class PatchResult(BaseModel):
    """The result of re-applying a patch to a text that moved on."""

    text: str
    """The patched text (the input where nothing applied)."""
    applied: bool
    """True when every hunk applied."""
    failed: list[str] = Field(default_factory=list)
    """The hunks that did not apply, as readable text."""
