"""Normalise text as it arrives from PDFs and Word converters: drop page numbers and running
heads (each recorded as dropped on purpose), lift notes printed at page feet, and join
hard-wrapped lines into paragraphs by the document's own cues. Line numbers of the input are
kept for every line, so messages name the line of the file."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from workplan.formats.text_in.footnotes import find_call
from workplan.model.lexicon import (
    is_notes_heading,
    is_opening_line,
    is_option_line,
    is_under_title,
)
from workplan.model.oas import (
    HEADER_LINE,
    NUMBERED,
    is_chapeau,
    is_follow_up_heading,
    is_preambular,
)

#: A page number on a line of its own: `- 2 -`, `-1-`, `2`, `Page 2 of 9`, `Página 2`.
PAGE_NUMBER = re.compile(
    r"^\s*(?:[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4}|(?:page|página|pág\.|p\.)\s*\d{1,4}"
    r"(?:\s*(?:of|de|/)\s*\d{1,4})?)\s*$",
    re.IGNORECASE,
)
#: A note printed at a page's foot: `1/ text` (OAS), `1. text` (Word, PDF), `1 Text` (UN) or
#: `1Text` (a PDF's superscript number glued to the note).
FOOT_NOTE = re.compile(
    r"^\s*(\d{1,3})(?:/\s*|\.\s+|\s+|(?=[A-ZÁÉÍÓÚÑÇÀÂÊÔ][^\W\d_]))(?=[^\s\d])(?!/)"
)
#: The rule Word and PDF text print above a page's notes: a line of underscores or dashes.
FOOT_RULE = re.compile(r"^\s*(?:_{5,}|-{5,}|—{3,}|─{5,})\s*$")
_SENTENCE_END = re.compile(r"(?:[.;:!?…)\]”\"’]|\d/)$")
#: A line ending in a hyphen or dash set close to the word before it (`Transnat-`, `(2022–`):
#: the next line is joined to it without a space (a spaced dash, ` – `, keeps one).
_CLOSED_UP = re.compile(r"[^\s\-–—][-–—]$")
_LIST_ITEM = re.compile(r"^(?:[a-z]{1,2}|[ivx]{1,5})[.)]\s")
_ORIGINAL_LINE = re.compile(r"^original\s*:", re.IGNORECASE)
_TRAILER = re.compile(r"^Record (?:chain head(?: at rev\. \d+)?:|[0-9a-f]{12,64}(?: \(|$))")


@dataclass
class Dropped:
    """A line dropped on purpose, and why."""

    line: int
    text: str
    why: str


@dataclass
class Normalised:
    """Lines (one paragraph a line where the input was hard-wrapped), each with its line in the
    input; what was dropped on purpose; the notes found at page feet."""

    lines: list[str] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    foot_notes: list[tuple[int, str]] = field(default_factory=list)
    joined: int = 0

    @property
    def text(self) -> str:
        """The lines as one text."""
        return "\n".join(self.lines)


def is_page_number(line: str, before: str, after: str) -> bool:
    """True for a page number: a dashed number or `Page N` anywhere, a bare number only with
    blank lines (or a page break) on both sides."""
    s = line.strip()
    if not PAGE_NUMBER.match(s):
        return False
    return not s.isdigit() or (not before.strip() and not after.strip())


def opens_paragraph(line: str) -> bool:
    """True if `line` opens a paragraph by its own cues: numbering (`1.`, `9bis.`, `a)`), a
    preambular phrase, a chapeau, an opening, a heading of notes or follow-up, an option
    (`Option 2:`), an upper-case line, a parenthesised line under a title."""
    s = line.strip()
    return bool(
        NUMBERED.match(s)
        or is_chapeau(s)
        or is_preambular(s)
        or is_opening_line(s)
        or is_notes_heading(s)
        or is_follow_up_heading(s)
        or is_under_title(s)
        or is_option_line(s)
        or bool(_ORIGINAL_LINE.match(s))
        or _LIST_ITEM.match(s)
        or (s.upper() == s and any(c.isalpha() for c in s))
        or "[footnoteRef:" in s
    )


def _pages(raw: list[str]) -> tuple[list[tuple[int, str]], set[int]]:
    """Lines with their numbers; a form feed is a page break before the line it opens."""
    out: list[tuple[int, str]] = []
    breaks: set[int] = set()
    for no, line in enumerate(raw, start=1):
        if "\f" in line:
            breaks.add(len(out) + (0 if line.startswith("\f") else 1))
            line = line.replace("\f", "")
        out.append((no, line))
    return out, breaks


def drop_furniture(raw: list[str]) -> tuple[list[tuple[int, str]], list[Dropped], set[int]]:
    """Drop page numbers, running heads (a line repeated next to page breaks) and blank lines
    around them; return the kept lines, what was dropped, and where pages break (indexes into
    the kept lines)."""
    lines, breaks = _pages(raw)
    dropped: list[Dropped] = []
    is_break = _mark_page_furniture(lines, breaks, dropped)
    edges = {i for i, b in enumerate(is_break) if b} | set(breaks)
    near = _beside_breaks(lines, breaks, is_break, edges)
    counts = Counter(
        lines[j][1].strip() for j in set(near) if _may_be_running_head(lines[j][1].strip())
    )
    # the symbol or series of the header block, printed again at the top of a later page
    first_edge = min(edges, default=len(lines))
    header = {t.strip() for _, t in lines[:first_edge] if HEADER_LINE.match(t.strip())}
    for j in sorted(set(near)):
        text = lines[j][1].strip()
        repeated = counts[text] >= 2 or (text in header and _may_be_running_head(text))
        # the first page's header block stays: only lines after a break are dropped
        if repeated and not is_break[j] and any(e < j for e in edges):
            is_break[j] = True
            dropped.append(Dropped(lines[j][0], text, "running head"))
    kept, page_breaks = _keep_body(lines, breaks, is_break)
    return kept, sorted(dropped, key=lambda d: d.line), page_breaks


def _mark_page_furniture(
    lines: list[tuple[int, str]], breaks: set[int], dropped: list[Dropped]
) -> list[bool]:
    """Which lines are page numbers or our exports' record line (both dropped, listed in
    `dropped`); a rule above notes is blanked and listed too."""
    is_break = [False] * len(lines)
    for i, (no, text) in enumerate(lines):
        before = lines[i - 1][1] if i > 0 and (i not in breaks) else ""
        after = lines[i + 1][1] if i + 1 < len(lines) and (i + 1 not in breaks) else ""
        if is_page_number(text, before, after):
            is_break[i] = True
            dropped.append(Dropped(no, text.strip(), "page number"))
        elif _TRAILER.match(text.strip()):
            is_break[i] = True
            dropped.append(Dropped(no, text.strip(), "the record line of an export"))
        elif FOOT_RULE.match(text):
            lines[i] = (no, "")
            dropped.append(Dropped(no, text.strip(), "the rule above notes"))
    return is_break


def _beside_breaks(
    lines: list[tuple[int, str]], breaks: set[int], is_break: list[bool], edges: set[int]
) -> list[int]:
    """The non-blank line on either side of each page break (where running heads stand)."""
    near: list[int] = []
    for e in edges:
        for step in (-1, 1):
            j, seen = e + (step if e not in breaks or step == 1 else 0), 0
            if e in breaks and step == -1:
                j = e - 1
            while 0 <= j < len(lines) and seen < 1:
                if lines[j][1].strip() and not is_break[j]:
                    near.append(j)
                    seen += 1
                j += step
    return near


def _keep_body(
    lines: list[tuple[int, str]], breaks: set[int], is_break: list[bool]
) -> tuple[list[tuple[int, str]], set[int]]:
    """The lines kept (blank lines around a page break dropped with it), and where pages
    break among them."""
    kept: list[tuple[int, str]] = []
    page_breaks: set[int] = set()
    pending_break = False
    for i, (no, text) in enumerate(lines):
        if i in breaks:
            pending_break = True
        if is_break[i]:
            pending_break = True
            while kept and not kept[-1][1].strip():
                kept.pop()
            continue
        if pending_break and not text.strip():
            continue
        if pending_break and kept:
            page_breaks.add(len(kept))
        pending_break = False
        kept.append((no, text))
    return kept, page_breaks


def _may_be_running_head(text: str) -> bool:
    return (
        3 <= len(text) <= 100
        and not text[:1].islower()
        and not is_preambular(text)
        and not NUMBERED.match(text)
        and not FOOT_NOTE.match(text)
        and not re.match(r"^(?:Idem|Ídem|Ibidem)\b", text)
    )


def lift_foot_notes(
    lines: list[tuple[int, str]],
    page_breaks: set[int],
    calls: str = "",
    elsewhere: set[int] | None = None,
) -> tuple[list[tuple[int, str]], list[tuple[int, str]], set[int]]:
    """Notes printed at a page's foot (`1/ text`, `1. text`, UN `1 Text`, wrapped over lines)
    just before a page break or the end: numbers rising by one down to the foot, each above
    the notes lifted so far and called on its page above it; and the rest of a note cut at the
    previous page's foot (lines that open no paragraph, after a blank line, above this page's
    notes). Take them out of the flow, in order; the rest is joined to the cut note. Notes
    printed `elsewhere` (in a notes section at the end) are not looked for at page feet (a
    body's `1.` at a page's foot is not note 1 then). `calls` is not needed (kept for
    callers)."""
    del calls
    skip = elsewhere or set()
    lifted: set[int] = set()
    notes: list[tuple[int, str]] = []
    last, page_start, above = 0, 0, 0
    for page_end in sorted(page_breaks | {len(lines)}):
        end = page_end
        while end > page_start and not lines[end - 1][1].strip():
            end -= 1
        first, numbers = _foot_starts(lines, (above, page_start), end, last, skip)
        top = first if first is not None else end
        rest = _continuation(lines, page_start, top, notes)
        if rest:
            no, text = notes[-1]
            notes[-1] = (no, f"{text.rstrip()} {lines[rest[0]][1].strip()}")
            notes += [lines[k] for k in rest[1:]]
            lifted.update(rest)
        if first is not None:
            notes += [lines[k] for k in range(first, end) if lines[k][1].strip()]
            lifted.update(range(first, end))
            last = max(numbers)
        if rest or first is not None:
            # the blank lines above the notes go with them: a paragraph cut by the page
            # break joins its rest on the next page by the usual cues
            k = min([*rest, top]) - 1
            while k >= page_start and not lines[k][1].strip():
                lifted.add(k)
                k -= 1
        above, page_start = page_start, page_end
    kept = [x for k, x in enumerate(lines) if k not in lifted]
    shift = sorted(lifted)
    new_breaks = {b - sum(1 for k in shift if k < b) for b in page_breaks}
    return kept, notes, new_breaks


def _foot_starts(
    lines: list[tuple[int, str]], starts: tuple[int, int], end: int, last: int, skip: set[int]
) -> tuple[int | None, list[int]]:
    """The first line of the notes at the foot of the page `[page_start, end)` and their
    numbers: going up from the foot over unbroken lines, each note line whose number is one
    below the note under it (the lowest above `last`), not in `skip`, and called above it on
    its page or the one before (`starts`: where those two begin; an export's record line
    parts a page too)."""
    called_from, page_start = starts
    first: int | None = None
    numbers: list[int] = []
    j = end - 1
    while j >= page_start and j >= end - 40:
        if not lines[j][1].strip():
            # notes printed a blank line apart: go on only from a note's first line
            if first != j + 1:
                break
            j -= 1
            continue
        m = FOOT_NOTE.match(lines[j][1])
        if m:
            n = int(m[1])
            fits = not numbers or n == numbers[-1] - 1
            if fits and n > last and n not in skip and _called(n, lines[called_from:j]):
                first = j
                numbers.append(n)
        j -= 1
    return first, numbers


def _continuation(
    lines: list[tuple[int, str]], page_start: int, top: int, notes: list[tuple[int, str]]
) -> list[int]:
    """The lines just above `top` (this page's notes, or its end) that go on with the note cut
    at the previous page's foot: after a blank line, opening no paragraph, at most 12."""
    if not notes or _SENTENCE_END.search(notes[-1][1].rstrip()):
        return []
    k = top - 1
    while k >= page_start and lines[k][1].strip() and top - k <= 12:
        k -= 1
    rest = list(range(k + 1, top))
    blank_above = k >= page_start and not lines[k][1].strip()
    if not rest or not blank_above or opens_paragraph(lines[rest[0]][1]):
        return []
    return rest


def _called(n: int, above: list[tuple[int, str]]) -> bool:
    return any(find_call(n, t) for _, t in above)


def join_wrapped(
    lines: list[tuple[int, str]], page_breaks: set[int] | None = None
) -> tuple[list[tuple[int, str]], int]:
    """Join hard-wrapped lines: a line continues the one before it (no blank line between)
    when it opens in lower case, or when the one before is full-width and ends no sentence
    and it does not open a paragraph itself. Across a page break the same cues decide; a
    break that joins nothing leaves a blank line."""
    breaks = page_breaks or set()
    widths = [len(t.rstrip()) for _, t in lines if t.strip()]
    width = max(widths, default=0)
    wrapped = width <= 130 and sum(1 for w in widths if w >= 0.6 * width) >= 3
    out: list[tuple[int, str]] = []
    current: _Joined | None = None  # the last line of `out`, as its pieces (joined at the end)
    joined = 0
    for i, (no, text) in enumerate(lines):
        if current is not None and text.strip() and current.continued_by(text, width, wrapped):
            current.join(text)
            joined += 1
            continue
        if current is not None:
            out.append(current.line())
        if i in breaks and out and out[-1][1].strip() and text.strip():
            out.append((no, ""))
        current = _Joined(no, text)
    if current is not None:
        out.append(current.line())
    return out, joined


class _Joined:
    """A line and the wrapped lines joined to it, kept as pieces so that joining many lines
    is linear: what the joining rules look at (its end, its length, a converter's footnote
    mark anywhere in it) is kept as it grows."""

    def __init__(self, no: int, text: str) -> None:
        self.no = no
        self.pieces = [text]
        self.head_length = len(text.rstrip())
        self.tail = text.rstrip()[-2:]
        self.has_ref = "[footnoteRef" in text
        self.blank = not text.strip()

    def continued_by(self, line: str, width: int, wrapped: bool) -> bool:
        """True when `line` continues this one (see `join_wrapped`)."""
        return not self.blank and _continues_after(
            self.tail, self.head_length, self.has_ref, line, width if wrapped else 0
        )

    def join(self, line: str) -> None:
        """Join `line` to this one: after a hyphen or dash set close to its word (`Inter-`,
        `(2022–`) without a space."""
        if self.pieces and len(self.pieces) == 1:
            self.pieces = [self.pieces[0].rstrip()]
        glue = "" if _CLOSED_UP.search(self.tail) else " "
        piece = line.strip()
        self.pieces += [glue, piece]
        self.head_length += len(glue) + len(piece)
        self.tail = (self.tail + glue + piece)[-2:]
        self.has_ref = self.has_ref or "[footnoteRef" in piece

    def line(self) -> tuple[int, str]:
        """The joined line with its first line's number."""
        return self.no, "".join(self.pieces)


def _continues_after(tail: str, head_length: int, has_ref: bool, line: str, width: int) -> bool:
    if line[:1] in " \t" or has_ref or re.match(r"^\s*\[\d+:", line):
        return False
    s = line.strip()
    if s[:1].islower() and not _LIST_ITEM.match(s):
        return True
    return (
        width > 0
        and head_length >= 0.6 * width
        and not _SENTENCE_END.search(tail)
        and not opens_paragraph(s)
    )


def _section_entries(lines: list[tuple[int, str]]) -> set[int]:
    """The numbers of the notes printed in a notes section at the end (`NOTAS DE PIE DE
    PÁGINA`), which are not looked for at page feet."""
    marks = [i for i, (_, t) in enumerate(lines) if is_notes_heading(t)]
    if not marks:
        return set()
    return {int(m[1]) for _, t in lines[marks[-1] + 1 :] if (m := FOOT_NOTE.match(t))}


def normalise(text: str) -> Normalised:
    """Drop page furniture, lift page-foot notes, join wrapped lines (see the functions above).
    Texts from Word converters (`[footnoteRef:`) have one paragraph a line: they are not
    joined."""
    raw = text.split("\n")
    kept, dropped, breaks = drop_furniture(raw)
    above = "\n".join(t for _, t in kept)
    notes: list[tuple[int, str]] = []
    if "[footnoteRef" not in text and breaks:
        kept, notes, breaks = lift_foot_notes(kept, breaks, above, _section_entries(kept))
    joined = 0
    if "[footnoteRef" not in text:
        kept, joined = join_wrapped(kept, breaks)
    notes_joined, _ = join_wrapped(notes) if notes else ([], 0)
    return Normalised(
        lines=[t for _, t in kept],
        origin=[n for n, _ in kept],
        dropped=dropped,
        foot_notes=notes_joined,
        joined=joined,
    )
