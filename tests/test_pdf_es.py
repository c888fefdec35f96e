"""A Spanish resolution of our own (tests/fixtures/text_in/es_resolucion.fodt, with real
footnotes at the page foot and page numbers in the footer) printed to PDF by LibreOffice in the
test, imported with every word kept, and compared with `diff --files` to its other forms."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.test_rendering import _to_pdf

from workplan.cli import cli
from workplan.formats.oas_text import write_oas_text
from workplan.formats.text_in import parse_text

OWN = Path(__file__).parent / "fixtures" / "text_in"


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The resolution as a PDF (LibreOffice), and as our text, Word and draft-format (`.md`,
    lossless) exports of it once imported."""
    tmp = tmp_path_factory.mktemp("es")
    _to_pdf([OWN / "es_resolucion.fodt"], tmp)
    out = {"pdf": tmp / "es_resolucion.pdf"}
    db = tmp / "x.db"
    for fmt, ext in (("txt", "txt"), ("docx", "docx"), ("md", "md")):
        if fmt == "txt":
            r = CliRunner().invoke(
                cli,
                ["--db", str(db), "--as", "SECRETARIAT", "import", str(out["pdf"]), "--id", "es"],
            )
            assert r.exit_code == 0, r.output
        out["draft" if fmt == "md" else fmt] = tmp / f"es.{ext}"
        r = CliRunner().invoke(
            cli,
            ["--db", str(db), "--as", "SECRETARIAT", "export", "es", "-o", str(tmp / f"es.{ext}")]
            + ([] if fmt == "md" else ["--include", "all", "--format", fmt]),
        )
        assert r.exit_code == 0, r.output
    return out


def test_the_spanish_pdf_imports_with_its_structure_and_every_word(
    forms: dict[str, Path], tmp_path: Path
) -> None:
    r = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "x.db"),
            "--as",
            "SECRETARIAT",
            "import",
            str(forms["pdf"]),
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    assert report["format"] == "pdf"
    assert report["missing"] == []
    assert report["paragraphs"] == {"other": 2, "preambular": 3, "operative": 6}
    assert report["header"]["symbol"] == "CP/CSH-2077/26 rev. 2"
    assert report["header"]["original_language"] == "Spanish"
    assert report["header"]["presented"] == "Presentado por la Delegación de Costa Rica"
    assert report["revision"] == 2
    assert report["structure"]["printed_numbers"] == ["1", "2", "2 bis", "3", "4", "5"]
    assert [x["delegation"] for x in report["reservations"]] == ["NIC"]
    assert [x["paragraphs"] for x in report["reservations"]] == [["PP1"]]
    # The Secretariat's footnote names no delegation: a note of the document, on OP2.
    assert [(n["id"], n["paragraphs"]) for n in report["notes"]] == [("N1", ["OP2"])]
    assert [d["why"] for d in report["dropped"]] == ["page number", "page number"]


@pytest.mark.parametrize(
    ("a", "b"),
    [("pdf", "txt"), ("pdf", "docx"), ("txt", "docx"), ("docx", "draft"), ("pdf", "draft")],
)
def test_diff_files_compares_any_two_forms(forms: dict[str, Path], a: str, b: str) -> None:
    r = CliRunner().invoke(cli, ["diff", "--files", str(forms[a]), str(forms[b]), "--json"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output)["summary"]
    assert summary["inserted"] == summary["deleted"] == summary["modified"] == 0, summary


#: Fixtures without notes: a page break inside a note written under its paragraph (`1. text`)
#: is not yet read back the same (left open, see the branch's report).
_FIXTURES = ["options_en.txt", "sections_es.txt"]


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    name=st.sampled_from(_FIXTURES),
    width=st.integers(min_value=50, max_value=110),
    every=st.integers(min_value=6, max_value=30),
)
def test_an_imported_text_rewrapped_and_paged_reads_the_same(
    name: str, width: int, every: int
) -> None:
    """Any fixture once imported, written as text (one paragraph a line), its paragraphs
    (not their indented option and item lines) wrapped at a random width and page numbers
    inserted: the same paragraphs, notes and words."""
    base = parse_text((OWN / name).read_text(encoding="utf-8"), name)
    lines: list[str] = []
    for line in write_oas_text(base.doc).split("\n"):
        # a paragraph's own lines (options, items: written indented) stay a line each
        lines += [line] if line[:1] == "\t" else textwrap.wrap(line, width) or [""]
    paged: list[str] = []
    for i, line in enumerate(lines, start=1):
        paged.append(line)
        if i % every == 0 and not line.strip():
            paged += [f"- {i // every + 1} -", ""]
    flat = parse_text(write_oas_text(base.doc), name)
    again = parse_text("\n".join(paged), name)
    assert [(p.role, p.text) for p in again.doc.paragraphs] == [
        (p.role, p.text) for p in flat.doc.paragraphs
    ]
    assert [r.text for r in again.doc.reservations] == [r.text for r in flat.doc.reservations]
    assert again.missing == []
