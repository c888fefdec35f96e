"""Writing files safely: atomic, never through a symlink."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from workplan.errors import InputError, PermissionDenied


def write_atomic(path: str | Path, data: str | bytes, *, force: bool = True) -> Path:
    """Write `data` to `path` atomically (temp file + rename); refuse to write through a symlink.

    With `force=False` an existing file is never overwritten.
    """
    p = Path(path).expanduser()
    if not force and p.exists():
        raise InputError(f"{p} already exists; pass --force to overwrite it")
    if p.is_symlink():
        raise InputError(f"{p} is a symbolic link; refusing to write through it")
    if p.is_dir():
        raise InputError(f"{p} is a folder; give a file name")
    if not p.parent.is_dir():
        raise InputError(f"cannot write {p}: folder {p.parent} does not exist")
    raw = data.encode("utf-8") if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    except PermissionError as exc:
        raise PermissionDenied(f"cannot write {p}: {exc.strerror}") from exc
    except OSError as exc:
        raise InputError(f"cannot write {p}: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p
