"""OAS plain text, read and written.

Reads Word-converted texts like the Sixth Meeting's recommendations and the plain text this
tool writes: header lines and a title, an opening clause, preambular paragraphs (an upper-case
participle opens them: RECALLING, "RECALLING, likewise,", TAKING INTO ACCOUNT), a chapeau
(`RECOMMEND:`), numbered operative paragraphs, a `FOLLOW-UP:` section whose printed numbers are
unreliable, and footnotes: converter calls `[footnoteRef:K]/` with inline bodies `[K: ...]` (K
runs one above the printed number; the offset is detected), or OAS calls `1/2/` after the last
word with `N. text` bodies at the paragraph's foot; `Idem N` bodies; heads cut with "…" and
continued in a trailing `FOOTNOTES` section. Wording is never corrected; only conversion
debris (numbers, tabs, body prefixes) is removed. Each distinct footnote text becomes one
reservation, attributed to the member state it names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from workplan.errors import InputError
from workplan.footnotes import (
    DEFAULT_MAX_LENGTH,
    FootnoteSource,
    call_suffix,
    continuation_section,
    foot_lines,
    plan_footnotes,
    rejoin,
)
from workplan.model.document import ParagraphKind
from workplan.model.oas import (
    FOLLOW_UP,
    HEADER_LINE,
    NUMBERED,
    OasDocument,
    OasParagraph,
    OasReservation,
    Role,
    guess_delegation,
    is_chapeau,
    is_follow_up_heading,
    is_heading,
    is_preambular,
)
from workplan.model.principals import Delegation, member_states
from workplan.model.text import check_file_text, clean_text

__all__ = ["guess_delegation", "parse_oas_text", "write_oas_text"]

_CALL = re.compile(r"\[footnoteRef:\s*(\d{1,6})\s*\]/?")
_MARK = re.compile(r"\x00(\d+)\x00")
_BODY_OPEN = re.compile(r"\[(\d{1,6}):")
_TRAILING_CALLS = re.compile(r"(?<=\S)((?:\d+/)+)$")
_FOOT = re.compile(r"^\s*(\d{1,3})\.[ ]+(\S.*)$", re.DOTALL)  # `N. text`, never `N.<tab>`
_TRAILER = re.compile(r"^Record (?:chain head(?: at rev\. \d+)?:|[0-9a-f]{12,64}(?: \(|$))")
_IDEM = re.compile(r"^(?:Idem|Ídem|Ibidem)\.?\s*(\d+)\s*\.?$", re.IGNORECASE)


class _Raw(NamedTuple):
    line: int
    lines: list[str]
    blank_before: bool


class _Body(NamedTuple):
    text: str
    line: int


def _fail(source: str, line: int, what: str) -> InputError:
    return InputError(f"{source}:{line}: {what}")


def _is_footnotes_line(line: str) -> bool:
    return line.strip().rstrip(":").upper() == "FOOTNOTES"


def _opens_paragraph(line: str) -> bool:
    s = line.strip()
    return bool(NUMBERED.match(s) or is_chapeau(s) or is_preambular(s) or "[footnoteRef:" in s)


_BLANKS = re.compile(r"[ \t]+")


def _trailing_calls(text: str) -> re.Match[str] | None:
    """`_TRAILING_CALLS.search(text)`, in linear time: searched from where the run of digits
    and slashes ending the text starts (after its last `//`, which no call run holds), since
    searched from the start a long run of digits not ending in calls took quadratic time."""
    if not text.endswith("/"):
        return None
    i = len(text)
    while i > 0 and (text[i - 1] == "/" or text[i - 1].isdecimal()):
        i -= 1
    gap = text.rfind("//", i)
    return _TRAILING_CALLS.search(text, gap + 1 if gap >= 0 else i)


def _one_space_if_tab(m: re.Match[str]) -> str:
    return " " if "\t" in m[0] else m[0]


def _debris(text: str) -> str:
    """Tabs become single spaces; each line stripped.

    Each run of spaces and tabs is matched once, whole (a run holding a tab becomes one space):
    a pattern anchored on the tab, tried at every space of a long run, took quadratic time."""
    lines = (_BLANKS.sub(_one_space_if_tab, ln).strip() for ln in text.split("\n"))
    return "\n".join(ln for ln in lines if ln)


def _close(text: str, depth: int) -> tuple[int, int]:
    """Index of the `]` that closes an open body (-1 if none) and the depth left."""
    for i, ch in enumerate(text):
        depth += (ch == "[") - (ch == "]")
        if depth == 0:
            return i, 0
    return -1, depth


def _mark(line: str) -> str:
    return _CALL.sub(lambda m: f"\x00{m[1]}\x00", line)


def _converter_pass(
    lines: list[str], source: str
) -> tuple[list[tuple[int, str]], dict[int, _Body]]:
    """Lift inline bodies `[K: ...]` out of the text (they may run over lines) and replace the
    calls `[footnoteRef:K]/` by markers; return (line number, text) pairs and bodies by K."""
    out: list[tuple[int, str]] = []
    bodies: dict[int, _Body] = {}
    i = 0
    while i < len(lines):
        no, line = i + 1, _mark(lines[i])
        if "[footnoteRef" in line:
            raise _fail(
                source,
                no,
                "a footnote call '[footnoteRef:' is not closed with ']' or is too long",
            )
        kept, pos = [], 0
        while m := _BODY_OPEN.search(line, pos):
            kept.append(line[pos : m.start()])
            key, body_no = int(m[1]), i + 1
            end, depth = _close(line[m.end() :], 1)
            if end >= 0:
                parts, pos = [line[m.end() : m.end() + end]], m.end() + end + 1
            else:
                parts = [line[m.end() :]]
                while end < 0:
                    i += 1
                    if i >= len(lines) or _opens_paragraph(lines[i]):
                        raise _fail(source, body_no, f"footnote body '[{key}:' is not closed")
                    line = _mark(lines[i])
                    end, depth = _close(line, depth)
                    parts.append(line if end < 0 else line[:end])
                pos = end + 1
            if key in bodies:
                raise _fail(source, body_no, f"footnote body '[{key}:' appears twice")
            if any(_MARK.search(part) for part in parts):
                raise _fail(source, body_no, f"footnote body '[{key}:' holds a footnote call")
            text = _debris(re.sub(r"^[\s.]+", "", "\n".join(parts)))
            bodies[key] = _Body(text.replace("\n", "\n\n"), body_no)
        kept.append(line[pos:])
        out.append((no, "".join(kept)))
        i += 1
    return out, bodies


def _group(lines: list[tuple[int, str]]) -> list[_Raw]:
    """Paragraphs: each line opens one, except an indented line that does not look like the
    start of a paragraph (a sub-item, or a footnote's next paragraph), which continues it."""
    raws: list[_Raw] = []
    blank, current = True, False
    for no, text in lines:
        if not _MARK.sub("", text).strip():
            if _MARK.search(text) and current:  # calls alone on a line: the paragraph's
                raws[-1].lines.append(text)
            else:
                blank, current = True, False
            continue
        if current and text[:1] in " \t" and not _opens_paragraph(text):
            raws[-1].lines.append(text)
            continue
        raws.append(_Raw(no, [text], blank))
        blank, current = False, True
    return raws


def _clean(text: str, source: str, line: int, what: str = "paragraph text") -> str:
    try:
        return clean_text(text, what)
    except InputError as exc:
        raise _fail(source, line, exc.message) from None


class _Reader:
    """One pass over the paragraphs of a text, building an OasDocument."""

    def __init__(self, source: str, converter: bool) -> None:
        self.source = source
        self.doc = OasDocument(source=source)
        self.converter = converter
        self.clean_bodies: dict[int, _Body] = {}
        self.title_lines: list[str] = []
        self.front = True
        self.section: str | None = None
        self.follow_up = False
        self.seen_body = False  # a preambular, chapeau or operative paragraph was read

    def read(self, raws: list[_Raw]) -> None:
        """Classify every paragraph; take clean-style calls and their bodies as they come."""
        i = 0
        while i < len(raws):
            raw = raws[i]
            text = "\n".join(raw.lines)
            calls = [int(k) for k in _MARK.findall(text)]
            text = _debris(_MARK.sub("", text))
            if not calls and not self.converter:
                text, calls, i = self._clean_calls(text, raws, i, raw.line)
            i += 1
            if not text or _TRAILER.match(text):
                continue  # our exports end with the record's chain head
            if self._title_or_heading_calls(text, calls, raw):
                continue
            self._paragraph(text, calls, raw.line)
        if self.title_lines:
            self.doc.title = " ".join(self.title_lines)

    def _clean_calls(
        self, text: str, raws: list[_Raw], i: int, line: int
    ) -> tuple[str, list[int], int]:
        """OAS calls `1/2/` after the last word, confirmed by the `N. text` bodies that follow."""
        trailing = _trailing_calls(text)
        nxt = _FOOT.match(raws[i + 1].lines[0]) if i + 1 < len(raws) else None
        first = int(nxt[1]) if nxt else 0
        runs = [call_suffix(range(first, last + 1)) for last in range(first, first + 100)]
        matching = [r for r in runs if trailing and nxt and text.endswith(r) and text != r]
        if not matching:
            if trailing and re.search(r"[^\s\d/]$", text[: trailing.start()]):
                self.doc.warnings.append(
                    f"line {line}: the paragraph ends in {trailing[1]!r}, like footnote calls,"
                    " but no footnote text follows it: kept as text"
                )
            return text, [], i
        run = matching[-1]
        calls = [int(n) for n in run.rstrip("/").split("/")]
        for n in calls:
            body = _FOOT.match(raws[i + 1].lines[0]) if i + 1 < len(raws) else None
            if not body or int(body[1]) != n:
                raise _fail(self.source, line, f"footnote {n} is called but has no text")
            i += 1
            paras = [body[2], *raws[i].lines[1:]]
            self.clean_bodies[n] = _Body("\n\n".join(_debris(p) for p in paras), raws[i].line)
        return text[: -len(run)].rstrip(), calls, i

    def _title_or_heading_calls(self, text: str, calls: list[int], raw: _Raw) -> bool:
        """A header line, the title or a heading (see `_front_or_heading`): True if `text` was
        one. Calls printed after the title or a heading (`TITLE1/`, as our exports print a
        note of the document) are kept with it: their footnotes call no paragraph."""
        if not calls:
            return self._front_or_heading(text, raw)
        if self.front and HEADER_LINE.match(text):
            return False  # a header line takes no call: the text is read as a paragraph
        if not self._front_or_heading(text, raw):
            return False
        self.doc.heading_calls.append((raw.line, text, calls))
        return True

    def _front_or_heading(self, text: str, raw: _Raw) -> bool:
        """Header lines, the title, section headings and the follow-up heading: True if `text`
        was one of them (it is then not a paragraph)."""
        if _unbracketed(text) != text:  # a bracketed line is a paragraph not yet agreed
            return False
        if is_follow_up_heading(text):
            self.follow_up, self.front = True, False
            self.doc.follow_up_heading, self.section = text, FOLLOW_UP
            return True
        if not is_heading(text):
            return False
        if self.front:
            after_header = not raw.blank_before and self.doc.header and not self.title_lines
            if HEADER_LINE.match(text) or after_header:
                self.doc.header.append(text)
                return True
            if not self.title_lines or not raw.blank_before:
                self.title_lines.append(text)
                return True
        self.front, self.follow_up, self.section = False, False, text
        self.doc.headings.append(text)
        return True

    def _paragraph(self, text: str, calls: list[int], line: int) -> None:
        self.front = False
        role: Role
        number: str | None = None
        text = _unbracketed(text)
        m = NUMBERED.match(text)
        if is_chapeau(text):
            role, self.follow_up = "chapeau", False
            self.section = None if self.section == FOLLOW_UP else self.section
        elif self.follow_up:
            role = "follow-up"
        elif m:
            role = "operative"
        elif is_preambular(text):
            role = "preambular"
        else:
            role = "text" if self.seen_body else "opening"
        if m and role in ("operative", "follow-up"):
            number, text = m[1], _unbracketed(m[2].strip())
        self.seen_body = self.seen_body or role != "opening"
        kind = {
            "preambular": ParagraphKind.PREAMBULAR,
            "operative": ParagraphKind.OPERATIVE,
            "follow-up": ParagraphKind.FOLLOW_UP,
        }.get(role, ParagraphKind.OTHER)
        self.doc.paragraphs.append(
            OasParagraph(
                kind=kind,
                role=role,
                text=_clean(text, self.source, line),
                printed_number=number,
                section=self.section,
                calls=calls,
                line=line,
            )
        )


def _continuations(lines: list[str], first_no: int, source: str) -> dict[int, _Body]:
    """The FOOTNOTES section: each cut footnote's rest under its printed number; every line
    is one paragraph of it."""
    found: dict[int, list[str]] = {}
    where: dict[int, int] = {}
    current: int | None = None
    for no, line in enumerate(lines, start=first_no):
        text = _debris(line)
        if not text or _TRAILER.match(text):
            continue
        if "[footnoteRef" in text:
            raise _fail(source, no, "a footnote call in the FOOTNOTES section")
        m = re.match(r"^(\d{1,3})[.)]\s*(.*)$", text)
        if m:
            current = int(m[1])
            if current in found:
                raise _fail(source, no, f"footnote {current} is continued twice in FOOTNOTES")
            found[current], where[current] = [m[2]], no
        elif current is None:
            raise _fail(source, no, "text in the FOOTNOTES section before any footnote number")
        else:
            found[current].append(text)
    return {n: _Body("\n\n".join(p for p in ps if p), where[n]) for n, ps in found.items()}


def _resolve(
    doc: OasDocument,
    bodies: dict[int, _Body],
    continued: dict[int, _Body],
    roster: Sequence[Delegation],
) -> None:
    """Turn footnote calls into reservations: `Idem N` to the reservation of footnote N, cut
    heads joined with their continuation, equal texts merged."""
    src = doc.source
    by_number: dict[int, OasReservation] = {}
    by_text: dict[str, OasReservation] = {}
    calls: list[tuple[int, int | None, list[int]]] = [
        (p.line, i, p.calls) for i, p in enumerate(doc.paragraphs)
    ]
    calls += [(line, None, called) for line, _, called in doc.heading_calls]
    for line, index, called in sorted(calls, key=lambda c: c[0]):
        for n in called:
            doc.footnotes += 1
            if n in by_number:
                raise _fail(src, line, f"footnote {n} is called more than once")
            if n not in bodies:
                raise _fail(src, line, f"footnote {n} is called but has no text")
            res = _reservation_of(doc, n, bodies.pop(n), continued, by_number, by_text, roster)
            by_number[n] = res
            res.printed.append(n)
            if index is None:
                continue  # called from the title or a heading: on no paragraph
            para = doc.paragraphs[index]
            if res.key not in para.reservations:
                para.reservations.append(res.key)
                res.paragraphs.append(index)
    doc.reservations = list(by_text.values())
    for n in sorted(continued):
        doc.warnings.append(f"FOOTNOTES continues footnote {n}, which is not a cut footnote")
    for n in sorted(bodies):
        doc.warnings.append(f"footnote {n} has a text but is never called")


def _reservation_of(
    doc: OasDocument,
    n: int,
    body: _Body,
    continued: dict[int, _Body],
    by_number: dict[int, OasReservation],
    by_text: dict[str, OasReservation],
    roster: Sequence[Delegation],
) -> OasReservation:
    """The reservation footnote `n` prints: the earlier one an `Idem N` names, the one with
    the same text, or a new one (its cut head joined with the FOOTNOTES continuation)."""
    src = doc.source
    idem = _IDEM.match(body.text)
    if idem:
        res = by_number.get(int(idem[1]))
        if res is None or int(idem[1]) >= n:
            raise _fail(
                src,
                body.line,
                f"footnote {n} says Idem {idem[1]}, but there is no earlier footnote {idem[1]}",
            )
        return res
    text = body.text
    if n in continued:
        text = rejoin(text, continued.pop(n).text)
    elif text.endswith(("…", "...")):
        doc.warnings.append(f"footnote {n} is cut with '…' but FOOTNOTES does not continue it")
    paras = [_clean(p, src, body.line, f"footnote {n}") for p in text.split("\n\n")]
    text = "\n\n".join(paras)
    res = by_text.get(text) or OasReservation(key=f"R{len(by_text) + 1}", text=text)
    if text not in by_text:
        by_text[text] = res
        res.delegation = guess_delegation(text, roster)
        if res.delegation is None:
            doc.warnings.append(f"footnote {n} names no member state: {res.key} is unattributed")
    return res


def _unbracketed(text: str) -> str:
    """A paragraph printed wholly in [brackets] (not yet agreed, as our exports and OAS
    compilations print it) without them: the brackets mark its status, not its words."""
    if text.startswith("[") and text.endswith("]") and "[" not in text[1:] and "]" not in text[:-1]:
        return text[1:-1].strip()
    return text


def _check_numbering(doc: OasDocument) -> None:
    numbers = [n for p in doc.paragraphs for n in p.calls]
    if numbers and numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        doc.warnings.append("footnote numbers are not consecutive in reading order")
    ops = [
        p.printed_number
        for p in doc.paragraphs
        if p.role == "operative" and (p.printed_number or "").isdigit()
    ]
    if ops != [str(i) for i in range(1, len(ops) + 1)]:
        doc.warnings.append("operative paragraphs are not printed 1, 2, 3, ...: kept as data")
    fus = [p.printed_number for p in doc.paragraphs if p.role == "follow-up" and p.printed_number]
    if len(set(fus)) < len(fus):
        doc.warnings.append(
            f"follow-up items are printed {', '.join(fus)} (numbering lost): numbered in order"
        )


def parse_oas_text(
    text: str, source: str, roster: Sequence[Delegation] | None = None
) -> OasDocument:
    """Read an OAS plain text (Word-converted or as written by `write_oas_text`).

    `roster` gives the delegations whose names attribute reservations (default: the 35
    member states). Malformed input raises `InputError("source:line: what is wrong")`; a
    control or invisible character anywhere, `InputError("source:line:column: ...")`.
    """
    text = check_file_text(text.replace("\r\n", "\n").replace("\r", "\n"), source)
    lines = text.split("\n")
    marks = [i for i, ln in enumerate(lines) if _is_footnotes_line(ln)]
    if len(marks) > 1:
        raise _fail(source, marks[1] + 1, f"a second FOOTNOTES section (after line {marks[0] + 1})")
    cut = marks[0] if marks else len(lines)
    converter = "[footnoteRef" in text
    if converter:
        marked, raw_bodies = _converter_pass(lines[:cut], source)
    else:
        marked, raw_bodies = list(enumerate(lines[:cut], start=1)), {}
    reader = _Reader(source, converter)
    reader.read(_group(marked))
    doc = reader.doc
    bodies = reader.clean_bodies
    if converter:
        keys = [k for p in doc.paragraphs for k in p.calls]
        doc.footnote_offset = keys[0] - 1 if keys else 0
        bodies = {k - doc.footnote_offset: b for k, b in raw_bodies.items()}
        for p in doc.paragraphs:
            p.calls = [k - doc.footnote_offset for k in p.calls]
    continued = _continuations(lines[cut + 1 :], cut + 2, source)
    _resolve(doc, bodies, continued, member_states() if roster is None else roster)
    _check_numbering(doc)
    return doc


def write_oas_text(
    doc: OasDocument,
    *,
    header: Sequence[str] | None = None,
    title: str | None = None,
    start: int = 1,
    max_length: int = DEFAULT_MAX_LENGTH,
) -> str:
    """Write `doc` as OAS plain text, which `parse_oas_text` reads back.

    Header lines (organ, symbol with `rev. N`, date, `Original: <language>`; default
    `doc.header`) and the title (default `doc.title`) come first; then the paragraphs in order,
    with section headings, operative paragraphs numbered `N.<tab>` from 1, the follow-up heading
    and its items numbered from 1; every paragraph with its calls `1/2/3/` after its last word
    and the footnote bodies (`N. text`, later `Idem N`) at its foot; then the FOOTNOTES section
    continuing the footnotes longer than `max_length`. Footnotes are numbered from `start`.
    """
    reservations = {r.key: r for r in doc.reservations}
    sources: list[tuple[str, list[FootnoteSource]]] = []
    for i, p in enumerate(doc.paragraphs):
        unknown = [k for k in p.reservations if k not in reservations]
        if unknown:
            raise InputError(f"paragraph {i + 1} calls unknown reservation {unknown[0]}")
        sources.append(
            (
                str(i),
                [
                    FootnoteSource(
                        reservation=k,
                        delegation=reservations[k].delegation or "",
                        text=reservations[k].text,
                    )
                    for k in p.reservations
                ],
            )
        )
    plan = plan_footnotes(sources, start=start, max_length=max_length)
    head = list(doc.header if header is None else header)
    name = doc.title if title is None else title
    lines = [*head, ""] if head else []
    lines += [name, ""] if name else []
    section: str | None = None
    operative = follow_up = 0
    for i, p in enumerate(doc.paragraphs):
        label = ""
        if p.kind == ParagraphKind.FOLLOW_UP:
            if section != FOLLOW_UP:
                lines += [doc.follow_up_heading or "FOLLOW-UP:", ""]
            follow_up += 1
            label, section = f"{follow_up}.\t", FOLLOW_UP
        else:
            if p.section != section and p.section not in (None, FOLLOW_UP):
                lines += [p.section, ""]
            section = p.section
            if p.kind == ParagraphKind.OPERATIVE:
                operative += 1
                label = f"{operative}.\t"
        calls = plan.calls.get(str(i), [])
        lines.append(label + p.text.replace("\n", "\n\t") + call_suffix(calls))
        lines += ["", *foot_lines(plan, calls)] if calls else []
        lines.append("")
    lines += continuation_section(plan)
    return "\n".join(lines).rstrip("\n") + "\n"
