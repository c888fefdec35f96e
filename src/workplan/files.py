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
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from workplan.errors import InputError, PermissionDenied, StorageError

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
    try:
        old = os.lstat(target)
    except FileNotFoundError:
        old = None
    except OSError as exc:
        raise _os_error(p, exc) from exc
    if old is not None:
        if stat.S_ISLNK(old.st_mode):
            raise InputError(f"{p} is a symbolic link; refusing to write through it")
        if not force:
            raise _exists_error(p)
        if not stat.S_ISREG(old.st_mode):
            raise InputError(f"cannot write {p}: it exists and is not a regular file")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = _create_temp(folder, p.name)
    except OSError as exc:
        raise _os_error(p, exc) from exc
    try:
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
