"""Footnotes in the forms texts bring them: notes in a closing section (`FOOTNOTES`,
`NOTAS DE PIE DE PÁGINA`, `NOTES`) or lifted from page feet, and their calls in the text:
`1/` after a word, `[1]/` after a title, a bare digit glued to a word (UN `labour,1`). Each
call found is rewritten in the form the OAS reader takes (`N/` after the paragraph with the
note `N. text` at its foot; converter calls `[footnoteRef:K]/ [K: text]` in converter text);
a note called from a heading or the title, or never called, is a note of the document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workplan.model.lexicon import is_notes_heading
from workplan.model.oas import is_heading

#: An entry of a notes section: `1. text`, `1/ text`, `1) text`, `1 Text`, `1Text`.
ENTRY = re.compile(r"^\s*(\d{1,3})(?:\s*[./)]\s*|\s+|(?=[A-ZÁÉÍÓÚÑÇÀÂÊÔ][^\W\d_]))(?=\S)(.*)$")


@dataclass
class Note:
    """One note: its number, its paragraphs, the line it starts on."""

    number: int
    paragraphs: list[str]
    line: int

    @property
    def text(self) -> str:
        """The paragraphs, a blank line between them."""
        return "\n\n".join(self.paragraphs)


@dataclass
class Lifted:
    """What the notes stage did: lines rewritten, and the notes of the document."""

    lines: list[str]
    origin: list[int]
    document_notes: list[tuple[Note, str]] = field(default_factory=list)
    """Notes no paragraph calls, with where they are called from (`title`, `heading ...`,
    `nowhere`)."""
    called: list[int] = field(default_factory=list)


def parse_entries(lines: list[tuple[int, str]]) -> list[Note]:
    """Notes from the lines of a notes section: each numbered line opens one, every other
    line is one more paragraph of it (numbers must rise, or it is a paragraph)."""
    notes: list[Note] = []
    for no, line in lines:
        s = " ".join(line.split())
        if not s:
            continue
        m = ENTRY.match(s)
        if m and (not notes or int(m[1]) > notes[-1].number):
            notes.append(Note(int(m[1]), [m[2].strip()], no))
        elif notes:
            notes[-1].paragraphs.append(s)
        else:
            notes.append(Note(0, [s], no))
    return notes


def split_notes_section(lines: list[str]) -> int | None:
    """The index of the last notes heading (`FOOTNOTES`, `NOTAS DE PIE DE PÁGINA`), or None."""
    marks = [i for i, ln in enumerate(lines) if is_notes_heading(ln)]
    return marks[-1] if marks else None


def _in_place(n: int, text: str) -> bool:
    """True if footnote `n` is printed in the flow cut with "…" (a converter body, or `n. text`
    at a paragraph's foot): a section entry for it continues it."""
    keys = [int(k) for k in re.findall(r"\[footnoteRef:\s*(\d+)\s*\]", text)]
    cut = r"(?:…|\.\.\.)\s*"
    if keys:
        return bool(re.search(rf"\[{n + keys[0] - 1}:[^\]]*{cut}\]", text))
    return bool(re.search(rf"(?m)^\s*{n}\.[ ]+.*{cut}$", text))


#: A run of OAS calls after a word: `3/`, `3/4/5/` (a PDF may print `3/ 4/`).
CALL_RUN = re.compile(r"(?<=[^\s\d/])((?:\d{1,3}/ ?)*\d{1,3}/)(?![\w-])")


def _other_call(n: int) -> re.Pattern[str]:
    return re.compile(rf"\s*\[{n}\]/?|(?:(?<=[^\W\d_])|(?<=[^\W\d_][,.;:)”’\"])){n}(?=[\s,.;:)]|$)")


@dataclass(frozen=True)
class Call:
    """Where footnote `n` is called in a line: the call's span, the span of the run of OAS
    calls it stands in (`3/4/5/`; the call's own span for other forms), and whether it is
    one of those OAS calls."""

    start: int
    end: int
    run_start: int
    run_end: int
    oas: bool = True


def find_call(n: int, text: str, pos: int = 0) -> Call | None:
    """The first call of footnote `n` in `text` at or after `pos`: `n/` alone or in a run of
    calls after a word (`labour.]3/4/5/`), `[n]/` after a title, or a bare digit glued to a
    word (UN `labour,1`)."""
    found: list[Call] = []
    for run in CALL_RUN.finditer(text):
        at = run.start()
        for item in run[1].split("/")[:-1]:
            number = item.strip()
            start = at + len(item) - len(number)
            if int(number) == n and start >= pos:
                found.append(Call(start, start + len(number) + 1, run.start(), run.end()))
                break
            at += len(item) + 1
        if found:
            break
    m = _other_call(n).search(text, pos)
    if m:
        found.append(Call(m.start(), m.end(), m.start(), m.end(), oas=False))
    return min(found, key=lambda c: c.start, default=None)


def place_notes(lines: list[str], origin: list[int], notes: list[Note]) -> Lifted:
    """Find each note's call, in order through the text, and rewrite it as the OAS reader
    takes it; notes whose call is in a heading, or is not found, are notes of the document."""
    out = Lifted(list(lines), list(origin))
    converter = "[footnoteRef" in "\n".join(lines)
    offset = 0
    if converter:
        keys = [int(k) for k in re.findall(r"\[footnoteRef:\s*(\d+)", "\n".join(lines))]
        offset = keys[0] - 1 if keys else 1
    at_line, at_col = 0, 0
    inserts: dict[int, list[str]] = {}
    for note in notes:
        found = None
        for i in range(at_line, len(out.lines)):
            call = find_call(note.number, out.lines[i], at_col if i == at_line else 0)
            if call:
                found = (i, call)
                break
        if found is None:
            out.document_notes.append((note, "nowhere"))
            continue
        i, call = found
        line = out.lines[i]
        rest = line[: call.start] + line[call.end :]
        at_line, at_col = i, call.start
        outside = line[: call.run_start] + line[call.run_end :]
        if is_heading(outside.strip()) or not outside.strip():
            out.lines[i] = rest.rstrip()
            out.document_notes.append((note, f"heading {outside.strip()!r}"))
            continue
        out.called.append(note.number)
        if converter:
            k = note.number + offset
            body = "\n".join(note.paragraphs).replace("]", ")")
            out.lines[i] = f"{rest.rstrip()}[footnoteRef:{k}]/ [{k}: {body}]"
            continue
        if call.oas and call.run_end == len(line.rstrip()):
            # calls after the paragraph's last word (`3/ 4/` closed up)
            out.lines[i] = line[: call.run_start] + line[call.run_start :].replace(" ", "")
        else:  # a call inside the text: moved to the paragraph's end
            out.lines[i] = f"{rest.rstrip()}{note.number}/"
        inserts.setdefault(i, []).extend(
            [f"{note.number}. {note.paragraphs[0]}", *(f"\t{p}" for p in note.paragraphs[1:])]
        )
    if inserts:
        lines2: list[str] = []
        origin2: list[int] = []
        for i, line in enumerate(out.lines):
            lines2.append(line)
            origin2.append(out.origin[i] if i < len(out.origin) else 0)
            if i in inserts:
                j = i + 1
                block = [*inserts[i]]
                lines2 += ["", *block, ""]
                origin2 += [out.origin[i]] * (len(block) + 2)
                del j
        out.lines, out.origin = lines2, origin2
    return out


def lift_notes(
    lines: list[str], origin: list[int], foot: list[tuple[int, str]]
) -> tuple[Lifted, list[str]]:
    """The notes stage: take the notes section's entries that no footnote in the flow is
    cut for, and the notes lifted from page feet, and place their calls. Return what was
    done and the lines of the notes section left for the reader (continuations)."""
    cut = split_notes_section(lines)
    section: list[tuple[int, str]] = []
    body, body_origin = lines, origin
    if cut is not None:
        section = list(zip(origin[cut + 1 :], lines[cut + 1 :], strict=True))
        body, body_origin = lines[:cut], origin[:cut]
    flow = "\n".join(body)
    entries = parse_entries(section)
    continuing = [e for e in entries if e.number and _in_place(e.number, flow)]
    ends = [e for e in entries if not (e.number and _in_place(e.number, flow))]
    ends += parse_entries(foot)
    ends.sort(key=lambda e: (e.number, e.line))
    lifted = place_notes(body, body_origin, [e for e in ends if e.number])
    lifted.document_notes += [(e, "nowhere") for e in ends if not e.number]
    left: list[str] = []
    if cut is not None and continuing:
        left = ["FOOTNOTES"]
        for e in continuing:
            left += [f"{e.number}. {e.paragraphs[0]}", *e.paragraphs[1:]]
    return lifted, left
