"""Writing files safely: atomic, never through a symlink, never over a file unless forced.

How a write goes:

- The parent folder is resolved once (a symlinked folder is followed, deliberately: writing
  to `~/exports/plan.md` where `~/exports` links to a shared disk is ordinary use). The temp
  file and the target are both named inside that one resolved folder, so the final rename is
  within one directory and cannot land anywhere else if the link changes meanwhile.
- The final component must not be a symbolic link: that is refused, and the publishing step
  (rename or hard link) never follows one anyway.
- The temp file is created with mode 0666 & ~umask, the mode any new file gets; a forced
  overwrite gives it the old file's permission bits instead (its owner and group are not
  copied: the file is the writer's from then on).
- Without `force`, the file is published with `os.link(tmp, target)`, which fails if the target
  appeared since the check: no window in which another writer's file is replaced. On a file
  system without hard links the target is first claimed with `O_CREAT | O_EXCL` (an empty file,
  which also refuses an existing one) and the temp file renamed over that claim.
- With `force`, `os.replace` swaps the new content in atomically.

The TUI (and so `serve`, and a delegate held to the TUI by an SSH forced command) writes
nowhere but one export folder (`ExportFolder`), by bare file name: `export_target` refuses
anything else, the folder is opened once with `O_NOFOLLOW` and every step of the write is
relative to that descriptor, so neither a path nor a planted symlink can aim it elsewhere.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from workplan.errors import InputError, NotFoundError, PermissionDenied, StorageError
from workplan.model.text import find_bad_char

#: The longest file name most file systems take, in bytes (the folder may say otherwise).
NAME_MAX = 255
#: How much of the target's name the temp file's name keeps, in bytes.
_TEMP_PREFIX_BYTES = 100

#: `os.link` errors meaning "this file system has no hard links", not "you may not".
_NO_HARD_LINKS = frozenset(
    {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EMLINK, errno.EXDEV}
)


def _exists_error(p: Path) -> InputError:
    return InputError(f"{p} already exists; pass --force to overwrite it")


def _os_error(p: Path, exc: OSError) -> InputError | PermissionDenied | StorageError:
    """Full disk 74, permission or read-only 77, anything else about the path 65."""
    reason = exc.strerror or str(exc)
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return PermissionDenied(f"cannot write {p}: {reason}")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EIO):
        return StorageError(f"cannot write {p}: {reason}; nothing was written")
    return InputError(f"cannot write {p}: {reason}")


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError):
        return NAME_MAX


def _temp_prefix(name: str) -> str:
    """The start of `name`, at most _TEMP_PREFIX_BYTES in UTF-8 (never a cut character)."""
    return name.encode("utf-8", "surrogateescape")[:_TEMP_PREFIX_BYTES].decode("utf-8", "ignore")


def _create_temp(folder: Path, name: str) -> tuple[int, Path]:
    """A new, empty temp file beside the target, created 0666 & ~umask (the kernel applies it)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        tmp = folder / f".{_temp_prefix(name)}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, flags | getattr(os, "O_NOFOLLOW", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(folder))


