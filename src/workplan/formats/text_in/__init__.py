"""One pipeline for text as it arrives (plain text, text converted from Word, text pulled
from PDFs): normalise, read the header, read the footnotes, classify and build (the OAS
reader, `workplan.formats.oas_text`), then check that no word was lost.

`parse_text(text, source)` is the single entry point for every format that gives text.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import takewhile

from workplan.errors import InputError
from workplan.formats.oas_text import parse_oas_text
from workplan.formats.text_in.footnotes import Note, lift_notes
from workplan.formats.text_in.header import read_header, take_under_title
from workplan.formats.text_in.normalise import Dropped, normalise
from workplan.formats.text_in.options import Folded, fold_options
from workplan.formats.text_in.words import missing_words
from workplan.model.lexicon import is_notes_heading
from workplan.model.oas import OasDocument, OasReservation
from workplan.model.principals import Delegation, member_states
from workplan.model.text import check_file_text

__all__ = ["Dropped", "ParsedText", "parse_text"]


@dataclass
class ParsedText:
    """A text read: the document, its header, what was dropped on purpose, the notes of the
    document (keys of unattributed reservations with no paragraph), and the words not found
    in the record (empty when nothing was lost)."""

    doc: OasDocument
    header: dict[str, str] = field(default_factory=dict)
    dropped: list[Dropped] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing: list[tuple[int, str]] = field(default_factory=list)
    joined: int = 0
    folded: list[Folded] = field(default_factory=list)
    """Operative paragraphs that kept options or sub-items whose numbering restarts."""
    places: dict[str, str] = field(default_factory=dict)
    """Key of each note of the document → the heading (or title) line that calls it, as
    printed; '' for a note no line calls."""


_LINE_REF = re.compile(r"^(.*?):(\d+):")


def _relocate(exc: InputError, source: str, origin: list[int]) -> InputError:
    m = _LINE_REF.match(exc.message)
    if m and m[1] == source and 0 < int(m[2]) <= len(origin):
        return InputError(f"{source}:{origin[int(m[2]) - 1]}:{exc.message[m.end() :]}")
    return exc


def _record_texts(doc: OasDocument, extra: list[str]) -> list[str]:
    texts = [*doc.header, doc.title or "", *doc.headings, doc.follow_up_heading or ""]
    texts += [p.text for p in doc.paragraphs] + [p.printed_number or "" for p in doc.paragraphs]
    texts += [r.text for r in doc.reservations]
    return texts + extra


def parse_text(text: str, source: str, roster: Sequence[Delegation] | None = None) -> ParsedText:
    """Read a text through the whole pipeline; raise InputError (`source:line: ...`) when it
    is malformed. Words lost are returned in `missing` (the caller refuses or forces)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    check_file_text(text.replace("\f", ""), source)
    text = text.removeprefix("\ufeff")
    norm = normalise(text)
    lines, origin, under = take_under_title(norm.lines, norm.origin)
    lifted, section = lift_notes(lines, origin, norm.foot_notes)
    lines, origin = lifted.lines, lifted.origin
    notes_heading = [ln for ln in norm.lines if is_notes_heading(ln)]
    if section:
        lines = [*lines, *section]
        origin = [*origin, *[0] * len(section)]
    try:
        doc = parse_oas_text(
            "\n".join(lines), source, member_states() if roster is None else roster
        )
    except InputError as exc:
        raise _relocate(exc, source, origin) from None
    folded = fold_options(doc, lines)
    _renumbering_warning(doc)
    for p in doc.paragraphs:
        if 0 < p.line <= len(origin) and origin[p.line - 1]:
            p.line = origin[p.line - 1]
    places = _document_notes(doc, lifted.document_notes)
    places.update(_heading_places(doc))
    front = [p.text for p in takewhile(lambda p: p.role in ("opening", "text"), doc.paragraphs)]
    header = read_header(doc.header, doc.title, under, front)
    kept = _record_texts(doc, [*under, *notes_heading, *(d.text for d in norm.dropped)])
    missing = missing_words(text.replace("\f", "\n").split("\n"), kept)
    return ParsedText(doc, header, norm.dropped, list(places), missing, norm.joined, folded, places)


_NOT_IN_ORDER = "operative paragraphs are not printed 1, 2, 3, ...: kept as data"


def _renumbering_warning(doc: OasDocument) -> None:
    """The reader's warning on operative numbers, said again once options are folded: none
    when they run 1, 2, 3 (bis numbers aside) or restart at 1 under each heading."""
    if _NOT_IN_ORDER not in doc.warnings:
        return
    runs: dict[str | None, list[int]] = {}
    for p in doc.paragraphs:
        if p.role == "operative" and (p.printed_number or "").isdigit():
            runs.setdefault(p.section, []).append(int(p.printed_number or 0))
    flat = [n for run in runs.values() for n in run]
    if flat == list(range(1, len(flat) + 1)):
        doc.warnings.remove(_NOT_IN_ORDER)
    elif len(runs) > 1 and all(run == list(range(1, len(run) + 1)) for run in runs.values()):
        doc.warnings.remove(_NOT_IN_ORDER)
        doc.warnings.append(
            "operative paragraphs are numbered from 1 under each heading: kept (per section)"
        )


def _heading_places(doc: OasDocument) -> dict[str, str]:
    """Footnotes called after the title or a heading, by key: the heading as printed ('' for
    the title), where the import puts the note of the document they are."""
    places: dict[str, str] = {}
    for _, text, calls in doc.heading_calls:
        for r in doc.reservations:
            if not r.paragraphs and set(r.printed) & set(calls):
                places[r.key] = text if text in doc.headings else ""
    return places


def _document_notes(doc: OasDocument, notes: list[tuple[Note, str]]) -> dict[str, str]:
    """Notes no paragraph calls: footnotes attached to no paragraph, naming no delegation
    (the import keeps them as notes of the document), by key, with where they are called.
    Each takes its place among the footnotes by its printed number (a note on the title,
    footnote 1, comes before the reservations of footnotes 2, 3, ...: N1 as it was)."""
    places: dict[str, str] = {}
    for note, where in notes:
        key = f"R{len(doc.reservations) + 1}"
        later = (
            k for k, r in enumerate(doc.reservations) if r.printed and min(r.printed) > note.number
        )
        doc.reservations.insert(
            next(later, len(doc.reservations)),
            OasReservation(key=key, text=note.text, printed=[note.number]),
        )
        if where != "nowhere":  # a call after the title or a heading: counted with the others
            doc.footnotes += 1
        doc.warnings.append(
            f"line {note.line}: note {note.number} is called from {where}: kept as a note of"
            " the document"
        )
        places[key] = ast.literal_eval(where[8:]) if where.startswith("heading ") else ""
    return places
