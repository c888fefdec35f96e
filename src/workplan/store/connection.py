"""Facts about a connection to the record: its file, and whether another connection wrote."""

from __future__ import annotations

from workplan.store.db import StoreDB


def file_path(db: StoreDB) -> str:
    """The database file's path ("" for an in-memory record), to open another connection."""
    row = db.execute("PRAGMA database_list").fetchone()
    return str(row[2]) if row else ""


def data_version(db: StoreDB) -> int:
    """SQLite's data version: it changes when another connection commits to the file."""
    row = db.execute("PRAGMA data_version").fetchone()
    return int(row[0]) if row else 0


def in_transaction(db: StoreDB) -> bool:
    """True while this connection holds an open transaction."""
    return bool(db.conn.in_transaction)
