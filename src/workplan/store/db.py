"""Opening the database and running every write in one `BEGIN IMMEDIATE` transaction."""

from __future__ import annotations

import fcntl
import os
import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlite_utils import Database

from workplan.errors import ConflictError, InputError

StoreDB = Database

#: How long one statement waits for a lock before SQLite reports busy (ms).
BUSY_TIMEOUT_MS = 5_000
#: How long a write keeps retrying BEGIN IMMEDIATE on busy before giving up (s).
WRITE_RETRY_SECONDS = 10.0


def connect(path: str | Path) -> Database:
    """Open (creating if needed) the record at `path`, with WAL, foreign keys and FULL sync.

    The schema is brought up to date under the write lock, so several processes
    starting on a new file at once all succeed.
    """
    from workplan.store.schema import migrate

    path = str(path)
    if path != ":memory:":
        parent = Path(path).expanduser().resolve().parent
        if not parent.is_dir():
            raise InputError(f"cannot create database {path}: folder {parent} does not exist")
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if path != ":memory:":
            _retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path} is not a workplan database: {exc}") from exc
    db = Database(conn, execute_plugins=False)
    try:
        migrate(db)
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path} is not a workplan database: {exc}") from exc
    return db


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    msg = str(exc).lower()
    return "locked" in msg or "busy" in msg


def _retry_busy(fn, seconds: float = WRITE_RETRY_SECONDS):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    delay = 0.001
    while True:
        try:
            return fn()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() > deadline:
                if _is_busy(exc):
                    raise ConflictError(
                        "the record is busy (another delegate is writing); try again"
                    ) from exc
                raise
            time.sleep(delay * (1 + random.random()))
            delay = min(delay * 2, 0.02)


_LOCKS: dict[str, int] = {}


def _writers_lock(db: Database) -> int | None:
    """A file beside the database that writers queue on (None for an in-memory database).

    SQLite's own busy handler sleeps between tries (up to 100 ms), so under load some writers
    wait far longer than others; queueing on an flock first hands the lock on at once.
    """
    row = db.conn.execute("PRAGMA database_list").fetchone()
    path = row[2] if row else ""
    if not path:
        return None
    if path not in _LOCKS:
        _LOCKS[path] = os.open(f"{path}-writers", os.O_RDWR | os.O_CREAT, 0o600)
    return _LOCKS[path]


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Run a write as one `BEGIN IMMEDIATE` transaction: all of it commits, or none.

    Writers queue on a lock file, then busy databases are retried with backoff for a bounded
    time, then ConflictError.
    """
    if db.conn.in_transaction:
        raise RuntimeError("transaction() does not nest")
    fd = _writers_lock(db)
    if fd is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        _retry_busy(lambda: db.conn.execute("BEGIN IMMEDIATE"))
        try:
            yield db
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        try:
            _retry_busy(lambda: db.conn.execute("COMMIT"))
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
    finally:
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