def _publish_new(tmp: Path, target: Path, mode: int) -> None:
    """Give `tmp` the name `target` only if nothing has that name; raise FileExistsError."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        # No hard links here: claim the name exclusively, then rename the content over the claim.
        claim = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        os.close(claim)
        try:
            os.replace(tmp, target)
        except BaseException:
            target.unlink(missing_ok=True)
            raise
    else:
        tmp.unlink()


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _target(p: Path) -> tuple[Path, Path]:
    """(resolved folder, target in it) for `p`, or the reason it cannot be written."""
    if not p.name or p.name in (".", ".."):
        raise InputError(f"cannot write {p}: give a file name")
    if not p.parent.is_dir():
        raise InputError(f"cannot write {p}: folder {p.parent} does not exist")
    size = len(p.name.encode("utf-8", "surrogateescape"))
    limit = _name_max(p.parent)
    if size > limit:
        raise InputError(
            f"cannot write {p}: the file name is too long ({size} bytes, at most {limit})"
        )
    if p.is_symlink():
        raise InputError(f"{p} is a symbolic link; refusing to write through it")
    if p.is_dir():
        raise InputError(f"{p} is a folder; give a file name")
    folder = p.parent.resolve()
    return folder, folder / p.name


def write_atomic(path: str | Path, data: str | bytes, *, force: bool = True) -> Path:
    """Write `data` to `path` atomically; refuse to write through a symlink.

    With `force=False` an existing file is never overwritten, even one that appears while
    writing. Returns `path` as given (expanded); the file is written in its parent folder as
    resolved when the write began.
    """
    p = Path(path).expanduser()
    try:
        folder, target = _target(p)
    except OSError as exc:
        raise _os_error(p, exc) from exc
    old = _existing(p, target, force=force)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = _create_temp(folder, p.name)
    except OSError as exc:
        raise _os_error(p, exc) from exc
    try:
        _fill_and_publish(fd, tmp, target, raw, old, force=force)
    except FileExistsError as exc:
        tmp.unlink(missing_ok=True)
        raise _exists_error(p) from exc
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _os_error(p, exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(folder)
    return p


def _existing(p: Path, target: Path, *, force: bool) -> os.stat_result | None:
    """The file `write_atomic` would replace (None when there is none), or why it may not."""
    try:
        old = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise _os_error(p, exc) from exc
    if stat.S_ISLNK(old.st_mode):
        raise InputError(f"{p} is a symbolic link; refusing to write through it")
    if not force:
        raise _exists_error(p)
    if not stat.S_ISREG(old.st_mode):
        raise InputError(f"cannot write {p}: it exists and is not a regular file")
    return old


def _fill_and_publish(
    fd: int, tmp: Path, target: Path, raw: bytes, old: os.stat_result | None, *, force: bool
) -> None:
    """Write `raw` through `fd` into `tmp` (keeping the old file's mode), sync it, move it in."""
    with os.fdopen(fd, "wb") as fh:
        if old is not None:
            os.fchmod(fh.fileno(), stat.S_IMODE(old.st_mode))
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    mode = stat.S_IMODE(os.lstat(tmp).st_mode)
    if force:
        os.replace(tmp, target)
    else:
        _publish_new(tmp, target, mode)


# -- the TUI's export folder ------------------------------------------------------------------
EXPORT_NAME_MAX_BYTES = 255
"""The longest file name (in UTF-8 bytes) an export may take: the usual file system limit."""


def export_target(folder: Path, name: str, protected: Iterable[Path] = ()) -> Path:
    """`folder / name`, if `name` is a bare file name an export may take; else InputError.

    Refused: an empty name, one with `/` or `\\`, an absolute path, `.` and `..`, a name starting
    with `.` (dotfiles, and our own temp files), `~`, a control, bidi or invisible character
    (as in any text: `model.text`), one longer than
    255 bytes, and any name starting with the name of a `protected` file (given or resolved),
    compared without case: so for the database `wg.db` also `WG.DB`, `wg.db-wal`, `-shm`,
    `-journal`, `-writers` and `wg.db.before-restore-*`, whatever the folder. Pure: touches
    nothing but `protected` paths' resolution.
    """
    if not name or not name.strip():
        raise InputError("give a file name")
    if "/" in name or "\\" in name or Path(name).is_absolute():
        raise InputError(f"give a file name only, not a path: exports go into {folder}")
    if name in (".", "..") or name.startswith("."):
        raise InputError(f"{name!r} starts with a dot; give an ordinary file name")
    if name.startswith("~"):
        raise InputError(f"{name!r} starts with ~; give an ordinary file name")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name):
        raise InputError("the file name contains a control character")
    hidden = find_bad_char(name)
    if hidden is not None:  # a bidi override or an invisible character disguises the name
        raise InputError(f"the file name may not hold a {hidden[1]} (position {hidden[0] + 1})")
    if len(name.encode("utf-8")) > EXPORT_NAME_MAX_BYTES:
        raise InputError(f"the file name is longer than {EXPORT_NAME_MAX_BYTES} bytes")
    folded = name.casefold()
    for p in protected:
        names = {p.name.casefold(), p.expanduser().resolve().name.casefold()} - {""}
        if any(folded.startswith(n) for n in names):
            raise InputError(f"{name!r} is reserved: it names {p.name} or one of its files")
    return folder / name


def open_export_folder(path: Path) -> int:
    """Open the export folder (creating it 0700 if missing); return its descriptor.

    Refused: a symbolic link, something not a folder, a folder another account owns or one
    that group or others may write (a planted file or link could then wait in it).
    """
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass
    except FileNotFoundError as exc:
        raise NotFoundError(f"cannot create the export folder {path}: no folder above it") from exc
    except OSError as exc:
        raise _os_error(path, exc) from exc
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):  # Linux says ENOTDIR for a link too
            what = "a symbolic link" if os.path.islink(path) else "not a folder"
            raise InputError(f"the export folder {path} is {what}; refusing it") from exc
        raise _os_error(path, exc) from exc
    st = os.fstat(fd)
    problem = ""
    if st.st_uid != os.geteuid():
        problem = "is owned by another account"
    elif st.st_mode & 0o022:
        problem = "may be written by others (chmod 0700 it)"
    if problem:
        os.close(fd)
        raise PermissionDenied(f"the export folder {path} {problem}; refusing to write there")
    return fd


