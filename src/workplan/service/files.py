"""Files read without the record: a text file, the format of a file, and `diff --files`.

Nothing here imports the record's machinery (`service.core`, `store`, sqlite-utils): comparing
two draft files reads them and diffs them, and its start-up pays for that alone. Other formats
(OAS text, Word, PDF) go through `service.imports`, imported when such a file is compared.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workplan.errors import InputError, NotFoundError, PermissionDenied
from workplan.model.base import trusted
from workplan.model.diff import ParaIn

if TYPE_CHECKING:
    from workplan.model import Draft
    from workplan.model.diff import DraftDiff

#: The largest text file read in (an import, a starting plan, a side of `diff --files`).
MAX_FILE_BYTES = 20 * 1024 * 1024


def read_file(path: str | Path, *, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Read a UTF-8 text file of at most `max_bytes`, with a clear error when it is missing,
    unreadable, too large or not text (exit 66, 77, 65, 65)."""
    p = Path(path)
    try:
        if not p.is_file():
            raise NotFoundError(f"no such file: {path}")
        with p.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except PermissionError as exc:
        raise PermissionDenied(f"cannot read {path}: {exc.strerror}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > max_bytes:
        raise InputError(f"{path}: too large (more than {max_bytes // (1024 * 1024)} MB)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


#: File names that promise a binary format: such a file holding text is refused, not read.
_BINARY_SUFFIXES = {
    ".docx": "a Word file",
    ".odt": "an OpenDocument file",
    ".pdf": "a PDF",
}


def detect_format(path: Path) -> str:
    """draft (front matter naming a document), docx (a zip), pdf (`%PDF-` in the first 1,024
    bytes, as the PDF standard allows), or oas (any other text: a YAML front matter that is not
    a draft's, `record_id:` or `authors:`, is read as text)."""
    from workplan.model.document import Document

    text_or_zip = _head(path, 4096)
    if text_or_zip.startswith(b"PK"):
        return "docx"
    if b"%PDF-" in text_or_zip[:1024]:
        return "pdf"
    suffix = path.suffix.lower()
    if suffix in _BINARY_SUFFIXES:
        raise InputError(
            f"{path}: named {suffix} but not {_BINARY_SUFFIXES[suffix]} (its first bytes say"
            " text); rename it, or import it with --format oas or --format draft"
        )
    head = text_or_zip.removeprefix(b"\xef\xbb\xbf")
    if not head.startswith(b"---"):
        return "oas"
    front = head[3:].split(b"\n---", 1)[0].decode("utf-8", "replace")
    keys = set(re.findall(r"(?m)^([A-Za-z_][\w-]*)\s*:", front))
    return "oas" if keys and not keys & set(Document.model_fields) else "draft"


def _head(path: Path, size: int = 8) -> bytes:
    """The first bytes of a file (never the whole file: it may be huge)."""
    try:
        if not path.is_file():
            raise NotFoundError(f"no such file: {path}")
        with path.open("rb") as fh:
            return fh.read(size)
    except PermissionError as exc:
        raise PermissionDenied(f"cannot read {path}: {exc.strerror}") from None
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


@dataclass
class Side:
    """One side of a comparison: its label, document and paragraphs."""

    label: str
    document: str
    paragraphs: list[ParaIn]


def from_draft(
    draft: Draft,
    label: str,
    statuses: Mapping[str, str] | None = None,
    reservations: Mapping[str, tuple[str, ...]] | None = None,
) -> Side:
    """A side of a comparison from a draft: its paragraphs in force (the deleted left out),
    with their refs, and their statuses and reservations when given.

    Each ParaIn is built from the draft's checked values without pydantic's validation (a
    fifth of a second for the 20,000 paragraphs of two 10,000-paragraph files)."""
    refs = draft.refs
    held = reservations or {}
    paras = [
        trusted(
            ParaIn,
            {
                "uid": p.uid,
                "ref": refs.get(p.uid, ""),
                "text": p.text,
                "lineage_uid": p.lineage.uid if p.lineage else None,
                "section": p.section,
                "status": statuses[p.uid] if statuses is not None else "",
                "reservations": tuple(held.get(p.uid, ())),
            },
        )
        for p in draft.paragraphs
        if not p.deleted
    ]
    return Side(label, draft.document.id, paras)


def file_side(path: str | Path) -> Side:
    """A file of any format `import` takes as a side of `diff --files`, labelled with its path.

    A draft file is read here (`draft_md.parse_draft`); the others through `service.imports`,
    as `import` reads them."""
    p = Path(path)
    if detect_format(p) == "draft":
        from workplan.formats.draft_md import parse_draft

        draft = parse_draft(read_file(p), str(p))
    else:
        from workplan.service.imports import file_draft

        draft = file_draft(p)
    return from_draft(draft, str(path))


def compare_files(x: str | Path, y: str | Path) -> tuple[Side, Side, DraftDiff]:
    """Diff two files of any format `import` takes (draft, OAS text, Word, PDF: each
    detected as `import` detects it), aligned by content (no database needed)."""
    from workplan.diffing import diff_paragraphs

    with _no_collection():
        a, b = file_side(x), file_side(y)
        return a, b, diff_paragraphs(a.paragraphs, b.paragraphs, by_lineage=False)


@contextmanager
def _no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused: reading two 10,000-paragraph files and diffing
    them builds ~200,000 objects, none in a cycle, and each of the collector's passes over
    the young ones (and now and then over the whole heap) found nothing (~50 ms in all)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
