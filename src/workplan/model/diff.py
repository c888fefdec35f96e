"""Results of comparing drafts: paragraph alignment and word-level operations."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field

from workplan.model.base import Model

OpKind = Literal["=", "-", "+"]
"""`=` kept, `-` deleted (side A only), `+` inserted (side B only)."""
Op = tuple[OpKind, str]
"""One word-level operation: its kind and its text (never empty)."""


class ParaIn(Model):
    """A paragraph as the diff engine sees it."""

    model_config = ConfigDict(frozen=True)

    uid: str
    """Its uid on its side (unique within the side)."""
    ref: str = ""
    """Its printed ref on its side ('' when none)."""
    text: str
    """Its text."""
    lineage_uid: str | None = None
    """The uid of the paragraph on the other side it descends from, if any."""
    section: str | None = None
    """Its section id."""
    status: str = ""
    """Its negotiation status id on its side (`agreed`...; '' when the side has none)."""
    reservations: tuple[str, ...] = ()
    """The reservations attached to it on its side, as labels: `R2 (Jamaica)`."""


class ParaStatus(StrEnum):
    """How a paragraph changed from side A to side B (its main change)."""

    UNCHANGED = "unchanged"
    """Same text, same ref, same place."""
    MODIFIED = "modified"
    """Its text changed (it may also have moved: see `ParaDiff.moved`)."""
    RENUMBERED = "renumbered"
    """Same text and place among its neighbours; only its printed ref changed."""
    MOVED = "moved"
    """Same text, but its order changed relative to its neighbours."""
    INSERTED = "inserted"
    """Only on side B."""
    DELETED = "deleted"
    """Only on side A."""


@dataclass(slots=True)
class ParaDiff:
    """One aligned paragraph pair, or a lone inserted or deleted paragraph.

    A slotted dataclass rather than a pydantic model: a diff makes one per paragraph of both
    sides (10,000+), and validating each would cost more than the diff. pydantic still
    serialises it inside `DraftDiff` (`model_dump`, `model_dump_json`).
    """

    status: ParaStatus
    """The main change; a paragraph moved and edited is `modified` with `moved` set."""
    moved: bool = False
    """Its order changed relative to its neighbours (true for every `moved` paragraph)."""
    a_ref: str = ""
    """Printed ref on side A ('' when inserted or unnumbered)."""
    b_ref: str = ""
    """Printed ref on side B ('' when deleted or unnumbered)."""
    a_uid: str | None = None
    """uid on side A (None when inserted)."""
    b_uid: str | None = None
    """uid on side B (None when deleted)."""
    ops: tuple[Op, ...] = ()
    """Word-level operations turning A's text into B's; one `=` op when the text is the same."""
    a_status: str = ""
    """Its negotiation status id on side A ('' when that side has none, as a file)."""
    b_status: str = ""
    """Its negotiation status id on side B ('' when that side has none)."""
    reservations_added: tuple[str, ...] = ()
    """Reservations attached on side B and not on side A (labels: `R2 (Jamaica)`)."""
    reservations_removed: tuple[str, ...] = ()
    """Reservations attached on side A and no longer on side B."""

    @property
    def changed(self) -> bool:
        """Its text or its place changed, or it is only on one side. A paragraph only
        renumbered is not changed: one insertion near the top renumbers all that follow."""
        return self.moved or self.status not in (ParaStatus.UNCHANGED, ParaStatus.RENUMBERED)

    @property
    def renumbered(self) -> bool:
        """On both sides, under another printed ref (whatever else changed)."""
        return bool(self.a_ref and self.b_ref and self.a_ref != self.b_ref)

    @property
    def status_changed(self) -> bool:
        """Both sides have a status, and they differ (under negotiation → agreed)."""
        return bool(self.a_status and self.b_status and self.a_status != self.b_status)

    @property
    def reservations_changed(self) -> bool:
        """A reservation was attached or detached between the sides."""
        return bool(self.reservations_added or self.reservations_removed)

    @property
    def noted(self) -> bool:
        """Its status or its reservations changed (only two sides of one document have them)."""
        return self.status_changed or self.reservations_changed

    @property
    def a_text(self) -> str:
        """Side A's text, rebuilt from the ops ('' when inserted)."""
        return "".join(text for op, text in self.ops if op != "+")

    @property
    def b_text(self) -> str:
        """Side B's text, rebuilt from the ops ('' when deleted)."""
        return "".join(text for op, text in self.ops if op != "-")


class DraftDiff(Model):
    """The whole comparison, in B's order, each deleted paragraph after its A neighbour."""

    paragraphs: list[ParaDiff] = Field(default_factory=list)
    """Every paragraph of both sides, each exactly once."""
    by_lineage: bool = True
    """Aligned by uid and lineage (True) or by content (False)."""

    @property
    def changed(self) -> list[ParaDiff]:
        """The changed paragraphs (see `ParaDiff.changed`)."""
        return [p for p in self.paragraphs if p.changed]

    @property
    def listed(self) -> list[ParaDiff]:
        """What a diff lists: the changed paragraphs, those whose status or reservations
        changed, and, between two sides of one lineage (revisions, the draft, a plan and its
        predecessor), those renumbered. Between unrelated files a renumbering is not listed:
        one insertion near the top renumbers all that follow."""
        return [
            p for p in self.paragraphs if p.changed or p.noted or (self.by_lineage and p.renumbered)
        ]

    @property
    def summary(self) -> dict[str, int]:
        """Counts per status (they add up to the number of paragraphs), plus
        `moved_and_modified`: the modified paragraphs that also moved, `status_changed` and
        `reservations_changed`: the paragraphs whose status or reservations differ."""
        counts = {s.value: 0 for s in ParaStatus}
        both = status = reserved = 0
        for p in self.paragraphs:
            counts[p.status.value] += 1
            both += p.moved and p.status == ParaStatus.MODIFIED
            status += p.status_changed
            reserved += p.reservations_changed
        counts["moved_and_modified"] = both
        counts["status_changed"] = status
        counts["reservations_changed"] = reserved
        return counts


class PatchResult(Model):
    """The result of re-applying a patch to a text that may have moved on."""

    text: str
    """The patched text; the input text unchanged when any hunk failed."""
    applied: bool
    """True when every hunk applied."""
    failed: list[str] = Field(default_factory=list)
    """The hunks that did not apply, described for a delegate."""
