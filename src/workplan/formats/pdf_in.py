"""Reading PDF files: the text of each page, as lines, for the OAS text reader.

pypdf (pure Python, chosen by measurement: `benchmarks/bench_pdf.py`) extracts each page in
layout mode, which keeps a paragraph's lines together, puts a blank line where the page leaves
vertical space (between paragraphs, above the footnotes) and keeps each footnote's number on
its line (`2   Paraguay joins ...`). Then, on our side:

- `split_columns`: lines holding two columns side by side (the OAS header table: the organ on
  the left, the series, symbol and date on the right) become the left column's lines, then the
  right column's;
- `dehyphenate`: a word cut at a line end (`Transnat-` / `ional`) is joined only when the
  joined word occurs elsewhere in the text; otherwise the hyphen and the line break stay;
- pages are kept apart: `PdfText.text` writes a line holding only PAGE_BREAK (a form feed)
  between them, so the text pipeline can drop page numbers and running heads;
  `drop_page_furniture` does that for the OAS reader of today and lists what it dropped.
  Footnotes printed at a page's foot stay as lines at the end of that page.

A PDF is a program's input, so the extraction runs in a separate process (`python -m
workplan.formats.pdf_in FILE`) with a memory limit (RLIMIT_AS) and a time limit, after the
file's size is checked; encrypted files and files over MAX_PAGES pages are refused, each with
one line (InputError, exit 65).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from workplan.errors import InputError

#: The largest PDF read, in bytes.
MAX_PDF_BYTES = 20 * 1024 * 1024
#: The most pages read (a work plan has 10 to 40).
MAX_PAGES = 500
#: The most text extracted, in characters (layout mode pads with spaces: a small PDF placing
#: its glyphs far apart extracts to hundreds of millions; a 500-page plan is about 3 million).
MAX_TEXT_CHARS = 20 * 1024 * 1024
#: How long the extraction may take, in seconds.
PDF_TIMEOUT = 120.0
#: The extraction process's address space, in bytes.
PDF_MEMORY = 1024 * 1024 * 1024
#: The line written between two pages by `PdfText.text`.
PAGE_BREAK = "\f"
#: The worker's exit status for a file it refuses (its one-line reason on stderr).
_REFUSED = 3
_MB = 1024 * 1024

#: A gap this wide (in spaces, layout mode) between two runs of text on one line: two columns.
COLUMN_GAP = 6
_GAP = re.compile(r"\S( {" + str(COLUMN_GAP) + r",})(?=\S)")
_CUT = re.compile(r"([^\W\d_]+)[-\u00ad\u2010]$")
_HEAD_WORD = re.compile(r"^([^\W\d_]+)")
_WORD = re.compile(r"[^\W\d_]+")
#: A page number on a line of its own: `2`, `- 2 -`, `-2-`, `— 2 —`, `Page 2`, `Page 2 of 7`,
#: `Página 2 de 7`.
PAGE_NUMBER = re.compile(
    r"^[-–—]?\s*(?:(?:page|página|pagina|pág\.)\s*)?\d{1,4}(?:\s*(?:of|de)\s*\d{1,4})?\s*[-–—]?$",
    re.IGNORECASE,
)


def _refuse(path: str | Path, why: str) -> InputError:
    return InputError(f"{path}: not accepted as a PDF: {why}")


# --- the extraction (in the worker process) --------------------------------------------------


def _extract(path: str, max_pages: int, max_chars: int = MAX_TEXT_CHARS) -> list[str]:
    """Each page's text in pypdf's layout mode; refuse encrypted or over-long files, and
    files whose text runs past `max_chars`."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise ValueError("it is encrypted (print it to a new PDF without a password first)")
        n = len(reader.pages)
        if n > max_pages:
            raise ValueError(f"{n} pages (at most {max_pages})")
        pages: list[str] = []
        size = 0
        for page in reader.pages:
            pages.append(page.extract_text(extraction_mode="layout"))
            size += len(pages[-1])
            if size > max_chars:
                raise ValueError(
                    f"its text is over {max_chars:,} characters once extracted"
                    f" (at page {len(pages)})"
                )
        return pages
    except PdfReadError as exc:
        raise ValueError(f"a damaged PDF ({exc})") from None


def _parser_failures() -> tuple[type[BaseException], ...]:
    """What pypdf, a pure-Python parser, raises on a malformed file (besides ValueError)."""
    import struct
    import zlib

    from pypdf.errors import PyPdfError

    return (
        PyPdfError,
        LookupError,
        TypeError,
        AttributeError,
        ArithmeticError,
        AssertionError,
        RecursionError,
        MemoryError,
        OSError,
        EOFError,
        zlib.error,
        struct.error,
    )


