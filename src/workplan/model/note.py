"""Notes of a document: footnotes the secretariat keeps that name no delegation.

A reservation is a state's (a footnote in its name); a note is the document's own: an
explanatory footnote of the secretariat, or an imported footnote that names no member state.
It is called from paragraphs, from a section's heading, or from the title (a note of the
document as a whole), and prints as a footnote there, numbered with the reservations.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from workplan.model.base import Model

#: How a note's id starts: N1, N2, ...
NOTE_PREFIX = "N"


class Note(Model):
    """One note of a document."""

    document: str
    """The document."""
    id: str
    """Short id in its document: N1, N2, ... (never reused)."""
    text: str
    """The footnote text (may hold several paragraphs, separated by a blank line)."""
    paragraphs: list[str] = Field(default_factory=list)
    """uids of the paragraphs that call it, in order; empty for a heading's or the title's."""
    section: str | None = None
    """The section whose heading calls it (when no paragraph does)."""
    withdrawn: bool = False
    """True once the secretariat removed it (its id is not reused)."""
    created_at: datetime | None = None
    """When it was added or imported (UTC); None for a note read from a file, not yet in the
    record."""

    @property
    def on_title(self) -> bool:
        """True for a note of the document as a whole: called from the title."""
        return not self.paragraphs and self.section is None

    def place(self, refs: dict[str, str]) -> str:
        """Where it is called from, in words: `OP3, PP1`, `section prevention` or `the title`."""
        if self.paragraphs:
            return ", ".join(refs.get(u) or u for u in self.paragraphs)
        if self.section is not None:
            return f"section {self.section}"
        return "the title"
