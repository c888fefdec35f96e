"""PDF import: the stages of formats/pdf_in.py, its limits, and a real PDF printed by
LibreOffice from a Word file of our own exporter, imported and compared (`diff --files`).

The LibreOffice test fails with one line when LibreOffice is missing (`make test` installs it).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.conftest import PLAN

from workplan.cli import cli
from workplan.errors import InputError
from workplan.formats import pdf_in
from workplan.service.imports import detect_format

LONG = (
    "Strengthen interinstitutional cooperation among the competent national authorities, "
    "including prosecutors, labour inspectors and consular officials, so that every "
    "identification procedure is followed by comprehensive protection, and report "
    "regularly on the interinstitutional mechanisms created for that purpose."
)
PRY = "Paraguay joins the consensus on the understanding that its domestic law prevails."


# --- the stages ---------------------------------------------------------------------------------


def test_two_columns_side_by_side_become_the_left_column_then_the_right() -> None:
    lines = [
        "PERMANENT COUNCIL OF THE                      OEA/Ser.G",
        "ORGANIZATION OF AMERICAN STATES               CP/CSH-2001/22 rev. 3",
        "                                              5 December 2026",
        "",
        "RECALLING  the  work   done;",
    ]
    assert pdf_in.split_columns(lines) == [
        "PERMANENT COUNCIL OF THE",
        "ORGANIZATION OF AMERICAN STATES",
        "OEA/Ser.G",
        "CP/CSH-2001/22 rev. 3",
        "5 December 2026",
        "",
        "RECALLING  the  work   done;",
    ]


def test_a_line_end_hyphen_is_joined_only_when_the_word_is_known() -> None:
    lines = ["the interinstitu-", "tional mechanism and the", "Transnat-", "ional crime;"]
    out = pdf_in.dehyphenate(lines, {"interinstitutional"})
    assert out == ["the interinstitutional", "mechanism and the", "Transnat-", "ional crime;"]
    # known from the text itself: the word occurs whole elsewhere
    text = ["a follow-", "up meeting on the Trans-", "national crime;", "transnational"]
    assert pdf_in.dehyphenate(text) == [
        "a follow-",
        "up meeting on the Transnational",
        "crime;",
        "transnational",
    ]


def test_page_numbers_and_running_heads_are_dropped_and_listed() -> None:
    doc = pdf_in.PdfText(
        [
            ["CP/CSH-2001/22", "RECALLING the work;", "", "- 1 -"],
            ["CP/CSH-2001/22 rev. 3", "1. Adopt plans.", "-2-"],
            ["CP/CSH-2001/22 rev. 3", "2. Train officials.", "Page 3 of 3"],
        ]
    )
    out = pdf_in.drop_page_furniture(doc)
    assert out.pages == [
        ["CP/CSH-2001/22", "RECALLING the work;"],
        ["1. Adopt plans."],
        ["2. Train officials."],
    ]
    head = "CP/CSH-2001/22 rev. 3"
    assert out.dropped == ["- 1 -", "-2-", "Page 3 of 3", head, head]
    assert "\f" in pdf_in.PdfText([["a"], ["b"]]).text()


def test_hard_wrapped_blocks_are_joined_and_the_header_kept_line_by_line() -> None:
    lines = [
        "OEA/Ser.G",
        "CP/CSH-2001/22",
        "",
        "RECALLING the work done by the member states in the",
        "Transnat-",
        "ional field;",
        "",
        "1. Adopt plans.",
        "2. Train officials in the field of",
        "border control.",
    ]
    assert pdf_in.unwrap(lines) == [
        "OEA/Ser.G",
        "CP/CSH-2001/22",
        "",
        "RECALLING the work done by the member states in the Transnat-ional field;",
        "",
        "1. Adopt plans.",
        "",
        "2. Train officials in the field of border control.",
    ]


# --- the limits ---------------------------------------------------------------------------------


def _blank_pdf(path: Path, pages: int = 1, password: str | None = None) -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    if password:
        writer.encrypt(password)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def test_an_encrypted_pdf_is_refused_in_one_line(tmp_path: Path) -> None:
    pdf = _blank_pdf(tmp_path / "locked.pdf", password="secret")
    with pytest.raises(InputError, match="encrypted") as err:
        pdf_in.read_pdf(pdf)
    assert "\n" not in str(err.value)


def test_too_many_pages_too_large_or_not_a_pdf_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = _blank_pdf(tmp_path / "three.pdf", pages=3)
    with pytest.raises(InputError, match="3 pages \\(at most 2\\)"):
        pdf_in.read_pdf(pdf, max_pages=2)
    monkeypatch.setattr(pdf_in, "MAX_PDF_BYTES", 100)
    with pytest.raises(InputError, match="larger than"):
        pdf_in.read_pdf(pdf)
    monkeypatch.undo()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(InputError, match="not accepted as a PDF"):
        pdf_in.read_pdf(bad)
    (tmp_path / "text.pdf").write_text("not a pdf", encoding="utf-8")
    with pytest.raises(InputError, match="%PDF-"):
        pdf_in.read_pdf(tmp_path / "text.pdf")


def _spread_pdf(path: Path, lines: int, width: int) -> Path:
    """A small PDF (its one page's contents deflated) whose layout-mode text is huge: on each
    of `lines` lines one letter at the left edge and one `width` points to the right, which
    layout mode fills with spaces."""
    import zlib

    content = b"\n".join(
        b"BT /F1 12 Tf 0 %d Td (A) Tj ET BT /F1 12 Tf %d %d Td (B) Tj ET" % (12 * i, width, 12 * i)
        for i in range(lines)
    )
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Resources << /Font << /F1 3 0 R"
        b" >> >> /Contents 5 0 R >>" % (width + 100, 12 * lines + 100),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def test_a_small_pdf_whose_text_inflates_is_refused_in_one_line(tmp_path: Path) -> None:
    # 4,000 lines spread 50,000 points wide: a file of about 25 KB whose layout-mode text is
    # about 31 million characters; read whole it would cost the importing process gigabytes
    # and minutes past the reader's own limits (the child's memory cap bounds only the child).
    pdf = _spread_pdf(tmp_path / "spread.pdf", 4000, 50_000)
    assert pdf.stat().st_size < 100_000
    with pytest.raises(InputError, match="characters once extracted") as err:
        pdf_in.read_pdf(pdf)
    assert "\n" not in str(err.value)
    # a small limit refuses a small text the same way
    small = _spread_pdf(tmp_path / "small.pdf", 10, 1000)
    assert pdf_in.read_pdf(small).pages
    with pytest.raises(InputError, match="over 100 characters"):
        pdf_in.read_pdf(small, max_chars=100)


def test_the_cli_refuses_an_encrypted_pdf_with_exit_65(tmp_path: Path) -> None:
    pdf = _blank_pdf(tmp_path / "locked.pdf", password="secret")
    r = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "x.db"), "--as", "SECRETARIAT", "import", str(pdf)]
    )
    assert r.exit_code == 65
    assert "encrypted" in r.output
    assert len(r.output.strip().splitlines()) == 1


# --- a real PDF, and diff --files over every format ---------------------------------------------


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Our exports of the small plan (.docx, .txt), the same after an accepted amendment
    (a long paragraph inserted), and a PDF LibreOffice prints from the second .docx."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(
            "the PDF import test needs LibreOffice: sudo apt-get install libreoffice-writer-nogui",
            False,
        )
    tmp = tmp_path_factory.mktemp("pdf")
    db = tmp / "wg.db"
    runner = CliRunner()

    def run(*args: str, who: str = "SECRETARIAT") -> Result:
        r = runner.invoke(cli, ["--db", str(db), "--as", who, *args], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r

    run("init", "--from-file", str(PLAN))
    run("reserve", "OP2", "--text", PRY, who="PRY")
    out: dict[str, Path] = {}
    for fmt in ("docx", "txt"):
        out[f"old.{fmt}"] = tmp / f"old.{fmt}"
        run("export", "--include", "all", "--format", fmt, "-o", str(out[f"old.{fmt}"]))
    run("amend", "--insert-after", "OP3", "--text", LONG, who="CAN")
    run("decide", "A1", "accept", who="CHAIR")
    for fmt in ("docx", "txt"):
        out[f"new.{fmt}"] = tmp / f"new.{fmt}"
        run("export", "--include", "all", "--format", fmt, "-o", str(out[f"new.{fmt}"]))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            str(out["new.docx"]),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    out["new.pdf"] = tmp / "new.pdf"
    return out


def _diff(a: Path, b: Path) -> dict:
    r = CliRunner().invoke(cli, ["diff", "--files", str(a), str(b), "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


@pytest.mark.slow  # LibreOffice prints the PDF
def test_the_pdf_is_detected_and_read_page_by_page(files: dict[str, Path]) -> None:
    assert detect_format(files["new.pdf"]) == "pdf"
    doc = pdf_in.read_pdf(files["new.pdf"])
    first = doc.pages[0]
    # the header table's two columns come out one after the other, never on one line
    assert "COMMITTEE ON HEMISPHERIC SECURITY" in first
    assert not any("OEA/Ser.G" in ln and "COMMITTEE" in ln for ln in first)
    # the footnote stays at the foot of its page, the page number last
    text = "\n".join(ln for page in doc.pages for ln in page)
    assert PRY in text.replace("\n", " ")
    assert any(pdf_in.PAGE_NUMBER.match(page[-1]) for page in doc.pages)


def test_a_pdf_imports_with_its_header_reservation_and_every_paragraph(
    files: dict[str, Path], tmp_path: Path
) -> None:
    r = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "in.db"),
            "--as",
            "SECRETARIAT",
            "import",
            str(files["new.pdf"]),
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    assert report["format"] == "pdf"
    assert [x["delegation"] for x in report["reservations"]] == ["PRY"]
    pdf_dropped = [d["text"] for d in report["dropped"] if d["why"] == "page number"]
    assert pdf_dropped
    assert all(pdf_in.PAGE_NUMBER.match(d) for d in pdf_dropped)


@pytest.mark.slow  # LibreOffice prints the PDF
def test_diff_files_takes_docx_text_and_pdf(files: dict[str, Path]) -> None:
    two_docx = _diff(files["old.docx"], files["new.docx"])
    assert two_docx["summary"]["inserted"] == 1
    inserted = next(p for p in two_docx["paragraphs"] if p["status"] == "inserted")
    assert "interinstitutional" in json.dumps(inserted)
    two_txt = _diff(files["old.txt"], files["new.txt"])
    assert two_txt["summary"]["inserted"] == 1
    same = _diff(files["new.docx"], files["new.txt"])
    assert same["summary"]["inserted"] == same["summary"]["deleted"] == 0
    pdf = _diff(files["new.docx"], files["new.pdf"])
    assert pdf["summary"]["inserted"] == pdf["summary"]["deleted"] == 0
    assert pdf["summary"]["modified"] == 0, pdf
