"""Read objects: plain and immutable, built straight from rows without pydantic validation.

What the reading commands and screens show (a paragraph's status, the status page) is built
from these by `store.read` and `service.reading`; the consensus rules return `ParagraphState`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from workplan.model.vocab import AmendmentKind, AmendmentStatus, Decision, ParagraphKind, Status


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


class DocumentView(NamedTuple):
    """A document's metadata as the read path shows it."""

    id: str
    title: str
    symbol: str
    numbering: str
    metadata: dict[str, str]
    """Header lines and settings (`timezone`), as stored."""
    original_language: str = "English"
    """The language the text is negotiated in (its translations are in the others)."""


class SectionView(NamedTuple):
    """A section: what numbering needs of it."""

    id: str
    title: str
    position: int
    parent: str | None


class ParagraphView(NamedTuple):
    """A paragraph without its text: numbering, version and what the chair declared."""

    uid: str
    kind: ParagraphKind
    section: str | None
    position: int
    version: int
    decision: Decision
    silence_until: datetime | None
    ad_ref: list[str]
    held_ref: str | None

    @property
    def deleted(self) -> bool:
        """True when the chair declared it deleted."""
        return self.decision == Decision.DELETED


class AmendmentView(NamedTuple):
    """An amendment as the consensus rules see it."""

    id: str
    target: str
    kind: AmendmentKind
    status: AmendmentStatus


class StanceView(NamedTuple):
    """A delegation's stance on a target (`none` is never stored in one)."""

    delegation: str
    stance: str


class ReservationView(NamedTuple):
    """A reservation: who, whether withdrawn, and the paragraphs it is attached to."""

    id: str
    delegation: str | None
    withdrawn: bool
    paragraphs: tuple[str, ...]


class OutlineRow(NamedTuple):
    """A paragraph as the outline's first frame shows it: read without the write side."""

    uid: str
    ref: str
    kind: str
    section: str | None
    status: str
    """Its status id, or "" when not derived for the first frame."""
    text: str


@dataclass(frozen=True)
class OutlinePage:
    """What the draft screen's first frame shows: the outline and the first paragraph."""

    document: DocumentView
    sections: tuple[SectionView, ...]
    rows: tuple[OutlineRow, ...]

    @property
    def refs(self) -> dict[str, str]:
        """uid → printed ref."""
        return {r.uid: r.ref for r in self.rows}

    @property
    def statuses(self) -> dict[str, str]:
        """uid → status id, for the paragraphs whose status was derived."""
        return {r.uid: r.status for r in self.rows if r.status}


@dataclass(frozen=True)
class StatusRow:
    """One paragraph of the status page."""

    ref: str
    formerly: str
    uid: str
    kind: str
    version: int
    state: ParagraphState
    reservations: tuple[str, ...]
    translations: dict[str, str]
    """Each official language other than the original's: current, stale or missing."""

    def as_json(self) -> dict[str, Any]:
        """The row of `status --json`."""
        st = self.state
        return {
            "ref": self.ref,
            "formerly": self.formerly,
            "uid": self.uid,
            "kind": self.kind,
            "version": self.version,
            "status": str(st.status),
            "ready": st.ready,
            "open_amendments": st.open_amendments,
            "insertions": st.insertions,
            "objecting": st.objecting,
            "ad_ref": st.ad_ref,
            "reserving": st.reserving,
            "reservations": list(self.reservations),
            "silence_until": st.silence_until.isoformat() if st.silence_until else None,
            "translations": dict(self.translations),
        }


@dataclass(frozen=True)
class StatusPage:
    """Every paragraph's status in a document, with the counts per status."""

    document: str
    timezone: str
    """The zone deadlines are shown in (the document's, else the host's)."""
    rows: tuple[StatusRow, ...]
    counts: dict[Status, int]
    translations: dict[str, dict[str, int]]
    """Per language, how many paragraphs (deleted ones aside) are current, stale, missing."""

    def as_json(self) -> dict[str, Any]:
        """What `status --json` prints."""
        return {
            "document": self.document,
            "timezone": self.timezone,
            "paragraphs": [r.as_json() for r in self.rows],
            "counts": {str(k): v for k, v in self.counts.items()},
            "translations": {lang: dict(n) for lang, n in self.translations.items()},
        }
