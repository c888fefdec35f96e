"""Documents, sections and paragraphs: the draft a working group negotiates."""

from __future__ import annotations

import re
from datetime import datetime

from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from workplan.model.base import Model
from workplan.model.text import clean_line, clean_text
from workplan.model.vocab import Decision as Decision
from workplan.model.vocab import Numbering as Numbering
from workplan.model.vocab import ParagraphKind as ParagraphKind

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
UID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


def new_uid() -> str:
    """A fresh paragraph uid: random, so it never depends on position or number."""
    import secrets  # with hashlib's OpenSSL, imported when a uid is made, not at start-up

    return "p-" + secrets.token_hex(5)


_REVISION_SUFFIX = re.compile(r"^(?P<base>.*?)\s+rev\.?\s*(?P<n>\d{1,4})$", re.IGNORECASE)


def split_revision(symbol: str) -> tuple[str, int | None]:
    """A document symbol and the revision it names, if it names one:
    `CP/CSH-2001/22 rev. 3` gives (`CP/CSH-2001/22`, 3); `CP/CSH/doc.1/22` (itself, None)."""
    m = _REVISION_SUFFIX.match(symbol.strip())
    return (m["base"], int(m["n"])) if m else (symbol.strip(), None)


class Lineage(Model):
    """Where a paragraph came from: a paragraph of another document."""

    model_config = ConfigDict(frozen=True)

    document: str
    """The source document's id."""
    uid: str
    """The source paragraph's uid."""

    def __str__(self) -> str:
        return f"{self.document}/{self.uid}"

    @classmethod
    def parse(cls, value: str) -> Lineage:
        """Parse `document/uid`."""
        doc, sep, uid = value.partition("/")
        if not sep or not SLUG.match(doc) or not UID.match(uid):
            raise ValueError(f"lineage must be 'document/uid', got {value!r}")
        return cls(document=doc, uid=uid)


#: Metadata keys of the header block and the record line.
ORGAN, SERIES, RECORD_LINE = "organ", "series", "record-line"
#: Metadata key: the revision the symbol named when the text was imported (`3` for `rev. 3`).
REVISION = "revision"


class Document(Model):
    """A negotiated text: a work plan, a resolution, a set of recommendations."""

    id: str
    """Slug id, e.g. `third-work-plan`."""
    title: str
    """Full title."""
    symbol: str = ""
    """The document symbol without revision suffix, e.g. `CP/CSH-2001/21`."""
    period_start: int | None = None
    """First year of the plan's period."""
    period_end: int | None = None
    """Last year of the plan's period."""
    original_language: str = "English"
    """The language of the original (`Original: <language>`)."""
    adopted: str | None = None
    """Date of adoption (ISO date), if adopted."""
    derived_from: str | None = None
    """Id of the document this one was started from."""
    numbering: Numbering = Numbering.CONTINUOUS
    """How operative paragraphs are numbered."""
    metadata: dict[str, str] = Field(default_factory=dict)
    """Free metadata (meeting, notes on extensions) and the header's: `organ` (its lines, one
    a line), `series` (`OEA/Ser.G`), `revision` (the revision an imported symbol named),
    `record-line` (`off` leaves the record line out of exports)."""

    @field_validator("id", "derived_from")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value is not None and not SLUG.match(value):
            raise ValueError(
                f"document id must be lower-case letters, digits and hyphens: {value!r}"
            )
        return value

    @field_validator("title", "symbol", "original_language")
    @classmethod
    def _line(cls, value: str, info: ValidationInfo) -> str:
        return clean_line(value, (info.field_name or "text").replace("_", " "))

    @field_validator("metadata")
    @classmethod
    def _meta(cls, value: dict[str, str]) -> dict[str, str]:
        return {
            clean_line(k, "metadata key"): clean_text(v, f"metadata {k}") for k, v in value.items()
        }

    @model_validator(mode="after")
    def _period(self) -> Document:
        if (
            self.period_start is not None
            and self.period_end is not None
            and self.period_end < self.period_start
        ):
            raise ValueError(
                f"period ends ({self.period_end}) before it starts ({self.period_start})"
            )
        return self

    @property
    def organ(self) -> list[str]:
        """The organ lines of the header's left column (empty when unknown)."""
        return [x for x in self.metadata.get(ORGAN, "").split("\n") if x]

    @property
    def series(self) -> str:
        """The series (`OEA/Ser.G`), or empty when unknown."""
        return self.metadata.get(SERIES, "")

    @property
    def record_line(self) -> bool:
        """Whether exports print the record line (`Record 3febb8fd...`) as their last line."""
        return self.metadata.get(RECORD_LINE, "on") != "off"

    @property
    def received_revision(self) -> int:
        """The revision the text was at when it came in (`3`, imported as `... rev. 3`): the
        record's revisions go on from it (its first is rev. 4). 0 when none."""
        value = self.metadata.get(REVISION, "")
        return int(value) if value.isdigit() else 0

    def revision_number(self, number: int) -> int:
        """The printed revision number of the record's `number`-th revision (`rev. 4` for the
        first revision of a text imported at rev. 3)."""
        return self.received_revision + number

    @property
    def period(self) -> str:
        """The period as printed, e.g. `2022–2027`."""
        if self.period_start is None:
            return ""
        if self.period_end is None or self.period_end == self.period_start:
            return str(self.period_start)
        return f"{self.period_start}–{self.period_end}"


class Section(Model):
    """A heading that groups paragraphs; an area can hold sub-sections."""

    id: str
    """Slug id, unique in its document."""
    title: str
    """The heading text."""
    position: int = 0
    """Order in the document."""
    parent: str | None = None
    """The parent section's id, for a sub-section."""

    @field_validator("id", "parent")
    @classmethod
    def _slug(cls, value: str | None) -> str | None:
        if value is not None and not SLUG.match(value):
            raise ValueError(
                f"section id must be lower-case letters, digits and hyphens: {value!r}"
            )
        return value

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        return clean_line(value, "section title")


class Paragraph(Model):
    """One paragraph: the unit of negotiation. Its uid is its identity, never its number."""

    uid: str = Field(default_factory=new_uid)
    """Stable identity, never reused, independent of the printed number."""
    document: str = ""
    """The id of the document it belongs to."""
    section: str | None = None
    """The id of its section, if any."""
    position: int = 0
    """Order in the document (0-based, dense)."""
    kind: ParagraphKind = ParagraphKind.OPERATIVE
    """Preambular, operative, follow-up or other."""
    text: str
    """The paragraph's current text (NFC, no control characters)."""
    lineage: Lineage | None = None
    """The paragraph it was carried over from, if any."""
    version: int = 1
    """Bumped on every change; actions name the version they read."""
    decision: Decision = Decision.OPEN
    """What the chair has declared."""
    silence_until: datetime | None = None
    """Deadline of a silence procedure (UTC), while under silence."""
    ad_ref: list[str] = Field(default_factory=list)
    """Delegations still ad referendum, when agreed ad referendum."""
    held_ref: str | None = None
    """Its number in the text on the table (the last revision, or the document as started),
    which it keeps until the next revision; None for a paragraph inserted since."""

    @field_validator("uid")
    @classmethod
    def _uid(cls, value: str) -> str:
        if not UID.match(value):
            raise ValueError(f"paragraph uid must be letters, digits, '-' or '_': {value!r}")
        return value

    @field_validator("text")
    @classmethod
    def _text(cls, value: str) -> str:
        return clean_text(value)

    @property
    def deleted(self) -> bool:
        """True once the chair declared it deleted."""
        return self.decision == Decision.DELETED
