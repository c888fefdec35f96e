"""Opening the database and running every write in one `BEGIN IMMEDIATE` transaction."""

from __future__ import annotations

import fcntl
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlite_utils import Database

from workplan.errors import (
    ConflictError,
    InputError,
    NotFoundError,
    PermissionDenied,
)
from workplan.store.kind import (
    BUSY_TIMEOUT_MS,
    cleanup_stale_temporaries,
    errorname,
    peek_kind,
)

StoreDB = Database

_T = TypeVar("_T")

#: How long a write keeps retrying BEGIN IMMEDIATE on busy before giving up (s).
WRITE_RETRY_SECONDS = 10.0


def create_record(path: str | Path) -> Database:
    """Open the record at `path`, creating it if there is none (`init`, the TUI's first run).

    An existing file must already be a workplan record (an older one is brought up to date);
    any other file is refused and left untouched.
    """
    path = str(path)
    if path == ":memory:":
        return _open(path)
    parent = Path(path).expanduser().resolve().parent
    if not parent.is_dir():
        raise InputError(f"cannot create database {path}: folder {parent} does not exist")
    # Creating is serialised on the folder, so a process starting while another is still
    # laying out a new record waits for it instead of finding a half-made file.
    with _folder_locked(parent):
        if Path(path).exists() and Path(path).stat().st_size > 0:
            return open_record(path)
        return _open(path)


@contextmanager
def _folder_locked(folder: Path, seconds: float = WRITE_RETRY_SECONDS) -> Iterator[None]:
    """Hold an exclusive flock on the folder itself (no lock file beside the record)."""
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ConflictError(
                        "the record is busy (another process is creating it); try again"
                    ) from None
                time.sleep(0.01)
        yield
    finally:
        os.close(fd)


def open_record(path: str | Path) -> Database:
    """Open the existing workplan record at `path`, for every command but `init`.

    The file is first read without changing it: anything but a workplan record (another SQLite
    database, an empty file, anything else) is refused with InputError and left exactly as it
    was, never migrated nor switched to WAL. An older workplan record is migrated.
    """
    path = str(path)
    if path == ":memory:":
        return _open(path)
    file = Path(path).expanduser()
    if not file.is_file():
        raise NotFoundError(f"no database at {path}")
    cleanup_stale_temporaries(file)
    kind = peek_kind(file)
    if kind not in ("record", "older"):
        raise InputError(
            f"{path} is not a workplan record"
            f" ({'an empty file' if kind == 'empty' else 'another database or file'});"
            " refusing to open it"
        )
    return _open(path)


def _open(path: str) -> Database:
    """Connect with WAL, foreign keys and FULL sync, and bring the schema up to date.

    Migrations run under the write lock, so several processes starting on a new file at once
    all succeed.
    """
    from workplan.store.schema import migrate

    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if path != ":memory:":
            _retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"))
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as exc:
        raise _open_error(path, exc) from None
    db = Database(conn, execute_plugins=False)
    try:
        migrate(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise _open_error(path, exc) from None
    return db


def _open_error(path: str, exc: sqlite3.DatabaseError) -> InputError | PermissionDenied:
    """One line for a record that cannot be opened (read-only file or folder, and the rest)."""
    if _errorname(exc).startswith("SQLITE_READONLY"):
        return PermissionDenied(
            f"cannot open {path}: the file or its folder is read-only here, and workplan opens"
            " its record for writing (copy it somewhere writable to check it)"
        )
    return InputError(f"cannot open {path}: {exc}")


#: `connect` is `create_record` (tests and benchmarks create their records with it).
connect = create_record


_errorname = errorname


def _is_busy(exc: sqlite3.Error) -> bool:
    """Another connection holds the lock (SQLITE_BUSY or SQLITE_LOCKED, any extended code)."""
    return _errorname(exc).startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def _retry_busy(fn: Callable[[], _T], seconds: float = WRITE_RETRY_SECONDS) -> _T:
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
def writers_lock(db: Database) -> Iterator[None]:
    """Hold the writers' lock (no workplan write starts meanwhile) without a transaction.

    For a restore, which replaces the whole file through the backup API on its own.
    """
    lock_path = _writers_lock_path(db)
    fd = _lock_writers(lock_path) if lock_path else None
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)


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
