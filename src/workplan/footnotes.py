"""The footnote engine: OAS-style reservation footnotes, pure (no I/O).

Footnotes are numbered in reading order across the document. A reservation's first occurrence
prints its full text; every later one prints `Idem N`, N being the number of that first
footnote. Several reservations on one paragraph keep the order they were first attached in.
A long footnote is cut at a word boundary with "…" at the foot of the page and continued in a
FOOTNOTES section at the end, under the same number.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

#: Footnotes longer than this are cut at the foot and continued at the end.
DEFAULT_MAX_LENGTH = 600


class FootnoteSource(BaseModel):
    """A reservation attached to a paragraph, as the engine needs it."""

    reservation: str
    """The reservation's id (R1): the same id means the same text."""
    delegation: str = ""
    """The delegation's code ('' when unattributed)."""
    text: str
    """The full text; blank lines separate its paragraphs."""


class Footnote(BaseModel):
    """One printed footnote."""

    number: int
    """Printed number, from 1 in reading order."""
    reservation: str
    """The reservation it prints."""
    delegation: str = ""
    """Whose reservation."""
    text: str
    """What prints at the foot: the (possibly cut) full text, or `Idem N`."""
    full_text: str
    """The reservation's whole text."""
    idem_of: int | None = None
    """For a repeat: the number of the first footnote with this text."""
    continued: str = ""
    """The rest of a cut footnote, printed in the FOOTNOTES section ('' when not cut)."""


class FootnotePlan(BaseModel):
    """Calls per paragraph and the footnotes, in order."""

    calls: dict[str, list[int]] = Field(default_factory=dict)
    """paragraph key → footnote numbers called there, in order."""
    footnotes: list[Footnote] = Field(default_factory=list)
    """Every footnote, by number."""

    @property
    def continuations(self) -> list[Footnote]:
        """The footnotes that continue in the FOOTNOTES section."""
        return [f for f in self.footnotes if f.continued]


def cut(text: str, max_length: int) -> tuple[str, str]:
    """Cut `text` at a word boundary near `max_length`: (head ending in "…", rest) or (text, "")."""
    if len(text) <= max_length:
        return text, ""
    head = text[:max_length]
    space = max(head.rfind(" "), head.rfind("\n"))
    if space > max_length // 2:
        head = text[:space]
    rest = text[len(head) :].lstrip()
    return head.rstrip() + "…", rest


def plan_footnotes(
    paragraphs: Iterable[tuple[str, Sequence[FootnoteSource]]],
    *,
    start: int = 1,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> FootnotePlan:
    """Number the footnotes of paragraphs given in reading order as (key, reservations)."""
    plan = FootnotePlan()
    first: dict[str, int] = {}
    number = start
    for key, sources in paragraphs:
        calls: list[int] = []
        for src in sources:
            if src.reservation in first:
                idem = first[src.reservation]
                note = Footnote(
                    number=number,
                    reservation=src.reservation,
                    delegation=src.delegation,
                    text=f"Idem {idem}",
                    full_text=src.text,
                    idem_of=idem,
                )
            else:
                first[src.reservation] = number
                head, rest = cut(src.text, max_length)
                note = Footnote(
                    number=number,
                    reservation=src.reservation,
                    delegation=src.delegation,
                    text=head,
                    full_text=src.text,
                    continued=rest,
                )
            plan.footnotes.append(note)
            calls.append(number)
            number += 1
        if calls:
            plan.calls[key] = calls
    return plan


def call_suffix(numbers: Sequence[int]) -> str:
    """OAS plain-text calls right after the last word: `1/2/3/`."""
    return "".join(f"{n}/" for n in numbers)


def foot_lines(plan: FootnotePlan, numbers: Sequence[int]) -> list[str]:
    """The plain-text footnote bodies printed at a paragraph's foot: `N. text`."""
    by_number = {f.number: f for f in plan.footnotes}
    lines = []
    for n in numbers:
        body = by_number[n].text.replace("\n\n", "\n    ")
        lines.append(f"{n}. {body}")
    return lines


def continuation_section(plan: FootnotePlan) -> list[str]:
    """The FOOTNOTES section: each cut footnote's rest under its number (paragraphs kept)."""
    if not plan.continuations:
        return []
    lines = ["FOOTNOTES", ""]
    for f in plan.continuations:
        parts = f.continued.split("\n\n")
        lines.append(f"{f.number}. …{parts[0]}")
        lines += [f"    {p}" for p in parts[1:]]
        lines.append("")
    return lines
