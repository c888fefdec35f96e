"""The footnote engine: OAS-style reservation footnotes, pure (no I/O).

Footnotes are numbered in reading order across the document, from 1 (or a given start). A
reservation's first occurrence prints its full text; every later one prints `Idem N`, N being
the number of that first footnote. Several reservations on one paragraph keep the order in
which they are given (the order they were first attached). A footnote longer than the maximum
is cut at a word boundary with "…" at the foot and continued, under the same number, in a
FOOTNOTES section at the end of the document; a footnote's paragraphs are kept.

In OAS plain text the calls are written `1/2/3/` right after the paragraph's last word, the
bodies as `N. text` lines at the paragraph's foot.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from workplan.model.footnote import Footnote, FootnotePlan, FootnoteSource
from workplan.model.note import Note

__all__ = [
    "DEFAULT_MAX_LENGTH",
    "ELLIPSIS",
    "TITLE_KEY",
    "Footnote",
    "FootnotePlan",
    "FootnoteSource",
    "call_suffix",
    "continuation_section",
    "cut",
    "foot_lines",
    "idem",
    "note_sources",
    "plan_footnotes",
    "rejoin",
    "render_continuations",
    "render_foot",
    "section_key",
]

#: The plan's key for the title's calls (the notes of the document as a whole).
TITLE_KEY = "#title"


def section_key(section: str) -> str:
    """The plan's key for the calls of a section's heading."""
    return f"#section/{section}"


def note_sources(notes: Iterable[Note]) -> dict[str, list[FootnoteSource]]:
    """The notes in force as footnote sources, by where they are called: each paragraph's uid,
    a heading's `section_key`, or `TITLE_KEY` for the notes of the document as a whole."""
    out: dict[str, list[FootnoteSource]] = {}
    for n in notes:
        if n.withdrawn:
            continue
        src = FootnoteSource(reservation=n.id, text=n.text)
        keys = n.paragraphs or [section_key(n.section) if n.section is not None else TITLE_KEY]
        for key in keys:
            out.setdefault(key, []).append(src)
    return out


#: Footnotes longer than this (in characters) are cut at the foot and continued at the end.
DEFAULT_MAX_LENGTH = 600
#: The mark of a cut footnote, at the end of its head and the start of its continuation.
ELLIPSIS = "…"
#: Indentation of a footnote's second and later paragraphs in plain text.
INDENT = "    "


def idem(number: int) -> str:
    """The text of a repeated footnote: `Idem N`."""
    return f"Idem {number}"


def _cut_points(text: str) -> list[int]:
    """Positions of single spaces between two words of one paragraph (never a line break)."""
    return [
        i
        for i in range(1, len(text) - 1)
        if text[i] == " " and not text[i - 1].isspace() and not text[i + 1].isspace()
    ]


def cut(text: str, max_length: int = DEFAULT_MAX_LENGTH) -> tuple[str, str]:
    """Cut `text` at a word boundary: (head ending in "…", rest), or (text, "") if it fits.

    The head keeps at most `max_length` characters before the "…" when a word boundary allows
    it (else it runs to the first boundary after), and always ends inside a paragraph, so that
    `rejoin(head, f"… {rest}") == text`. A text with no word boundary at all is not cut.
    """
    if max_length < 1:
        raise ValueError("max_length must be positive")
    if len(text) <= max_length:
        return text, ""
    points = _cut_points(text)
    if not points:
        return text, ""
    fitting = [i for i in points if i <= max_length]
    i = fitting[-1] if fitting else points[0]
    return text[:i] + ELLIPSIS, text[i + 1 :]


def rejoin(head: str, rest: str) -> str:
    """Join a cut footnote's head ("…" at the end) with its continuation as printed in the
    FOOTNOTES section ("…" at the start; "..." also accepted at either end).

    The last paragraph of the head and the first of the rest are one paragraph, joined by a
    space; the other paragraphs stay as they are. Pass the continuation as printed
    (`f"… {rest}"` for a `rest` from `cut`): one leading "…" is always taken as the mark.
    """
    left = head.rstrip()
    left = left[: -len(ELLIPSIS)] if left.endswith(ELLIPSIS) else left.removesuffix("...")
    left = left.rstrip()
    right = rest.lstrip()
    right = right[len(ELLIPSIS) :] if right.startswith(ELLIPSIS) else right.removeprefix("...")
    right = right.lstrip()
    if not left:
        return right
    if not right:
        return left
    return f"{left} {right}"


def plan_footnotes(
    paragraphs: Iterable[tuple[str, Sequence[FootnoteSource]]],
    *,
    start: int = 1,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> FootnotePlan:
    """Number the footnotes of paragraphs given in reading order as (key, reservations).

    Each paragraph's reservations are called in the order given; a reservation given twice for
    one paragraph is called once. Numbering runs from `start` with no gaps.
    """
    plan = FootnotePlan()
    first: dict[str, int] = {}
    number = start
    for key, sources in paragraphs:
        calls: list[int] = []
        seen: set[str] = set()
        for src in sources:
            if src.reservation in seen:
                continue
            seen.add(src.reservation)
            if src.reservation in first:
                head, rest, idem_of = idem(first[src.reservation]), "", first[src.reservation]
            else:
                first[src.reservation] = number
                (head, rest), idem_of = cut(src.text, max_length), None
            plan.footnotes.append(
                Footnote(
                    number=number,
                    reservation=src.reservation,
                    delegation=src.delegation,
                    text=head,
                    full_text=src.text,
                    idem_of=idem_of,
                    continued=rest,
                )
            )
            calls.append(number)
            number += 1
        if calls:
            plan.calls[key] = calls
    return plan


def call_suffix(numbers: Sequence[int]) -> str:
    """OAS plain-text calls, written right after the paragraph's last word: `1/2/3/`."""
    return "".join(f"{n}/" for n in numbers)


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n\n") if p.strip()] or [""]


def foot_lines(plan: FootnotePlan, numbers: Sequence[int]) -> list[str]:
    """The footnote bodies printed at a paragraph's foot: `N. text`, one line per footnote;
    a footnote's later paragraphs follow on their own indented lines (no blank line)."""
    by_number = plan.by_number()
    lines: list[str] = []
    for n in numbers:
        first, *more = _paragraphs(by_number[n].text)
        lines.append(f"{n}. {first}")
        lines += [f"{INDENT}{p}" for p in more]
    return lines


def render_foot(plan: FootnotePlan, numbers: Sequence[int]) -> str:
    """`foot_lines` as one string ('' when there are no calls)."""
    return "\n".join(foot_lines(plan, numbers))


def continuation_section(plan: FootnotePlan) -> list[str]:
    """The FOOTNOTES section as lines: each cut footnote's rest under its number, starting with
    "… ", its paragraphs separated by blank lines; [] when nothing was cut."""
    if not plan.continuations:
        return []
    lines = ["FOOTNOTES", ""]
    for f in plan.continuations:
        first, *more = _paragraphs(f.continued)
        lines += [f"{f.number}. {ELLIPSIS} {first}", ""]
        for p in more:
            lines += [f"{INDENT}{p}", ""]
    return lines


def render_continuations(plan: FootnotePlan) -> str:
    """`continuation_section` as one string ('' when nothing was cut)."""
    return "\n".join(continuation_section(plan))
