"""Online backup and restore with SQLite's backup API (safe while others write)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from workplan.errors import InputError


def backup_to(db: Database, path: Path) -> None:
    """Copy the live database to `path` page by page, consistent even during writes."""
    if path.exists():
        raise InputError(f"{path} already exists; choose a new file name")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: folder {path.parent} does not exist")
    tmp = path.with_name(f".{path.name}.partial")
    dest = sqlite3.connect(tmp)
    try:
        db.conn.backup(dest)
        dest.execute("PRAGMA journal_mode = DELETE")
    finally:
        dest.close()
    tmp.replace(path)


def load_backup(source: Path) -> Database:
    """A private in-memory copy of the backup at `source`, to verify and then restore.

    The file is opened read-only: never migrated, never switched to WAL. A file that is not
    an up-to-date workplan record is refused.
    """
    from workplan.store.schema import migrations

    mem = sqlite3.connect(":memory:", isolation_level=None)
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            src.backup(mem)
        finally:
            src.close()
        copy = Database(mem, execute_plugins=False)
        if "events" not in copy.table_names() or migrations.pending(copy):
            raise InputError(f"{source} is not a workplan backup (or an older, unmigrated one)")
    except sqlite3.DatabaseError as exc:
        mem.close()
        raise InputError(f"{source} is not a workplan database: {exc}") from None
    except InputError:
        mem.close()
        raise
    return copy


def restore_from(db: Database, source: Database) -> None:
    """Replace the live database's content with `source`'s, through the backup API."""
    source.conn.backup(db.conn)
