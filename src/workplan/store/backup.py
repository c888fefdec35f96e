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


def restore_from(db: Database, source: Path) -> None:
    """Replace the live database's content with `source`'s, through the backup API."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        src.backup(db.conn)
    finally:
        src.close()
