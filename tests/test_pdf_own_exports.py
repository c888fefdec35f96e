"""Our own clean exports (.docx and .odt), printed to PDF by LibreOffice, import back with the
record's own structure: the title, every paragraph with its kind and number, every footnote
call on its paragraph (runs `3/4/5/`, notes printed at the foot of a later page, `Idem N`
naming a note of an earlier page), each reservation with its delegation, the note on the
title as a note of the document, the record line dropped, and no word lost.

The record is the shipped Third Work Plan (seven printed pages) with a note on the title, a
note on two paragraphs, and reservations by five delegations, several on one paragraph,
reused (`Idem`), one of two paragraphs, a long one, and one on the last paragraph.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from workplan.cli import cli

DOC = "third-work-plan"
LONG = (
    "Mexico understands that this paragraph does not create new obligations for the member "
    "states and that its implementation will depend on the resources available to each of "
    "them, in accordance with their domestic law and their international commitments. Mexico "
    "further recalls that the measures referred to in this paragraph must be carried out with "
    "full respect for the sovereignty of each State and for the human rights of every person, "
    "whatever their migratory status."
)
STEPS: list[tuple[str, list[str]]] = [
    ("SECRETARIAT", ["note", "add", "title", "--text", "This work plan was adopted by the "
                     "Permanent Council at its regular meeting."]),
    ("SECRETARIAT", ["note", "add", "OP10", "OP30", "--text", "The General Secretariat will "
                     "report on this paragraph in its annual report."]),
    ("JAM", ["reserve", "OP1", "OP5", "--text", "Jamaica reserves its position on these "
             "paragraphs pending national consultations."]),
    ("MEX", ["reserve", "OP3", "--text", LONG]),
    ("JAM", ["reserve", "OP9", "--reuse", "R1"]),
    ("CAN", ["reserve", "PP2", "OP7", "OP1", "--text", "Canada joins the consensus on the "
             "understanding that national law prevails.\n\nCanada also recalls its statement "
             "at the meeting of 12 March."]),
    ("MEX", ["reserve", "OP12", "OP1", "OP57", "--reuse", "R2"]),
    ("PRY", ["reserve", "OP16", "OP31", "--text", "Paraguay joins the consensus."]),
    ("BRA", ["reserve", "FU4", "--text", "Brazil reserves its position on this paragraph."]),
    ("CHAIR", ["agree", "PP1", "OP2", "OP4"]),
]  # fmt: skip


def _run(db: Path, who: str, *args: str) -> str:
    r = CliRunner().invoke(cli, ["--db", str(db), "--as", who, *args], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return r.output


def _json(db: Path, *args: str) -> Any:
    return json.loads(_run(db, "SECRETARIAT", *args, "--json"))


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The record, its clean exports (.docx, .odt, and the draft format) and the two PDFs
    LibreOffice prints from the .docx and the .odt."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail(
            "the PDF test needs LibreOffice: sudo apt-get install libreoffice-writer-nogui", False
        )
    tmp = tmp_path_factory.mktemp("own")
    db = tmp / "wg.db"
    _run(db, "SECRETARIAT", "init")
    for who, args in STEPS:
        _run(db, who, *args)
    files = {"db": db, "md": tmp / "exported.md"}
    _run(db, "SECRETARIAT", "export", "-o", str(files["md"]))
    for fmt in ("docx", "odt"):
        files[fmt] = tmp / f"clean-{fmt}.{fmt}"
        out = str(files[fmt])
        _run(db, "SECRETARIAT", "export", "--include", "all", "--format", fmt, "-o", out)
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
            str(files["docx"]),
            str(files["odt"]),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for fmt in ("docx", "odt"):
        files[f"{fmt}.pdf"] = tmp / f"clean-{fmt}.pdf"
    return files


def _structure(db: Path, doc: str) -> dict[str, Any]:
    """What the record says of a document: its paragraphs in order (ref, kind, text), its
    reservations (delegation, text, paragraphs) and notes (id, text, where called)."""
    shown = _json(db, "show", doc)
    ref = {p["uid"]: p["ref"] for p in shown["paragraphs"]}
    return {
        "paragraphs": [(p["ref"], p["kind"], p["text"]) for p in shown["paragraphs"]],
        "reservations": sorted(
            (r["delegation"], r["text"], sorted(ref[u] for u in r["paragraphs"]))
            for r in _json(db, "reservations", "--doc", doc)
        ),
        "notes": [(n["id"], n["text"], n["called_from"]) for n in _json(db, "notes", doc)],
    }


@pytest.mark.slow  # LibreOffice prints the PDFs
@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_our_export_printed_to_pdf_imports_back_as_the_record(
    printed: dict[str, Path], fmt: str, tmp_path: Path
) -> None:
    db = tmp_path / "in.db"
    pdf = printed[f"{fmt}.pdf"]
    report = _json(db, "import", str(pdf), "--id", "rt")
    assert report["format"] == "pdf"
    assert report["missing"] == []
    # the imported document is the record's: paragraphs, reservations and notes
    assert _structure(db, "rt") == _structure(printed["db"], DOC)
    # the title joined where it wrapped after its dash, as the record prints it
    record = _json(printed["db"], "show", DOC)["document"]
    title = f"{record['title']} ({record['period_start']}–{record['period_end']})"
    assert _json(db, "show", "rt")["document"]["title"] == title
    # every footnote call read: the reservations' (one a paragraph), the title's, OP10's, OP30's
    calls = sum(len(r[2]) for r in _structure(printed["db"], DOC)["reservations"])
    assert report["footnotes"] == calls + 3
    assert [n["id"] for n in report["notes"] if n["on_title"]] == ["N1"]
    for warning in report["warnings"]:
        assert "kept as text" not in warning
        assert "not printed 1, 2, 3" not in warning
        assert "not consecutive" not in warning
    whys = {d["why"] for d in report["dropped"]}
    assert whys == {"page number", "the record line of an export"}
    assert sum(d["why"] == "page number" for d in report["dropped"]) >= 5


@pytest.mark.slow  # LibreOffice prints the PDFs
@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_diff_files_finds_no_difference_between_the_export_and_its_print(
    printed: dict[str, Path], fmt: str
) -> None:
    r = CliRunner().invoke(
        cli, ["diff", "--files", str(printed["md"]), str(printed[f"{fmt}.pdf"]), "--json"]
    )
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output)["summary"]
    assert summary["inserted"] == summary["deleted"] == summary["modified"] == 0, summary
