"""Running the pandoc that pypandoc-binary bundles, with a memory cap and a time limit.

pandoc is a Haskell program: `+RTS -M<size> -RTS` caps its heap (it stops with "Heap
exhausted" instead of taking the machine's memory), and the process is killed when it runs
past the time limit. A file over either limit is refused (exit 65), never half converted.
"""

from __future__ import annotations

import functools
import os
import subprocess

from workplan.errors import InputError

#: pandoc's heap cap (GHC RTS `-M`): a 10 MB Word XML part needs about 700 MB to read.
PANDOC_MEMORY = "1g"
#: How long one pandoc run may take, in seconds.
PANDOC_TIMEOUT = 120.0
#: The exit status of a GHC program whose heap ran out.
_HEAP_EXHAUSTED = 251


@functools.cache
def pandoc_path() -> str:
    """The bundled pandoc binary: pypandoc-binary's `files/pandoc`, found without importing
    pypandoc (whose import and search run `pandoc --version` on every candidate: ~30-60 ms of
    an export). Only when it is not there, or `$PYPANDOC_PANDOC` names another, does pypandoc
    search."""
    from importlib.util import find_spec

    spec = None if os.environ.get("PYPANDOC_PANDOC") else find_spec("pypandoc")
    for folder in (spec and spec.submodule_search_locations) or ():
        bundled = os.path.join(os.path.realpath(folder), "files", "pandoc")
        if os.access(bundled, os.X_OK):
            return bundled
    import pypandoc

    return str(pypandoc.get_pandoc_path())


def run_pandoc(args: list[str], what: str, *, stdin: bytes | None = None) -> bytes:
    """Run pandoc with `args` (its input on stdin or named in `args`); return its stdout.

    `what` names the input in errors: `third.docx: pandoc needs more than 1g of memory ...`.
    """
    cmd = [pandoc_path(), "+RTS", f"-M{PANDOC_MEMORY}", "-RTS", *args]
    try:
        proc = subprocess.run(
            cmd,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            timeout=PANDOC_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise InputError(
            f"{what}: pandoc took more than {PANDOC_TIMEOUT:g} s to convert it; refused"
        ) from None
    except OSError as exc:
        raise InputError(f"{what}: cannot run pandoc ({exc.strerror or exc})") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace")
        if proc.returncode == _HEAP_EXHAUSTED or "Heap exhausted" in err:
            raise InputError(
                f"{what}: pandoc needs more than {PANDOC_MEMORY} of memory to convert it; refused"
            )
        first = next((ln.strip() for ln in err.splitlines() if ln.strip()), "")
        raise InputError(f"{what}: pandoc failed ({first or f'exit {proc.returncode}'})")
    return proc.stdout
