"""Online backup and restore with SQLite's backup API (safe while others write).

A backup is written to `.<name>.partial` beside its target, held with an flock while it is
written, and renamed into place only when complete; on any failure it is removed. A partial
file that no process holds is what a killed run left behind, and is removed at the next start.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from workplan.errors import (
    ConflictError,
    InputError,
    PermissionDenied,
    StorageError,
    WorkplanError,
)

if TYPE_CHECKING:
    from sqlite_utils import Database

PARTIAL_SUFFIX = ".partial"
_SIDE_FILES = ("", "-journal", "-wal", "-shm")


def partial_path(target: Path) -> Path:
    """Where the backup to `target` is written until it is complete."""
    return target.with_name(f".{target.name}{PARTIAL_SUFFIX}")


def _remove(tmp: Path) -> None:
    for extra in _SIDE_FILES:
        with contextlib.suppress(OSError):
            os.unlink(f"{tmp}{extra}")


def _remove_if_stale(tmp: Path) -> bool:
    """Remove `tmp` (and its journal) unless a running backup holds it; True if gone."""
    try:
        fd = os.open(tmp, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        _remove(tmp)  # a journal without its file
        return True
    except OSError:
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        held = os.fstat(fd)
        if held.st_uid != os.getuid() or not _same_file(tmp, held):
            return False
        _remove(tmp)
        return True
    finally:
        os.close(fd)


def _same_file(path: Path, held: os.stat_result) -> bool:
    """Whether `path` is still the file open as `held` (not replaced or removed meanwhile)."""
    try:
        now = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    return (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino)


def remove_stale_partials(folder: Path, prefix: str) -> None:
    """Remove the `<prefix>*.partial` files in `folder` that no running backup holds."""
    try:
        names = [
            n
            for n in os.listdir(folder)
            if n.startswith(prefix) and n.endswith(PARTIAL_SUFFIX) and len(n) > len(prefix)
        ]
    except OSError:
        return
    for name in names:
        _remove_if_stale(folder / name)


def _is_disk_failure(exc: sqlite3.Error) -> bool:
    """SQLite saying the disk is full or failed (exit 74), not that the data is bad."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    return name.startswith(("SQLITE_FULL", "SQLITE_IOERR"))


def _os_error(path: Path, exc: OSError) -> WorkplanError:
    """One line for a file system error while writing `path`."""
    reason = exc.strerror or str(exc)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return PermissionDenied(f"cannot write {path}: {reason}")
    return InputError(f"cannot write {path}: {reason}")


@contextlib.contextmanager
def _held_partial(path: Path) -> Iterator[tuple[Path, int]]:
    """Create `path`'s partial file, held with an flock; remove it unless it was renamed.

    Yields its path and the descriptor holding it.
    """
    tmp = partial_path(path)
    if (tmp.exists() or tmp.is_symlink()) and not _remove_if_stale(tmp):
        raise ConflictError(f"another backup to {path} is under way ({tmp} is held)")
    try:
        fd = os.open(tmp, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        raise ConflictError(f"another backup to {path} is under way ({tmp} exists)") from None
    except OSError as exc:
        raise _os_error(path, exc) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield tmp, fd
    except BaseException:
        _remove(tmp)
        raise
    finally:
        os.close(fd)


def backup_to(db: Database, path: Path) -> None:
    """Copy the live database to `path` page by page, consistent even during writes.

    Never overwrites: `path` must not exist. Nothing is left behind on failure.
    """
    if path.exists() or path.is_symlink():
        raise InputError(f"{path} already exists; choose a new file name")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: folder {path.parent} does not exist")
    with _held_partial(path) as (tmp, fd):
        try:
            dest = sqlite3.connect(tmp)
            try:
                db.conn.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                dest.close()
        except sqlite3.Error as exc:
            cls = StorageError if _is_disk_failure(exc) else InputError
            raise cls(f"cannot back up to {path}: {exc}") from None
        if not _same_file(tmp, os.fstat(fd)):  # taken for a killed run's and removed meanwhile
            raise ConflictError(f"{tmp} was removed while the backup was written; try again")
        try:
            os.link(tmp, path)  # fails rather than overwrite a file that appeared meanwhile
        except FileExistsError:
            raise InputError(f"{path} already exists; choose a new file name") from None
        except OSError:  # a file system without hard links
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _os_error(path, exc) from None
            return
        os.unlink(tmp)


def load_backup(source: Path) -> Database:
    """A private in-memory copy of the backup at `source`, to verify and then restore.

    The file is opened read-only, never changed. A file that is not a workplan record is
    refused; an older workplan record is migrated in the copy.
    """
    from workplan.store.kind import open_readonly, record_kind
    from workplan.store.schema import migrate

    mem = sqlite3.connect(":memory:", isolation_level=None)
    try:
        src = open_readonly(source)
        try:
            kind = record_kind(src)
            if kind not in ("record", "older"):
                raise InputError(f"{source} is not a workplan backup")
            page_size = src.execute("PRAGMA page_size").fetchone()[0]
            mem.execute(f"PRAGMA page_size = {int(page_size)}")
            src.backup(mem)
        finally:
            src.close()
        from sqlite_utils import Database

        copy = Database(mem, execute_plugins=False)
        migrate(copy)
    except sqlite3.DatabaseError as exc:
        mem.close()
        raise InputError(f"{source} is not a workplan backup: {exc}") from None
    except WorkplanError:
        mem.close()
        raise
    return copy


def restore_from(db: Database, source: Database) -> None:
    """Replace the live database's content with `source`'s, in one write.

    SQLite cannot change the page size of a database in WAL mode, nor of an in-memory one, so
    a copy with another page size is first rewritten with the live page size in a held
    `.<db>.restore.partial` file beside the record (removed afterwards, whatever happens).
    """
    live = db.execute("PRAGMA page_size").fetchone()[0]
    try:
        if source.execute("PRAGMA page_size").fetchone()[0] == live:
            source.conn.backup(db.conn)
            return
        path = Path(_path(db))
        with _held_partial(path.with_name(f"{path.name}.restore")) as (tmp, _):
            conv = sqlite3.connect(tmp, isolation_level=None)
            try:
                source.conn.backup(conv)
                conv.execute(f"PRAGMA page_size = {int(live)}")
                conv.execute("VACUUM")
                conv.backup(db.conn)
            finally:
                conv.close()
            _remove(tmp)
    except sqlite3.Error as exc:
        raise InputError(f"cannot restore into {_path(db)}: {exc}") from None


def _path(db: Database) -> str:
    row = db.conn.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else ":memory:"
