"""Measure PDF text extraction libraries on an OAS-style PDF: which one `workplan import` uses.

    .venv/bin/python benchmarks/bench_pdf.py [--runs 3] [--keep DIR]

Builds the PDF the way delegates receive them: `workplan init`, two reservations, the Third
Work Plan exported as Word (a two-column header table, footnotes at the page feet, page
numbers), its long paragraphs then justified and given soft hyphens in long words so that
LibreOffice breaks lines inside words with a printed hyphen, printed to PDF by LibreOffice
(`soffice --headless --convert-to pdf`). Each candidate then extracts the text, page by page:

- words_lost: words of the document (read from the .docx itself) not found in the extraction,
  after joining line-end hyphens whose joined word is a word of the document;
- merged: extracted tokens that are two words of the document glued together;
- order: the share of the body's words in reading order (longest common subsequence);
- header_cols: the header's left and right columns never share a line (1) or do (0; our
  reader then splits them: `pdf_in.split_columns`);
- notes_at_foot: each footnote's words come after the body text of its page (share);
- hyphens: line-end hyphen breaks seen (each must be joinable, or the words are lost);
- paragraph_gaps: paragraphs (of 8 words or more) opening after a blank line, the cue that
  ends a hard-wrapped paragraph;
- ms: median wall time of the extraction.

Prints one JSON row a library. pdftotext (poppler, not a Python library) is shown as a
reference only. pdfminer.six and pypdfium2 are measured when installed (`.venv/bin/pip install
pdfminer.six pypdfium2`); only pypdf is a dependency of workplan.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

BIN = Path(sys.executable).parent
WORKPLAN = str(BIN / "workplan")
SOFT = "\u00ad"
LEFT = "COMMITTEE ON HEMISPHERIC SECURITY"
LEFT_TOP = "PERMANENT COUNCIL OF THE"
RIGHT = "OEA/Ser.G"
JAM = (
    "The Government of Jamaica joins the consensus on the understanding that nothing in this "
    "work plan obliges it to act beyond its Constitution and its domestic legislation, and it "
    "reserves its position on the paragraphs concerned."
)
PRY = "Paraguay joins the consensus on the understanding that its domestic law prevails."


def _run(*args: str, env: dict[str, str]) -> None:
    subprocess.run([WORKPLAN, *args], check=True, capture_output=True, env=env)


def _soft_hyphens(word: str) -> str:
    """A long word with soft hyphens every four letters (LibreOffice breaks there)."""
    if len(word) < 9 or not word.isalpha():
        return word
    return SOFT.join(word[i : i + 4] for i in range(0, len(word), 4))


def _justify_and_hyphenate(docx: Path, out: Path) -> None:
    """Copy `docx` with every paragraph justified and soft hyphens in its long words."""
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                xml = re.sub(
                    r"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)",
                    lambda m: (
                        m.group(1)
                        + re.sub(r"[A-Za-z]+", lambda w: _soft_hyphens(w.group(0)), m.group(2))
                        + m.group(3)
                    ),
                    xml,
                )
                xml = re.sub(r"<w:pPr>(<w:pStyle [^>]*/>)?", r"<w:pPr>\1<w:jc w:val='both'/>", xml)
                data = xml.encode("utf-8")
            dst.writestr(info, data)


def make_pdf(folder: Path) -> tuple[Path, Path]:
    """The sample .docx (as exported) and the PDF LibreOffice prints from its justified,
    hyphenated copy."""
    env = {**os.environ, "WORKPLAN_DB": str(folder / "wg.db")}
    _run("init", env=env)
    _run("--as", "JAM", "reserve", "PP2", "OP8", "--text", JAM, env=env)
    _run("--as", "PRY", "reserve", "OP3", "--text", PRY, env=env)
    docx = folder / "plan.docx"
    _run("export", "--include", "all", "--format", "docx", "-o", str(docx), "--force", env=env)
    hyph = folder / "plan-hyphenated.docx"
    _justify_and_hyphenate(docx, hyph)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit("bench_pdf needs LibreOffice: sudo apt-get install libreoffice-writer-nogui")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(hyph),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return docx, folder / "plan-hyphenated.pdf"


# --- the candidates: each returns the text of every page --------------------------------------


def with_pypdf(pdf: Path) -> list[str]:
    """pypdf's default (plain) extraction."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(pdf).pages]


def with_pypdf_layout(pdf: Path) -> list[str]:
    """pypdf's layout mode (keeps columns apart by position)."""
    from pypdf import PdfReader

    return [page.extract_text(extraction_mode="layout") for page in PdfReader(pdf).pages]


def with_pdfminer(pdf: Path) -> list[str]:
    """pdfminer.six's layout analysis (text boxes in reading order), default parameters."""
    from pdfminer.high_level import extract_text

    return extract_text(str(pdf)).split("\f")[:-1]


def with_pdfium(pdf: Path) -> list[str]:
    """pypdfium2 (Google's PDFium): the text page in content order."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        # PDFium marks a line-end hyphen break U+FFFE with no line break: give it both
        pages = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
        return [page.replace("\ufffe", "-\n") for page in pages]
    finally:
        doc.close()


def with_pdftotext(pdf: Path) -> list[str]:
    """poppler's pdftotext (reference: a system program, not a Python library)."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True)
    return out.stdout.decode("utf-8").split("\f")[:-1]


