"""The header block of an export (organ left; series, symbol, date, `Original:` right), the
document metadata it comes from, and the record line with its document properties."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import FIXTURES, PLAN

from workplan.cli import cli
from workplan.formats.export import render_html, render_markdown, render_text
from workplan.service import Service

DOC = "third-work-plan"
CHS = ["PERMANENT COUNCIL OF THE", "ORGANIZATION OF AMERICAN STATES"]
CHS += ["COMMITTEE ON HEMISPHERIC SECURITY"]


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


@pytest.fixture
def wp(tmp_path: Path):
    db = tmp_path / "x.db"
    runner = CliRunner()

    def run(*args: str, who: str | None = "SECRETARIAT"):
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        return runner.invoke(cli, [*pre, *args], catch_exceptions=False)

    assert run("init", "--from-file", str(PLAN)).exit_code == 0
    return run


def test_init_gives_the_third_plan_its_committee_and_the_header_comes_from_the_document(
    svc: Service,
) -> None:
    doc = svc.export_clean(DOC, include_all=True)
    assert doc.organ == CHS
    assert doc.header[0] == "OEA/Ser.G"
    assert doc.header[-1] == "Original: Spanish"
    assert doc.header[1] == "CP/CSH/GT-TP/doc.1/22"
    # The starting plan wears its own series, and no organ it does not have.
    first = svc.export_clean("first-plan", include_all=True)
    assert first.organ == []
    assert first.header[0] == "TEST/Ser.K/1"
    assert "PERMANENT COUNCIL" not in render_text(first)
    assert render_text(first).startswith("TEST/Ser.K/1\nTEST/doc.1/14 rev. 1\n5 December 2014\n")


def test_organ_and_series_are_metadata_and_a_revision_keeps_them(svc: Service) -> None:
    svc.set_metadata(DOC, metadata={"organ": "GENERAL ASSEMBLY\nFIFTY-FIFTH REGULAR SESSION"})
    svc.revise(DOC)
    svc.set_metadata(DOC, metadata={"organ": "", "series": ""})
    assert svc.draft(DOC).document.organ == []
    assert svc.draft(DOC).document.series == ""
    now = svc.export_clean(DOC, include_all=True)
    assert now.organ == []
    assert not any("Ser." in h for h in now.header)
    frozen = svc.export_clean(DOC, include_all=True, rev=1)
    assert frozen.organ == ["GENERAL ASSEMBLY", "FIFTY-FIFTH REGULAR SESSION"]
    assert frozen.header[0] == "OEA/Ser.G"


def test_meta_sets_organ_lines_series_and_the_record_line(wp) -> None:
    r = wp("meta", "--organ", "PERMANENT COUNCIL OF THE|ORGANIZATION OF AMERICAN STATES")
    assert r.exit_code == 0, r.output
    r = wp("meta", "--organ", "A", "--organ", "B | C", "--series", "OEA/Ser.K/XLIII.1", "--json")
    data = json.loads(r.output)
    assert data["metadata"]["organ"] == "A\nB\nC"
    assert data["metadata"]["series"] == "OEA/Ser.K/XLIII.1"
    text = wp("export", "--format", "txt", "--include", "all").output
    assert text.startswith("A\nB\nC\nOEA/Ser.K/XLIII.1\nCP/CSH/GT-TP/doc.1/22\n")
    assert re.search(r"\nRecord [0-9a-f]{32}\n$", text)
    assert wp("meta", "--record-line", "off").exit_code == 0
    text = wp("export", "--format", "txt", "--include", "all").output
    assert "\nRecord " not in text
    assert "verify" not in text
    assert wp("meta", "--organ", "", "--series", "").exit_code == 0
    assert wp("export", "--format", "txt").output.startswith("CP/CSH/GT-TP/doc.1/22\n")
    assert wp("meta", "--record-line", "on").exit_code == 0
    assert "\nRecord " in wp("export", "--format", "txt").output
    assert wp("verify").exit_code == 0  # every change of metadata is in the record
    assert wp("meta", "--series", "x", who="CAN").exit_code == 77


def test_the_record_line_names_no_command_and_the_properties_hold_the_full_heads(
    svc: Service,
) -> None:
    svc.revise(DOC)
    doc = svc.export_clean(DOC, include_all=True)
    rev1 = svc.revision(DOC, "1").chain_head
    assert doc.closing == f"Record {svc.head()[:32]} (at printing), {rev1[:32]} (rev. 1)"
    assert doc.properties == {"Record chain head": svc.head(), "Record chain head at rev. 1": rev1}
    for text in (render_text(doc), render_markdown(doc), render_html(doc)):
        assert "`" not in text
        assert "workplan" not in text
        assert "verify" not in text
    assert f'<meta name="Record chain head" content="{svc.head()}">' in render_html(doc)
    frozen = svc.export_clean(DOC, rev=1)
    assert frozen.closing == f"Record {rev1[:32]} (rev. 1)"
    assert frozen.properties == {"Record chain head at rev. 1": rev1}
    # Switched off, the line goes; the properties stay.
    svc.set_metadata(DOC, metadata={"record-line": "off"})
    off = svc.export_clean(DOC, include_all=True)
    assert off.closing == ""
    assert off.properties["Record chain head"] == svc.head()
    assert not render_text(off).rstrip().splitlines()[-1].startswith("Record")


def test_redline_title_uses_the_document_title_and_plain_words(svc: Service) -> None:
    svc.revise(DOC)
    title = svc.draft(DOC).document.title
    red = svc.export_redline(DOC, "1", "draft")
    assert red.title == f"{title} (2022–2027) — changes from rev. 1 to the working draft"
    assert DOC not in red.title
    # Only operative and follow-up numbers are printed; refs such as PP1 or OBJ2 never are.
    labels = [s.text for b in red.blocks for s in b.label]
    assert labels
    assert all(re.fullmatch(r"\d+(?: [a-z]+)?\.", x) for x in labels)
    back = svc.export_redline(DOC, "first-plan", "draft")
    assert back.title.endswith(
        "changes from the First Test Plan against Trafficking in Persons to the working draft"
    )


def test_docx_header_is_a_borderless_two_column_table_never_justified(wp, tmp_path: Path) -> None:
    import docx

    wp("agree", "PP1", "OP1", who="CHAIR")
    out = tmp_path / "clean.docx"
    assert wp("export", "--format", "docx", "-o", str(out)).exit_code == 0
    document = docx.Document(str(out))
    (table,) = document.tables
    left, right = table.rows[0].cells
    assert [p.text for p in left.paragraphs] == CHS
    assert [p.text for p in right.paragraphs][:2] == ["OEA/Ser.G", "CP/CSH/GT-TP/doc.1/22"]
    assert right.paragraphs[-1].text == "Original: Spanish"
    xml = _part(out, "word/document.xml")
    tbl = xml[xml.index("<w:tbl>") : xml.index("</w:tbl>")]
    assert 'w:val="both"' not in tbl
    assert '<w:top w:val="nil" />' in tbl
    assert "Record chain head" not in xml
    assert "PERMANENT COUNCIL" not in xml[xml.index("</w:tbl>") :]
    assert document.paragraphs[0].text.startswith("Third Work Plan")  # the title follows
    custom = _part(out, "docProps/custom.xml")
    assert 'name="Record chain head"' in custom
    assert "<dc:title>Third Work Plan" in _part(out, "docProps/core.xml")


def test_odt_header_is_a_table_with_its_own_left_aligned_style(wp, tmp_path: Path) -> None:
    out = tmp_path / "clean.odt"
    assert wp("export", "--format", "odt", "--include", "all", "-o", str(out)).exit_code == 0
    content = _part(out, "content.xml")
    assert content.count('table:name="Masthead"') == 1
    assert 'style:name="WPMastheadLine"' in content
    assert 'fo:text-align="start"' in content
    cells = re.findall(r"<table:table-cell[^>]*>(.*?)</table:table-cell>", content)
    assert re.findall(r">([^<]+)</text:p>", cells[0]) == CHS
    assert re.findall(r">([^<]+)</text:p>", cells[1])[0] == "OEA/Ser.G"
    meta = _part(out, "meta.xml")
    assert 'meta:name="Record chain head"' in meta
    assert "<dc:title>Third Work Plan" in meta


def test_html_header_has_two_columns(svc: Service) -> None:
    page = render_html(svc.export_clean(DOC, include_all=True))
    organ = re.search(r'<div class="organ">(.*?)</div>', page, re.DOTALL)
    series = re.search(r'<div class="series">(.*?)</div>', page, re.DOTALL)
    assert organ
    assert organ[1].splitlines() == CHS
    assert series
    assert series[1].startswith("OEA/Ser.G\n")


def test_an_import_without_title_or_header_says_so_and_invents_nothing(wp) -> None:
    r = wp("import", str(FIXTURES / "oas_sample.txt"), "--id", "sample", "--agreed", "--json")
    report = json.loads(r.output)
    assert any(w.startswith("no title found") for w in report["warnings"])
    assert any("no organ and series" in w for w in report["warnings"])
    data = json.loads(wp("meta", "sample", "--json").output)
    assert data["title"] == ""
    assert "organ" not in data["metadata"]
    text = wp("export", "sample", "--format", "txt").output
    # Adopted by --agreed: dated with its adoption; no organ, no series, no title invented.
    assert re.match(r"\d{1,2} [A-Z][a-z]+ \d{4}\nOriginal: English\n\n", text)
    assert "oas_sample" not in text
    assert "PERMANENT COUNCIL" not in text
    compilation = wp("export", "sample", "--compilation", "--format", "txt").output
    assert "\nCompilation text\n" in compilation
    assert wp("meta", "sample", "--title", "Recommendations").exit_code == 0
    assert "\nRecommendations\n" in wp("export", "sample", "--format", "txt").output


def test_an_import_reads_organ_series_and_language_from_its_header(wp) -> None:
    r = wp("import", str(FIXTURES / "oas_clean.txt"), "--id", "clean", "--json")
    report = json.loads(r.output)
    assert not any("no organ" in w for w in report["warnings"])
    data = json.loads(wp("meta", "clean", "--json").output)
    assert data["metadata"]["organ"] == "\n".join(CHS)
    assert data["metadata"]["series"] == "OEA/Ser.G"
    assert data["original_language"] == "Spanish"


def test_a_word_export_reads_back_with_its_header(wp, tmp_path: Path) -> None:
    out = tmp_path / "third.docx"
    assert wp("export", "--format", "docx", "--include", "all", "-o", str(out)).exit_code == 0
    report = json.loads(wp("import", str(out), "--id", "again", "--json").output)
    assert not any("no organ" in w or "no title" in w for w in report["warnings"])
    data = json.loads(wp("meta", "again", "--json").output)
    assert data["metadata"]["organ"] == "\n".join(CHS)
    assert data["metadata"]["series"] == "OEA/Ser.G"
    assert data["title"].startswith("Third Work Plan")
    shown = wp("show", "again").output
    assert "PERMANENT COUNCIL" not in shown
    assert "Record " not in shown


def test_the_printed_record_line_anchors_the_chain(wp) -> None:
    """The head a circulated text prints is long enough for `verify --expect-head`."""
    text = wp("export", "--format", "txt").output
    found = re.search(r"\nRecord ([0-9a-f]{32})\n$", text)
    assert found
    assert wp("verify", "--expect-head", found.group(1)).exit_code == 0


def test_meta_says_whether_exports_carry_the_record_line(wp) -> None:
    assert json.loads(wp("meta", "--json").output)["record_line"] is True
    assert "record line on exports: off" in wp("meta", "--record-line", "off").output
    assert json.loads(wp("meta", "--json").output)["record_line"] is False
