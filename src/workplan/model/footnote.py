"""Footnote models: what the footnote engine takes (reservations attached to paragraphs) and
what it gives back (printed numbers per paragraph, and the footnotes to print).

Plain pydantic, no I/O. The engine itself is `workplan.footnotes`.
"""

from __future__ import annotations

from pydantic import Field

from workplan.model.base import Model


class FootnoteSource(Model):
    """A reservation attached to a paragraph, as the footnote engine needs it."""

    reservation: str
    """The reservation's id (R1): the same id means the same footnote text."""
    delegation: str = ""
    """The delegation's code ('' when unattributed)."""
    text: str
    """The full text; a blank line ("\\n\\n") separates its paragraphs."""


class Footnote(Model):
    """One printed footnote."""

    number: int
    """Printed number, consecutive in reading order."""
    reservation: str
    """The reservation it prints."""
    delegation: str = ""
    """Whose reservation (code, '' when unattributed)."""
    text: str
    """What prints at the foot: the full text, its head cut with "…", or `Idem N`."""
    full_text: str
    """The reservation's whole text."""
    idem_of: int | None = None
    """For a repeat: the number of the first footnote with this reservation."""
    continued: str = ""
    """The rest of a cut footnote, printed in the FOOTNOTES section ('' when not cut)."""


class FootnotePlan(Model):
    """The footnote calls of every paragraph and the footnotes themselves, in order."""

    calls: dict[str, list[int]] = Field(default_factory=dict)
    """Paragraph key → the footnote numbers called there, in order (only paragraphs with calls)."""
    footnotes: list[Footnote] = Field(default_factory=list)
    """Every footnote, by number."""

    @property
    def continuations(self) -> list[Footnote]:
        """The footnotes cut at the foot that continue in the FOOTNOTES section."""
        return [f for f in self.footnotes if f.continued]

    def by_number(self) -> dict[int, Footnote]:
        """Printed number → footnote."""
        return {f.number: f for f in self.footnotes}

    def first_numbers(self) -> dict[str, int]:
        """Reservation id → the number of its first (full-text) footnote."""
        return {f.reservation: f.number for f in self.footnotes if f.idem_of is None}