CANDIDATES: dict[str, Callable[[Path], list[str]]] = {
    "pypdf": with_pypdf,
    "pypdf (layout)": with_pypdf_layout,
    "pdfminer.six": with_pdfminer,
    "pypdfium2": with_pdfium,
    "pdftotext (reference)": with_pdftotext,
}

# --- measuring ----------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*", re.UNICODE)


def words(text: str) -> list[str]:
    """The words of a text (letters, with inner hyphens and apostrophes), lower case."""
    return [w.lower() for w in _WORD.findall(text.replace(SOFT, ""))]


def dehyphenate(text: str, known: set[str]) -> tuple[str, int]:
    """Join `frag-\\nment` when `fragment` is known; return the text and the breaks seen."""
    seen = 0

    def join(m: re.Match[str]) -> str:
        nonlocal seen
        seen += 1
        whole = m.group(1) + m.group(2)
        return whole if whole.lower() in known else m.group(0)

    text = text.replace("\r\n", "\n").replace("\u2010", "-").replace("\x02", "-\n")
    return re.sub(r"([^\W\d_]+)[-\u00ad]\s*\n\s*([^\W\d_]+)", join, text), seen


def paragraph_gaps(pages: list[str], starts: list[str]) -> str:
    """How many of the document's paragraphs open after a blank line (or a page's top) in
    the extraction: the cue that tells where a hard-wrapped paragraph ends."""
    found = 0
    for page in pages:
        lines = [" ".join(words(ln)) for ln in page.replace("\r\n", "\n").split("\n")]
        for k, line in enumerate(lines):
            if line and (k == 0 or not lines[k - 1]) and any(line.startswith(s) for s in starts):
                found += 1
    return f"{min(found, len(starts))}/{len(starts)}"


def measure(
    name: str, pages: list[str], body: list[str], notes: list[str], starts: list[str]
) -> dict[str, object]:
    """The figures of one extraction against the document's words (its body's, then its
    notes'); order is the body's order (notes at page feet interrupt it by design)."""
    expected = body + [w for n in notes for w in words(n)]
    known = set(expected)
    joined, breaks = dehyphenate("\n".join(pages), known)
    got = words(joined)
    missing = Counter(expected) - Counter(got)
    pairs = {a + b for a, b in itertools.pairwise(expected)}
    merged = [w for w in got if w not in known and w in pairs]
    matcher = difflib.SequenceMatcher(None, body, got, autojunk=False)
    in_order = sum(b.size for b in matcher.get_matching_blocks())
    header_cols = int(
        not any(
            (LEFT.lower() in ln.lower() or LEFT_TOP.lower() in ln.lower()) and RIGHT in ln
            for ln in joined.splitlines()
        )
    )
    at_foot = 0
    for note in notes:
        first = " ".join(words(note)[:4])
        for page in pages:
            flat = " ".join(words(dehyphenate(page, known)[0]))
            if first in flat:
                tail = flat[flat.index(first) :]
                # nothing after the note but other notes and the page number
                at_foot += int(all(w in " ".join(words(" ".join(notes))) for w in tail.split()))
                break
    return {
        "library": name,
        "pages": len(pages),
        "words": len(expected),
        "words_lost": sum(missing.values()),
        "lost_sample": sorted(missing)[:6],
        "merged": len(merged),
        "order": round(in_order / len(body), 4),
        "header_cols": header_cols,
        "notes_at_foot": f"{at_foot}/{len(notes)}",
        "hyphens": breaks,
        "paragraph_gaps": paragraph_gaps(pages, starts),
    }


def expected_text(docx: Path) -> tuple[list[str], list[str], list[str]]:
    """The document's words in reading order (body, then each note), its notes' texts and
    the first three words of each body paragraph, read from the .docx by pandoc."""
    import pypandoc

    plain = pypandoc.convert_file(str(docx), "plain", extra_args=["--wrap=none"])
    body, _, foot = plain.partition("\n[1] ")
    notes = re.split(r"\n\[\d+\] ", "\n[1] " + foot)[1:]
    body = re.sub(r"\[\d+\]", " ", body)
    starts = [" ".join(words(b)[:3]) for b in body.split("\n\n") if len(words(b)) >= 8]
    return words(body), [" ".join(n.split()) for n in notes], starts


def main() -> None:
    """Build the PDF, run every candidate `--runs` times, print one JSON row each."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="Build the PDF in DIR and keep it.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        docx, pdf = make_pdf(folder)
        body, notes, starts = expected_text(docx)
        rows = []
        for name, extract in CANDIDATES.items():
            if name.startswith("pdftotext") and shutil.which("pdftotext") is None:
                continue
            times, pages = [], []
            try:
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    pages = extract(pdf)
                    times.append((time.perf_counter() - t0) * 1000)
            except ImportError as exc:  # pdfminer.six and pypdfium2 are not our dependencies
                rows.append({"library": name, "error": f"not installed: pip install {exc.name}"})
                continue
            row = measure(name, pages, body, notes, starts)
            row["ms"] = round(statistics.median(times), 1)
            rows.append(row)
        print(json.dumps(rows, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