def _worker(argv: list[str]) -> int:
    """`python -m workplan.formats.pdf_in FILE MAX_PAGES MAX_CHARS`: the pages as JSON on
    stdout."""
    import logging

    logging.disable(logging.WARNING)  # pypdf's warnings about sloppy files: not our output
    failures = _parser_failures()
    try:
        pages = _extract(argv[0], int(argv[1]), int(argv[2]))
    except ValueError as exc:
        print(str(exc).splitlines()[0] if str(exc) else "unreadable", file=sys.stderr)
        return _REFUSED
    except failures as exc:  # a parser failure on hostile input: one line, refused
        print(f"a damaged PDF ({type(exc).__name__}: {exc})".splitlines()[0], file=sys.stderr)
        return _REFUSED
    json.dump(pages, sys.stdout, ensure_ascii=False)
    return 0


def _limit_memory() -> None:  # pragma: no cover (runs in the child)
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY, PDF_MEMORY))


def extract_pages(
    path: str | Path, *, max_pages: int = MAX_PAGES, max_chars: int = MAX_TEXT_CHARS
) -> list[str]:
    """The raw text of each page of the PDF at `path` (layout mode), extracted in a child
    process under the memory and time limits, at most `max_chars` characters of it;
    InputError (exit 65) when refused."""
    p = Path(path)
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(1024)
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if size > MAX_PDF_BYTES:
        raise _refuse(path, f"larger than {MAX_PDF_BYTES // _MB} MB")
    if b"%PDF-" not in head:
        raise _refuse(path, "no %PDF- header in its first 1,024 bytes")
    cmd = [
        sys.executable,
        "-m",
        "workplan.formats.pdf_in",
        str(p),
        str(max_pages),
        str(max_chars),
    ]
    try:
        proc = subprocess.run(
            cmd,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=PDF_TIMEOUT,
            check=False,
            preexec_fn=_limit_memory if sys.platform != "win32" else None,
        )
    except subprocess.TimeoutExpired:
        raise _refuse(path, f"reading it took more than {PDF_TIMEOUT:g} s") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot start the PDF reader ({exc.strerror or exc})") from None
    err = proc.stderr.decode("utf-8", "replace").strip()
    if proc.returncode == _REFUSED:
        raise _refuse(path, err or "unreadable")
    if proc.returncode != 0:
        if "MemoryError" in err:
            raise _refuse(path, f"reading it needs more than {PDF_MEMORY // _MB} MB of memory")
        last = (err.splitlines() or [f"exit {proc.returncode}"])[-1]
        raise _refuse(path, f"the PDF reader failed ({last[:200]})")
    if len(proc.stdout) > 6 * max_chars + 1024:  # JSON: at most 6 bytes a character
        raise _refuse(path, f"its text is over {max_chars:,} characters once extracted")
    try:
        pages = json.loads(proc.stdout.decode("utf-8"))
    except ValueError as exc:
        raise _refuse(path, f"the PDF reader's output is unreadable ({exc})") from None
    return [str(page) for page in pages]


# --- from raw pages to lines ------------------------------------------------------------------


def _clean_line(line: str) -> str:
    """A line without what layout mode and fonts add: ligatures as letters, a soft hyphen at
    the end as a hyphen (elsewhere dropped), trailing spaces."""
    line = "".join(
        unicodedata.normalize("NFKC", ch) if "\ufb00" <= ch <= "\ufb06" else ch for ch in line
    )
    line = line.rstrip()
    if line.endswith("\u00ad"):
        line = line[:-1] + "-"
    return line.replace("\u00ad", "").replace("\u2010", "-")


def split_columns(lines: list[str]) -> list[str]:
    """Lines of text set in two columns side by side (runs separated by COLUMN_GAP spaces or
    more, each run starting at the same place) as the left column's lines, then the right's.

    A block is a run of consecutive lines each with text at the right column's start (after a
    wide gap, or alone there); anything else is kept as it is (leading spaces dropped).
    """
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _GAP.search(lines[i])
        if m is None:
            out.append(lines[i].strip())
            i += 1
            continue
        col = m.end(1)
        left: list[str] = []
        right: list[str] = []
        j = i
        while j < len(lines):
            line = lines[j]
            if not line.strip():
                break
            gap = _GAP.search(line)
            if gap is not None and abs(gap.end(1) - col) <= 2:
                left.append(line[: gap.start(1) + 1].strip())
                right.append(line[gap.end(1) :].strip())
            elif line[: col - 2].strip() == "" and len(line) > col - 2:
                right.append(line.strip())
            elif gap is None and len(line.rstrip()) < col - COLUMN_GAP:
                left.append(line.strip())
            else:
                break
            j += 1
        if j == i:  # a wide gap but no block (a stretched line): keep it
            out.append(" ".join(lines[i].split()))
            j = i + 1
        out += left + right
        i = j
    return out


