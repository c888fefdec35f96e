"""Notes of a document: rows in, models out."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from workplan.model.note import Note
from workplan.store import rows
from workplan.store.rows import Change


def note_row(note: Note, seq: int) -> dict[str, Any]:
    """The row for a note (it must have its time in the record)."""
    if note.created_at is None:
        raise ValueError(f"note {note.id} has no time: set it to the action's")
    return {
        "document": note.document,
        "id": note.id,
        "seq": seq,
        "text": note.text,
        "paragraphs": json.dumps(note.paragraphs),
        "section": note.section,
        "withdrawn": int(note.withdrawn),
        "created_at": note.created_at.isoformat(),
    }


def notes(db: Database, document: str, *, withdrawn: bool = False) -> list[Note]:
    """A document's notes in order (removed ones too with `withdrawn`)."""
    where = "" if withdrawn else " AND withdrawn = 0"
    return [
        Note(
            document=document,
            id=r[0],
            text=r[1],
            paragraphs=json.loads(r[2]),
            section=r[3],
            withdrawn=bool(r[4]),
            created_at=datetime.fromisoformat(r[5]),
        )
        for r in db.execute(
            "SELECT id, text, paragraphs, section, withdrawn, created_at FROM notes"
            f" WHERE document = ?{where} ORDER BY seq",
            [document],
        )
    ]


def next_seq(db: Database, document: str) -> int:
    """The next order number of a note in a document."""
    row = db.execute("SELECT max(seq) FROM notes WHERE document = ?", [document]).fetchone()
    return (row[0] or 0) + 1


def put_notes(db: Database, items: list[Note]) -> Change:
    """Insert or replace notes (each numbered by its id: N3 is 3)."""
    return rows.put_many(db, "notes", [note_row(n, int(n.id[1:])) for n in items])


def put_note(db: Database, note: Note) -> Change:
    """Insert or replace one note."""
    return put_notes(db, [note])