_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def _write_in(folder_fd: int, name: str, raw: bytes, *, force: bool, shown: Path) -> None:
    """Write `raw` as `name` in the open folder, atomically, never through a symlink (0600)."""
    _check_existing_in(folder_fd, name, force=force, shown=shown)
    fd, tmp = _temp_in(folder_fd, shown)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        _publish_in(folder_fd, tmp, name, force=force)
    except FileExistsError as exc:
        _unlink_in(folder_fd, tmp)
        raise InputError(f"{shown} already exists") from exc
    except OSError as exc:
        _unlink_in(folder_fd, tmp)
        raise _os_error(shown, exc) from exc
    except BaseException:
        _unlink_in(folder_fd, tmp)
        raise
    with contextlib.suppress(OSError):
        os.fsync(folder_fd)


def _check_existing_in(folder_fd: int, name: str, *, force: bool, shown: Path) -> None:
    """Refuse a link, a non-file, or (without `force`) any file already called `name`."""
    try:
        old = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _os_error(shown, exc) from exc
    if stat.S_ISLNK(old.st_mode):
        raise InputError(f"{shown} is a symbolic link; refusing to write through it")
    if not stat.S_ISREG(old.st_mode):
        raise InputError(f"cannot write {shown}: it exists and is not a regular file")
    if not force:
        raise InputError(f"{shown} already exists")


def _temp_in(folder_fd: int, shown: Path) -> tuple[int, str]:
    """A new temporary file (0600) in the open folder: its descriptor and name."""
    for _ in range(100):
        tmp = f".export-{secrets.token_hex(8)}.tmp"
        try:
            return os.open(tmp, _TEMP_FLAGS, 0o600, dir_fd=folder_fd), tmp
        except FileExistsError:
            continue
        except OSError as exc:
            raise _os_error(shown, exc) from exc
    raise InputError(f"cannot write {shown}: no free temporary file name")


def _publish_in(folder_fd: int, tmp: str, name: str, *, force: bool) -> None:
    """Move the written `tmp` to `name`; without `force`, never over a file that appeared."""
    at = {"src_dir_fd": folder_fd, "dst_dir_fd": folder_fd}
    if force:
        os.replace(tmp, name, **at)
        return
    try:
        os.link(tmp, name, **at, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        claim = os.open(name, _TEMP_FLAGS, 0o600, dir_fd=folder_fd)
        os.close(claim)
        os.replace(tmp, name, **at)
    else:
        os.unlink(tmp, dir_fd=folder_fd)


def _unlink_in(folder_fd: int, name: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(name, dir_fd=folder_fd)


class ExportFolder:
    """The one folder the TUI writes exports into, by bare file name only.

    Each operation opens the folder once (`open_export_folder`) and works relative to that
    descriptor: a name is never resolved through a link, in the folder or in place of it.
    """

    def __init__(self, path: Path, protected: Iterable[Path] = ()) -> None:
        self.path = Path(path)
        """Where exports go (absolute)."""
        self.protected = tuple(protected)
        """Files whose names (and names starting with theirs) an export may never take."""

    def target(self, name: str) -> Path:
        """The path `name` would be written to; InputError unless it is a bare, allowed name."""
        return export_target(self.path, name, self.protected)

    def exists(self, name: str) -> bool:
        """Whether a file `name` is in the folder already (InputError for a symlink)."""
        target = self.target(name)
        fd = open_export_folder(self.path)
        try:
            st = os.stat(name, dir_fd=fd, follow_symlinks=False)
        except FileNotFoundError:
            return False
        except OSError as exc:
            raise _os_error(target, exc) from exc
        finally:
            os.close(fd)
        if stat.S_ISLNK(st.st_mode):
            raise InputError(f"{target} is a symbolic link; refusing to write through it")
        return True

    def write(self, name: str, data: str | bytes, *, force: bool = False) -> Path:
        """Write `data` as `name` in the folder (0600, atomic); return the path written.

        Without `force` an existing file is never replaced, even one appearing meanwhile.
        """
        target = self.target(name)
        raw = data.encode("utf-8") if isinstance(data, str) else data
        fd = open_export_folder(self.path)
        try:
            _write_in(fd, name, raw, force=force, shown=target)
        finally:
            os.close(fd)
        return target
