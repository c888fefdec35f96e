"""Reading Word files: pandoc turns a .docx into its document tree; we write it out as OAS plain
text (footnote calls `N/` after the last word, bodies `N. text` at the paragraph's foot), which
the OAS text reader then parses like any Word-converted text.

A .docx is a zip archive, and a small one can inflate into gigabytes. Before pandoc sees it,
`check_docx` reads the archive itself, every entry streamed and counted, and refuses (exit 65):

- a file over MAX_DOCX_BYTES, or more than MAX_ENTRIES entries;
- an encrypted entry, one compressed other than stored or deflated, a repeated or unsafe name
  (absolute, `..`), entries that overlap (one compressed stream shared by many entries), a
  local header that disagrees with the central directory, a bad checksum;
- XML parts (`.xml`, `.rels`) over MAX_XML_BYTES together once inflated, or all entries over
  MAX_TOTAL_BYTES together, or an entry over RATIO_FLOOR bytes that inflates more than
  MAX_RATIO times.

pandoc then runs with a memory cap and a time limit (`workplan.formats.pandoc`).
"""

from __future__ import annotations

import json
import re
import struct
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from workplan.errors import InputError
from workplan.model.text import find_bad_char

#: The largest .docx file read, in bytes.
MAX_DOCX_BYTES = 20 * 1024 * 1024
#: The most entries (files) in the archive; a Word file has a dozen or two, a few hundred images.
MAX_ENTRIES = 1000
#: All XML parts together, inflated: a 1,000-paragraph plan has about 1 MB.
MAX_XML_BYTES = 10 * 1024 * 1024
#: All entries together, inflated (images included).
MAX_TOTAL_BYTES = 50 * 1024 * 1024
#: Inflation ratio refused for an entry over RATIO_FLOOR bytes (Word's XML inflates 5-20 times).
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
_CHUNK = 1024 * 1024
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_MB = 1024 * 1024


def _refuse(path: str | Path, why: str) -> InputError:
    return InputError(f"{path}: not accepted as a Word file: {why}")


