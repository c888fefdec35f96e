"""Notes of a document: `note add|edit|remove` (secretariat, chair) and `notes`."""

from __future__ import annotations

from typing import Any

import click

from workplan.commands._shared import DEFAULT_DOC, Context, emit_json, pass_ctx
from workplan.model.note import Note

doc_option = click.option("--doc", default=DEFAULT_DOC, show_default=True, help="The document.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _row(n: Note, refs: dict[str, str]) -> dict[str, Any]:
    """A note as `--json` prints it: its fields, and where it is called in refs."""
    return {**n.model_dump(mode="json"), "called_from": n.place(refs)}


@click.group()
def note() -> None:
    """Add, edit or remove a note of the document (secretariat, chair).

    A note is a footnote that names no delegation: exports print it where it is called,
    numbered with the reservations."""


@note.command(name="add")
@click.argument("refs", nargs=-1)
@click.option("--text", required=True, help="The note's text (a blank line between paragraphs).")
@click.option("--section", help="Call it from this section's heading (its id).")
@doc_option
@json_option
@pass_ctx
def note_add(
    c: Context, refs: tuple[str, ...], text: str, section: str | None, doc: str, as_json: bool
) -> None:
    """Add a note called from paragraphs REFS (none, or `title`: the document as a whole)."""
    svc = c.service()
    n = svc.add_note(doc, list(refs), text, section=section)
    if as_json:
        emit_json(_row(n, svc.refs(doc)))
    else:
        click.echo(f"{n.id} on {n.place(svc.refs(doc))}")


@note.command(name="edit")
@click.argument("note_id")
@click.option("--text", required=True, help="The new text.")
@doc_option
@json_option
@pass_ctx
def note_edit(c: Context, note_id: str, text: str, doc: str, as_json: bool) -> None:
    """Change a note's text."""
    svc = c.service()
    n = svc.edit_note(doc, note_id, text)
    if as_json:
        emit_json(_row(n, svc.refs(doc)))
    else:
        click.echo(f"{n.id} edited")


@note.command(name="remove")
@click.argument("note_id")
@doc_option
@json_option
@pass_ctx
def note_remove(c: Context, note_id: str, doc: str, as_json: bool) -> None:
    """Remove a note (it prints no more; the record keeps it)."""
    svc = c.service()
    n = svc.remove_note(doc, note_id)
    if as_json:
        emit_json(_row(n, svc.refs(doc)))
    else:
        click.echo(f"{n.id} removed")


@click.command()
@click.argument("doc", default=DEFAULT_DOC)
@click.option("--all", "removed", is_flag=True, help="Removed notes too.")
@json_option
@pass_ctx
def notes(c: Context, doc: str, removed: bool, as_json: bool) -> None:
    """List the notes of a document, each with where it is called from."""
    svc = c.service()
    found = svc.notes(doc, removed=removed)
    refs = svc.refs(doc)
    if as_json:
        emit_json([_row(n, refs) for n in found])
        return
    for n in found:
        gone = " (removed)" if n.withdrawn else ""
        first = n.text.split("\n")[0]
        cut = first[:70] + ("…" if len(first) > 70 else "")
        click.echo(f"{n.id}{gone} on {n.place(refs)}: {cut}")
