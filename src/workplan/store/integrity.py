"""Checks of the record's file: SQLite's own, and the tables against the events' changes."""

from __future__ import annotations

from sqlite_utils import Database

from workplan.store import events as store_events
from workplan.store import rows


def integrity_problems(db: Database) -> list[str]:
    """SQLite's integrity check, as problems (empty when it says ok)."""
    row = db.execute("PRAGMA integrity_check").fetchone()
    if row and row[0] != "ok":
        return [f"SQLite integrity check failed: {row[0]}"]
    return []


def replay_problems(db: Database) -> list[str]:
    """Where the tables differ from what replaying every event's row changes rebuilds."""
    return rows.differences(
        rows.fold(ch for e in store_events.list_events(db) for ch in e.payload.get("changes", [])),
        rows.current(db),
    )