def dehyphenate(lines: list[str], known: set[str] | None = None) -> list[str]:
    """Join a word cut by a hyphen at a line end with the next line's first word when the
    joined word (any case) is in `known` (default: the words of `lines` themselves, cut
    halves aside); otherwise keep the hyphen and the line break."""
    if known is None:
        known = {w.lower() for line in lines for w in _WORD.findall(line)}
    out = list(lines)
    for k in range(len(out) - 1):
        cut = _CUT.search(out[k])
        nxt = out[k + 1].lstrip()
        head = _HEAD_WORD.match(nxt)
        if cut is None or head is None:
            continue
        whole = cut.group(1) + head.group(1)
        if whole.lower() in known:
            out[k] = out[k][: cut.start()] + whole
            out[k + 1] = nxt[len(head.group(1)) :].lstrip()
    return out


@dataclass
class PdfText:
    """A PDF's text: each page's lines (blank lines kept), in reading order."""

    pages: list[list[str]]
    dropped: list[str] = field(default_factory=list)

    def text(self) -> str:
        """The pages' lines, a PAGE_BREAK line between pages."""
        return f"\n{PAGE_BREAK}\n".join("\n".join(lines) for lines in self.pages)


def pages_to_lines(raw_pages: list[str]) -> PdfText:
    """Raw layout-mode pages as clean lines: columns split, trailing blank lines dropped,
    line-end hyphens joined where the joined word is known from the whole text."""
    pages = []
    for raw in raw_pages:
        lines = [_clean_line(ln) for ln in raw.replace("\r\n", "\n").split("\n")]
        lines = split_columns(lines)
        while lines and not lines[-1]:
            lines.pop()
        while lines and not lines[0]:
            lines.pop(0)
        pages.append(_squeeze_blank(lines))
    flat = [ln for page in pages for ln in page]
    known = {w.lower() for line in flat for w in _WORD.findall(line)}
    known -= {c.group(1).lower() for ln in flat if (c := _CUT.search(ln))}
    joined = dehyphenate([ln for page in pages for ln in [*page, PAGE_BREAK]], known)
    out: list[list[str]] = [[]]
    for line in joined[:-1]:
        if line == PAGE_BREAK:
            out.append([])
        else:
            out[-1].append(line)
    return PdfText(out)


def _squeeze_blank(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return out


def drop_page_furniture(doc: PdfText) -> PdfText:
    """The pages without their page numbers (a number alone on a page's first or last line)
    and running heads (a first line repeated at the top of most pages, after the first);
    what was dropped is listed in `dropped`."""
    dropped: list[str] = []
    pages = [list(p) for p in doc.pages]
    for lines in pages:
        for end in (-1, 0):
            if lines and PAGE_NUMBER.match(lines[end].strip()):
                dropped.append(lines.pop(end))
    tops = [p[0] for p in pages[1:] if p]
    for head in {t for t in tops if tops.count(t) >= max(2, (len(pages) - 1) // 2 + 1)}:
        for lines in pages[1:]:
            if lines and lines[0] == head:
                dropped.append(lines.pop(0))
    for lines in pages:
        while lines and not lines[-1]:
            lines.pop()
    return PdfText([_squeeze_blank(p) for p in pages], doc.dropped + dropped)


def read_pdf(
    path: str | Path, *, max_pages: int = MAX_PAGES, max_chars: int = MAX_TEXT_CHARS
) -> PdfText:
    """The PDF at `path` as lines, page by page (see the module's docstring)."""
    return pages_to_lines(extract_pages(path, max_pages=max_pages, max_chars=max_chars))


def pdf_to_text(path: str | Path) -> str:
    """The PDF at `path` as plain text: its pages' lines with a PAGE_BREAK line between pages
    (page numbers and running heads still in: the text pipeline drops them)."""
    return read_pdf(path).text()


_ENDS = re.compile(r"[.;:\]]\)?(?:\d{1,3}/)*$")
_OPENS = re.compile(r"^[\[(\d\"“]|^[^\W\d_]")


def unwrap(lines: list[str]) -> list[str]:
    """Hard-wrapped lines joined into paragraphs, one a line: the first block (the header,
    up to the first blank line) is kept line by line; after it a blank line ends a paragraph,
    and so does a short line ending a sentence followed by a line opening one."""
    try:
        first = lines.index("")
    except ValueError:
        return lines
    width = max((len(ln) for ln in lines), default=0)
    out = lines[:first]
    current: list[str] = []
    for line in lines[first:]:
        if not line:
            if current:
                out.append(_join(current))
                current = []
            if out and out[-1]:
                out.append("")
            continue
        prev = current[-1] if current else ""
        if prev and _ENDS.search(prev) and len(prev) < 0.9 * width and _OPENS.match(line):
            out += [_join(current), ""]
            current = []
        current.append(line)
    if current:
        out.append(_join(current))
    return out


def _join(lines: list[str]) -> str:
    """A paragraph's lines as one: a space between them, none after a line-end hyphen or
    dash (`Transnat-` `ional` is `Transnat-ional`: a kept hyphen joins, never splits)."""
    text = lines[0]
    for line in lines[1:]:
        text += line if text.endswith(("-", "–", "/")) else " " + line
    return text


if __name__ == "__main__":  # the extraction worker
    sys.exit(_worker(sys.argv[1:]))