def check_docx(path: str | Path) -> None:
    """Refuse a .docx over the limits above (InputError, exit 65), reading it entry by entry."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if size > MAX_DOCX_BYTES:
        raise _refuse(path, f"larger than {MAX_DOCX_BYTES // _MB} MB")
    try:
        with zipfile.ZipFile(p) as zf:
            _check_entries(path, zf, p)
    except InputError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise _refuse(path, f"a damaged zip archive ({exc})") from None
    except NotImplementedError as exc:
        raise _refuse(path, str(exc)) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from None


def _check_entries(path: str | Path, zf: zipfile.ZipFile, p: Path) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _refuse(path, f"{len(infos)} entries in the archive (at most {MAX_ENTRIES})")
    names: set[str] = set()
    for info in infos:
        if info.filename in names:
            raise _refuse(path, f"entry {info.filename[:80]!r} appears twice")
        names.add(info.filename)
        _check_entry(path, info)
    if "word/document.xml" not in names:
        raise _refuse(path, "it has no word/document.xml")
    _check_layout(path, infos, p)
    _check_inflated(path, zf, infos)


def _check_entry(path: str | Path, info: zipfile.ZipInfo) -> None:
    """One entry: a plain relative name, not encrypted, a usual method, no bomb's ratio."""
    name = info.filename
    parts = PurePosixPath(name).parts
    if name.startswith(("/", "\\")) or ".." in parts or "\\" in name or ":" in name:
        raise _refuse(path, f"entry name {name[:80]!r} is not a plain relative path")
    if info.flag_bits & 0x1:
        raise _refuse(path, f"entry {name[:80]!r} is encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _refuse(path, f"entry {name[:80]!r} uses compression method {info.compress_type}")
    if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        raise _refuse(path, f"entry {name[:80]!r} inflates {ratio} times (a zip bomb?)")


def _check_inflated(path: str | Path, zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    """Inflate every entry, counting: refuse past the caps on XML and on the whole."""
    xml = total = 0
    for info in infos:
        is_xml = info.filename.lower().endswith((".xml", ".rels"))
        with zf.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                total += len(chunk)
                xml += len(chunk) if is_xml else 0
                if xml > MAX_XML_BYTES:
                    raise _refuse(path, f"its XML inflates to more than {MAX_XML_BYTES // _MB} MB")
                if total > MAX_TOTAL_BYTES:
                    raise _refuse(
                        path, f"its contents inflate to more than {MAX_TOTAL_BYTES // _MB} MB"
                    )


def _check_layout(path: str | Path, infos: list[zipfile.ZipInfo], p: Path) -> None:
    """Entries must not overlap, and each local header must agree with the central directory."""
    with p.open("rb") as fh:
        end = 0
        for info in sorted(infos, key=lambda i: i.header_offset):
            if info.header_offset < end:
                raise _refuse(path, f"entry {info.filename[:80]!r} overlaps another entry")
            fh.seek(info.header_offset)
            raw = fh.read(_LOCAL_HEADER.size)
            if len(raw) < _LOCAL_HEADER.size:
                raise _refuse(path, f"entry {info.filename[:80]!r} is cut short")
            sig, _, flags, method, _, _, _, csize, usize, nlen, xlen = _LOCAL_HEADER.unpack(raw)
            if sig != b"PK\x03\x04" or method != info.compress_type:
                raise _refuse(path, f"entry {info.filename[:80]!r} has a damaged local header")
            sizes_here = not flags & 0x8 and 0xFFFFFFFF not in (csize, usize)
            if sizes_here and (csize, usize) != (info.compress_size, info.file_size):
                raise _refuse(
                    path, f"entry {info.filename[:80]!r}: its sizes disagree with the directory"
                )
            end = info.header_offset + _LOCAL_HEADER.size + nlen + xlen + info.compress_size


#: An OAS call's slash after a footnote call (`1/`, as our own exports print it).
_CALL_SLASH = re.compile(r"(\x00\d+\x00)/")
#: The `.` after the number at the foot (`1. text`), as our own exports print it.
_FOOT_NUMBER = re.compile(r"^\.\s+")


class _Nul(Exception):
    """A NUL in the document's text (NUL marks footnote calls here, so it is caught early)."""


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise _Nul(text)
    return text


def _inline(nodes: list[dict[str, Any]], notes: list[str]) -> str:
    out: list[str] = []
    for node in nodes:
        kind, content = node["t"], node.get("c", [])
        if kind == "Str":
            out.append(_no_nul(content))
        elif kind in ("Space", "SoftBreak"):
            out.append(" ")
        elif kind == "LineBreak":
            out.append("\n")
        elif kind == "Quoted":
            quote = ("“", "”") if content[0]["t"] == "DoubleQuote" else ("‘", "’")
            out.append(quote[0] + _inline(content[1], notes) + quote[1])
        elif kind in (
            "Emph",
            "Strong",
            "Underline",
            "SmallCaps",
            "Strikeout",
            "Superscript",
            "Subscript",
        ):
            out.append(_inline(content, notes))
        elif kind in ("Span", "Link"):
            out.append(_inline(content[1], notes))
        elif kind == "Code":
            out.append(_no_nul(content[1]))
        elif kind == "Note":
            # A footnote's later paragraphs, indented under its text, read as a block quote.
            note = "\n\n".join(_blocks(content, [])).strip()
            notes.append(_FOOT_NUMBER.sub("", note, count=1))
            out.append(f"\x00{len(notes)}\x00")
    return "".join(out)


def _block_text(block: dict[str, Any], notes: list[str]) -> str:
    kind, content = block["t"], block.get("c", [])
    if kind in ("Para", "Plain"):
        return _inline(content, notes)
    if kind == "Header":
        return _inline(content[2], notes)
    return ""


def _blocks(blocks: list[dict[str, Any]], notes: list[str]) -> list[str]:
    paras: list[str] = []
    for block in blocks:
        kind, content = block["t"], block.get("c", [])
        if kind == "OrderedList":
            start = content[0][0]
            for i, item in enumerate(content[1]):
                text = " ".join(_blocks(item, notes))
                paras.append(f"{start + i}.\t{text}")
        elif kind == "BulletList":
            for item in content:
                paras.extend(_blocks(item, notes))
        elif kind in ("BlockQuote", "Div"):
            paras.extend(_blocks(content if kind == "BlockQuote" else content[1], notes))
        elif kind == "Table":
            cells = [_blocks(cell[4], notes) for cell in _cells(content)]
            if not paras:  # the header block: the organ's lines, then the series, symbol...
                lines = [line for cell in cells for p in cell for line in p.split("\n")]
                paras += ["\n".join(x for x in lines if x.strip())] if lines else []
            else:
                paras += [p for cell in cells for p in cell]
        else:
            text = _block_text(block, notes)
            if text.strip():
                paras.append(text)
    return paras


def _cells(table: list[Any]) -> list[list[Any]]:
    """A pandoc table's cells, row by row (head, bodies, foot), each cell left to right."""
    _attr, _caption, _specs, head, bodies, foot = table
    rows = list(head[1])
    for body in bodies:
        rows += body[2] + body[3]
    rows += foot[1]
    return [cell for row in rows for cell in row[1]]


def _check_text(path: str | Path, where: str, text: str) -> None:
    found = find_bad_char(text, allow_newlines=True)
    if found is not None:
        i, problem = found
        article = "an" if problem[0] in "aeiou" else "a"
        raise InputError(f"{path}: {where}: contains {article} {problem} at position {i + 1}")


def docx_to_oas_text(path: str | Path) -> str:
    """A .docx as OAS plain text with `N/` footnote calls and `N. text` bodies.

    The archive is checked first (`check_docx`); a control or invisible character in a
    paragraph or footnote is refused, naming the paragraph and the position in it.
    """
    from workplan.formats.pandoc import run_pandoc

    check_docx(path)
    out = run_pandoc(["--from=docx", "--to=json", "--sandbox", "--", str(path)], str(path))
    try:
        tree = json.loads(out)
    except ValueError as exc:
        raise InputError(f"{path}: not a readable Word file ({exc})") from None
    notes: list[str] = []
    try:
        paras = _blocks(tree.get("blocks", []), notes)
    except _Nul as exc:
        near = str(exc.args[0]).replace("\x00", "\\0")[:40]
        raise InputError(
            f"{path}: contains a forbidden character U+0000 (control), in {near!r}"
        ) from None
    for n, note in enumerate(notes, start=1):
        _check_text(path, f"footnote {n}", note)
    lines: list[str] = []
    for k, para in enumerate(paras, start=1):
        parts = _CALL_SLASH.sub(r"\1", para).split("\x00")
        text = "".join(parts[0::2]).rstrip()
        _check_text(path, f"paragraph {k}", text)
        calls = [int(n) for n in parts[1::2]]
        lines.append(text + "".join(f"{n}/" for n in calls))
        if calls:
            lines.append("")
            lines += [f"{n}. " + notes[n - 1].replace("\n\n", "\n    ") for n in calls]
        lines.append("")
    return "\n".join(lines)
