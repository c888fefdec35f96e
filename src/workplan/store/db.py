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


def _writers_lock_path(db: Database) -> str | None:
    """The file beside the database that writers queue on (None for an in-memory database).

    SQLite's own busy handler sleeps between tries (up to 100 ms), so under load some writers
    wait far longer than others; queueing on an flock first hands the lock on at once.
    """
    row = db.conn.execute("PRAGMA database_list").fetchone()
    path = row[2] if row else ""
    return f"{path}-writers" if path else None


def _lock_writers(path: str, seconds: float = WRITE_RETRY_SECONDS) -> int:
    """Queue on the writers' lock for at most `seconds`; return the fd holding it.

    The wait is a blocking flock (first come, first served) in a helper thread on its own
    open file, so a writer that never lets go (a stopped process) gives ConflictError (exit
    75) instead of a hang; an abandoned wait closes its file as soon as it gets the lock.
    """
    import threading

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return fd
    except BlockingIOError:
        pass
    got, guard = threading.Event(), threading.Lock()
    abandoned = False

    def wait() -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with guard:
            if abandoned:
                os.close(fd)
            else:
                got.set()

    threading.Thread(target=wait, name="workplan-writers-lock", daemon=True).start()
    got.wait(seconds)
    with guard:
        if got.is_set():
            return fd
        abandoned = True
    raise ConflictError("the record is busy (another delegate is writing); try again")


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Run a write as one `BEGIN IMMEDIATE` transaction: all of it commits, or none.

    Writers queue on a lock file, then busy databases are retried with backoff for a bounded
    time, then ConflictError.
    """
    if db.conn.in_transaction:
        raise RuntimeError("transaction() does not nest")
    lock_path = _writers_lock_path(db)
    fd = _lock_writers(lock_path) if lock_path else None
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
            os.close(fd)  # releases the flock
