"""The import report's lines for the secretariat: the header read, the structure, the notes
of the document, what was dropped on purpose and any words lost."""

from __future__ import annotations

from typing import Any

import click

_HEADER_KEYS = (
    "symbol",
    "date",
    "adopted_on",
    "distributed",
    "original_language",
    "series",
    "organ",
    "title",
    "presented",
    "adopted",
)


def echo_header(report: dict[str, Any], *, tail: bool = False) -> None:
    """Print the header and structure (before the counts), or with `tail` the notes, the
    dropped lines and the missing words (after them)."""
    if tail:
        _echo_tail(report)
    else:
        _echo_head(report)


def _echo_head(report: dict[str, Any]) -> None:
    """The header lines and the structure found."""
    header = report.get("header") or {}
    for key in _HEADER_KEYS:
        if key in header:
            value = " / ".join(header[key].split("\n"))
            click.echo(f"{key.replace('_', ' ').capitalize()}: {value}")
    structure = report.get("structure") or {}
    if structure.get("headings"):
        click.echo(f"Sections: {'; '.join(structure['headings'])}")
    if report.get("revision"):
        n = report["revision"]
        click.echo(f"Revision: {n} (the next revise prints rev. {n + 1})")
    if structure.get("options"):
        said = [
            f"OP{o['number']} ({o['options']} options, {o['items']} items)"
            if o["options"]
            else f"OP{o['number']} ({o['items']} items)"
            for o in structure["options"]
        ]
        click.echo(f"Options: {'; '.join(said)} kept with their printed numbers")
    if structure.get("chapeau"):
        click.echo(f"Chapeau: {' '.join(structure['chapeau'])}")
    if structure.get("joined_lines"):
        click.echo(f"Joined {structure['joined_lines']} wrapped lines into paragraphs.")


def _echo_tail(report: dict[str, Any]) -> None:
    """The notes, the dropped lines and the missing words."""
    notes = report.get("notes", [])
    if notes:
        click.echo(f"Notes of the document (footnotes naming no delegation): {len(notes)}")
    for note in notes:
        printed = ", ".join(str(n) for n in note["printed"])
        where = ", ".join(note["paragraphs"]) or (
            f"section {note['section']}" if note["section"] else "the title"
        )
        first = note["text"].split("\n")[0]
        cut = first[:70] + ("…" if len(first) > 70 else "")
        click.echo(f"  {note['id']} (footnote {printed}) on {where}: {cut}")
    for d in report.get("dropped", []):
        where = f"line {d['line']}" if d["line"] is not None else "a page's line"
        click.echo(f"  dropped {where} ({d['why']}): {d['text']}")
    for m in report.get("missing", [])[:20]:
        click.echo(f"  LOST line {m['line']}: {m['word']}")
