"""What a database file is, read without changing it and without sqlite-utils.

The read path (`store.read`) checks here that a file is a current workplan record before it
reads it; `store.db` opens records for writing, and `store.schema` holds the migrations
(their names are listed here, and a test keeps both lists equal).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from workplan.errors import InputError, PermissionDenied, WorkplanError

#: How long one statement waits for a lock before SQLite reports busy (ms).
BUSY_TIMEOUT_MS = 5_000
#: `PRAGMA application_id` of a workplan record ("WPLN").
APPLICATION_ID = 0x57504C4E
#: The migration set of `store.schema`, and where sqlite-utils records the applied ones.
MIGRATION_SET = "workplan"
MIGRATIONS_TABLE = "_sqlite_migrations"
#: Every migration of `store.schema`, in order.
MIGRATION_NAMES = (
    "m001_foundation",
    "m002_negotiation",
    "m003_application_id",
    "m004_held_refs",
    "m005_notes",
    "m006_translations",
)


def errorname(exc: sqlite3.Error) -> str:
    """SQLite's name for the error (`SQLITE_BUSY`, `SQLITE_READONLY_DIRECTORY`, ...), or ''."""
    return getattr(exc, "sqlite_errorname", None) or ""


def _applied(conn: sqlite3.Connection) -> set[str]:
    return {
        r[0]
        for r in conn.execute(
            f"SELECT name FROM [{MIGRATIONS_TABLE}] WHERE migration_set = ?", [MIGRATION_SET]
        )
    }


def record_kind(conn: sqlite3.Connection) -> str:
    """What an open database is, read without changing it.

    "record" (a workplan record), "older" (a workplan record from before m003, to migrate),
    "empty" (no schema at all) or "foreign" (anything else).
    """
    if conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID:
        return "record"
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    if not names:
        return "empty"
    if MIGRATIONS_TABLE in names and "events" in names and "m001_foundation" in _applied(conn):
        return "older"
    return "foreign"


def is_current(conn: sqlite3.Connection) -> bool:
    """True when a workplan record has every migration applied (nothing to bring up to date)."""
    found = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    return found is not None and set(MIGRATION_NAMES) <= _applied(conn)


def peek_kind(file: Path) -> str:
    """What the file at `file` is (see `record_kind`), read through a read-only
    connection; a full disk or an I/O error is raised as such (exit 74)."""
    if file.stat().st_size == 0:
        return "empty"
    try:
        conn = open_readonly(file)
    except sqlite3.DatabaseError as exc:
        raise _unreadable(file, exc) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return record_kind(conn)
    except sqlite3.DatabaseError as exc:
        if errorname(exc).startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            return "foreign"
        raise _unreadable(file, exc) from None
    finally:
        conn.close()


def _unreadable(file: Path, exc: sqlite3.Error) -> WorkplanError:
    """Why `file` could not be read: a full disk or an I/O error (74) is not bad data (65)."""
    from workplan.store.failures import describe_sqlite_error

    return describe_sqlite_error(exc, file) or InputError(f"cannot read {file}: {exc}")


def open_readonly(file: Path) -> sqlite3.Connection:
    """A read-only connection to `file` that creates nothing beside it.

    A file in WAL mode without a `-wal` file holds all its content itself: it is opened as
    immutable, so SQLite does not create `-wal` and `-shm` files next to someone else's file.
    """
    uri = f"{file.resolve().as_uri()}?mode=ro"
    try:
        with file.open("rb") as f:
            header = f.read(20)
    except PermissionError as exc:
        raise PermissionDenied(f"cannot read {file}: {exc.strerror}") from None
    except OSError as exc:
        raise InputError(f"cannot read {file}: {exc.strerror or exc}") from None
    wal_mode = len(header) == 20 and header[:16] == b"SQLite format 3\x00" and header[18] == 2
    if wal_mode and not Path(f"{file}-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True)


def cleanup_stale_temporaries(file: Path) -> None:
    """Remove what a killed restore left beside the record (`.<name>.*.partial` files).

    Only files of exactly that pattern that no running backup holds (see `store.backup`).
    """
    from workplan.store.backup import remove_stale_partials  # no sqlite-utils

    remove_stale_partials(file.parent, f".{file.name}.")
