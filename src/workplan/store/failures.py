"""Turning a failure of the disk or of SQLite into one line and an exit code.

The CLI catches what escapes a command: an `OSError` (disk full, read-only file system,
permission, a name too long) or a `sqlite3.Error` (database or disk full, read-only database,
unable to open), possibly as the cause of a project error raised while opening the record.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from workplan.errors import (
    InputError,
    NotFoundError,
    PermissionDenied,
    StorageError,
    WorkplanError,
)

#: What opening or writing the record can raise: a project error (busy, not a record, ...),
#: SQLite's errors and the disk's. Callers that must not fail on them (recording a refusal on
#: the side) catch exactly these.
STORAGE_FAILURES: tuple[type[Exception], ...] = (WorkplanError, sqlite3.Error, OSError)

_FULL = {errno.ENOSPC, errno.EDQUOT}
_DENIED = {errno.EACCES, errno.EPERM, errno.EROFS}


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    cur: BaseException | None = exc
    while cur is not None and cur not in seen and len(seen) < 20:
        seen.append(cur)
        cur = cur.__cause__ or (None if cur.__suppress_context__ else cur.__context__)
    return seen


def _disk_full(path: Path) -> bool:
    try:
        st = os.statvfs(path.parent if path.parent.exists() else ".")
    except OSError:
        return False
    return st.f_bavail == 0


def describe_os_error(exc: OSError, what: str | None = None) -> WorkplanError:
    """One line for an OSError: full disk 74, permission or read-only 77, bad name 65."""
    target = what or (str(exc.filename) if exc.filename is not None else "")
    reason = exc.strerror or str(exc)
    where = f"{target}: " if target else ""
    if exc.errno in _FULL:
        return StorageError(f"{where}no space left on the device ({reason})")
    if exc.errno in _DENIED:
        return PermissionDenied(f"{where}{reason}")
    if exc.errno == errno.ENAMETOOLONG:
        return InputError(f"{where}a file name is too long ({reason})")
    if exc.errno == errno.ENOENT:
        return NotFoundError(f"{where}{reason}")
    if exc.errno in (errno.ENOTDIR, errno.EISDIR, errno.ELOOP, errno.EINVAL):
        return InputError(f"{where}{reason}")
    return StorageError(f"{where}{reason}")


def describe_sqlite_error(exc: sqlite3.Error, db_path: Path) -> WorkplanError | None:
    """One line for SQLite's full / read-only / cannot-open / I/O errors; None for others."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    msg = str(exc)
    if name.startswith("SQLITE_FULL"):
        return StorageError(f"the disk holding {db_path} is full; nothing was written")
    if name.startswith("SQLITE_READONLY"):
        return PermissionDenied(
            f"cannot write the database {db_path}: it, or its folder, is read-only for this account"
        )
    if name.startswith(("SQLITE_PERM", "SQLITE_AUTH")):
        return PermissionDenied(f"cannot use the database {db_path}: {msg}")
    if name.startswith("SQLITE_CANTOPEN"):
        folder = db_path.parent
        if not os.access(folder, os.W_OK | os.X_OK) or (
            db_path.exists() and not os.access(db_path, os.R_OK | os.W_OK)
        ):
            return PermissionDenied(f"cannot open the database {db_path}: permission denied")
        return StorageError(f"cannot open the database {db_path}: {msg}")
    if name.startswith("SQLITE_IOERR"):
        if _disk_full(db_path):
            return StorageError(f"the disk holding {db_path} is full; nothing was written")
        return StorageError(f"cannot use the database {db_path}: {msg}")
    return None


def describe_failure(
    exc: BaseException, db_path: Path, *, sqlite_only: bool = False
) -> WorkplanError | None:
    """A project error for `exc` when it is (or was caused by) a disk or SQLite failure.

    `sqlite_only` looks for SQLite's errors alone (to re-word a project error raised while
    opening the record, whose own message may blame the file instead of the disk).
    """
    for e in _chain(exc):
        if isinstance(e, sqlite3.Error):
            found = describe_sqlite_error(e, db_path)
            if found is not None:
                return found
        elif isinstance(e, OSError) and not sqlite_only and not isinstance(e, BrokenPipeError):
            return describe_os_error(e)
    return None
