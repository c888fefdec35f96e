"""A frozen revision reprints exactly (`export --rev N`); a working draft never wears a
revision's symbol, and an adopted text is dated with its adoption."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import PLAN

from workplan.cli import cli
from workplan.formats.export import (
    ExportDoc,
    render_binary,
    render_html,
    render_json,
    render_markdown,
    render_text,
)
from workplan.formats.oas_text import parse_oas_text
from workplan.service import Service

DOC = "third-work-plan"
JAM = "The Government of Jamaica joins the consensus on the understanding of its Constitution."
PRY = "Paraguay joins the consensus on the understanding that its domestic law prevails."


def _printed(doc: ExportDoc) -> dict[str, bytes]:
    """The export in every format, as bytes."""
    return {
        "txt": render_text(doc).encode(),
        "markdown": render_markdown(doc).encode(),
        "html": render_html(doc).encode(),
        "json": json.dumps(render_json(doc), ensure_ascii=False).encode(),
        "docx": render_binary(doc, "docx"),
        "odt": render_binary(doc, "odt"),
    }


def _rev1(svc: Service, as_) -> None:
    """Rev. 1: PP1, OP1, OP3 agreed, reservations on them, an open amendment on OP2, an
    objection on OP4, then frozen."""
    as_("CHAIR").agree(DOC, ["PP1", "OP1", "OP3"])
    as_("JAM").reserve(DOC, ["PP1", "OP1"], text=JAM)
    as_("CAN").propose(DOC, "OP2", "modify", text="Train border and labour officials.")
    as_("USA").record_position(DOC, "OP4", "object")
    svc.revise(DOC)


def _later(svc: Service, as_, clock) -> None:
    """Everything a working group does after rev. 1: amend, accept, reserve, edit a
    reservation, object, change the symbol, revise again; days later."""
    clock.advance(days=3)
    as_("CHAIR").decide(DOC, "A1", "accept")
    as_("BRA").propose(DOC, "OP1", "insert", text="A new paragraph after the first.")
    as_("PRY").reserve(DOC, ["OP1", "OP3"], text=PRY)
    as_("JAM").edit_reservation(DOC, "R1", text="Jamaica rewrote its reservation.")
    as_("USA").record_position(DOC, "OP4", "none")
    svc.set_metadata(DOC, symbol="CP/CSH-2001/99", title="A Renamed Plan")
    clock.advance(days=2)
    svc.revise(DOC)
    clock.advance(hours=5)


def test_reprint_of_a_revision_is_byte_identical_after_later_changes(
    svc: Service, as_, clock
) -> None:
    _rev1(svc, as_)
    before = {
        "clean": _printed(svc.export_clean(DOC, rev=1)),
        "all": _printed(svc.export_clean(DOC, include_all=True, rev=1)),
        "compilation": _printed(svc.export_compilation(DOC, rev="rev. 1")),
    }
    _later(svc, as_, clock)
    after = {
        "clean": _printed(svc.export_clean(DOC, rev=1)),
        "all": _printed(svc.export_clean(DOC, include_all=True, rev=1)),
        "compilation": _printed(svc.export_compilation(DOC, rev="rev. 1")),
    }
    for kind, formats in before.items():
        for fmt, data in formats.items():
            assert after[kind][fmt] == data, (kind, fmt)
    # Word and OpenDocument files are dated with the freeze, inside and in every zip entry.
    for fmt, part in (("docx", "docProps/core.xml"), ("odt", "meta.xml")):
        with zipfile.ZipFile(io.BytesIO(after["clean"][fmt])) as z:
            assert {i.date_time for i in z.infolist()} == {(2026, 3, 2, 14, 0, 0)}
            assert "2026-03-02T14:00:00Z" in z.read(part).decode()
    # ... and they are rev. 1, not the working draft.
    assert after["clean"]["txt"] != render_text(svc.export_clean(DOC)).encode()


def test_a_revision_reprint_holds_what_was_frozen(svc: Service, as_, clock) -> None:
    _rev1(svc, as_)
    frozen_head = svc.revisions(DOC)[0].chain_head
    _later(svc, as_, clock)
    text = render_text(svc.export_compilation(DOC, rev=1))
    lines = text.splitlines()
    # Headed with the revision's symbol and its freeze date, the document as frozen.
    assert "CP/CSH/GT-TP/doc.1/22 rev. 1" in lines
    assert "2 March 2026" in lines
    assert "A Renamed Plan" not in text
    assert not any(line.startswith("Working draft") for line in lines)
    # The amendment open at rev. 1 (accepted since), the objection, the reservation as written.
    assert (
        "[A1 Alt 1 (Canada): Train border [-officials to recognise the signs of trafficking-]"
        "{+and labour officials+}.]"
    ) in text
    assert "Objecting: United States" in text
    assert JAM in text
    assert "rewrote" not in text
    assert PRY not in text
    assert "A new paragraph after the first" not in text
    # The closing line is the chain head recorded at the freeze, never today's head.
    assert lines[-1] == f"Record {frozen_head[:32]} (rev. 1)"
    assert svc.head() not in text
    clean = render_text(svc.export_clean(DOC, rev=1))
    assert "Train border officials" not in clean  # OP2 was not agreed at rev. 1
    assert "1.\tAdopt national action plans" in clean


def test_the_working_draft_says_so_in_its_header(svc: Service, clock) -> None:
    header = svc.export_clean(DOC).header
    assert "CP/CSH/GT-TP/doc.1/22" in header
    assert "Working draft, printed 2 March 2026 14:00 UTC" in header
    svc.revise(DOC)
    clock.advance(days=278, minutes=3)
    for doc in (svc.export_clean(DOC), svc.export_compilation(DOC)):
        assert "CP/CSH/GT-TP/doc.1/22" in doc.header
        assert "Working draft after rev. 1, printed 5 December 2026 14:03 UTC" in doc.header
        assert not any("rev. 1" in h and not h.startswith("Working") for h in doc.header)
        assert doc.closing.startswith(f"Record {svc.head()[:32]} (at printing), ")
        assert doc.properties["Record chain head"] == svc.head()
    # The header reads back as a header, the closing line is not a paragraph.
    parsed = parse_oas_text(render_text(svc.export_clean(DOC, include_all=True)), "x.txt")
    assert parsed.header[-2].startswith("Working draft after rev. 1")
    reprint = parse_oas_text(render_text(svc.export_clean(DOC, include_all=True, rev=1)), "x")
    assert not any(p.text.startswith("Record ") for p in reprint.paragraphs)
    assert len(reprint.paragraphs) == len(parsed.paragraphs)


def test_an_adopted_text_is_dated_with_its_adoption(svc: Service) -> None:
    doc = svc.export_clean("first-plan")
    assert "TEST/doc.1/14 rev. 1" in doc.header
    assert "5 December 2014" in doc.header
    assert not any(h.startswith("Working draft") for h in doc.header)


def test_redline_headers_follow_the_same_rule(svc: Service, as_, clock) -> None:
    _rev1(svc, as_)
    _later(svc, as_, clock)
    between = svc.export_redline(DOC, "1", "2")
    assert "CP/CSH-2001/99 rev. 2" in between.header
    assert "7 March 2026" in between.header
    # Between two revisions it is frozen too: no current head, the same bytes later.
    assert svc.head() not in between.closing
    assert between.closing.startswith("Record ")
    assert between.closing.endswith(" (rev. 2)")
    assert set(between.properties) == {"Record chain head at rev. 1", "Record chain head at rev. 2"}
    to_draft = svc.export_redline(DOC, "1", "draft")
    assert "CP/CSH-2001/99" in to_draft.header
    assert "Working draft after rev. 2, printed 7 March 2026 19:00 UTC" in to_draft.header
    as_("MEX").propose(DOC, "OP3", "insert", text="Yet another paragraph.")
    again = svc.export_redline(DOC, "1", "2")
    assert render_text(again) == render_text(between)
    assert render_binary(again, "docx") == render_binary(between, "docx")


@pytest.fixture
def wp(tmp_path: Path):
    db = tmp_path / "x.db"
    runner = CliRunner()

    def run(*args: str, who: str | None = None):
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        return runner.invoke(cli, [*pre, *args], catch_exceptions=False)

    run("init", "--from-file", str(PLAN), who="SECRETARIAT")
    return run


def test_cli_export_rev_reprints_every_format(wp, tmp_path: Path) -> None:
    wp("agree", "PP1", "OP1", who="CHAIR")
    wp("reserve", "OP1", "--text", JAM, who="JAM")
    wp("amend", "OP2", "--text", "Train border and labour officials.", who="CAN")
    assert wp("revise", who="SECRETARIAT").exit_code == 0
    first: dict[str, bytes] = {}
    for fmt in ("txt", "markdown", "html", "json", "docx", "odt"):
        for kind in ("--clean", "--compilation"):
            out = tmp_path / f"a{kind}.{fmt}"
            r = wp("export", "--rev", "1", kind, "--format", fmt, "-o", str(out))
            assert r.exit_code == 0, r.output
            first[f"{kind}.{fmt}"] = out.read_bytes()
    wp("decide", "A1", "accept", who="CHAIR")
    wp("edit-reservation", "R1", "--text", "Jamaica rewrote it.", who="JAM")
    wp("reserve", "OP1", "--text", PRY, who="PRY")
    wp("revise", who="SECRETARIAT")
    for key, data in first.items():
        kind, fmt = key.split(".")
        out = tmp_path / f"b{kind}.{fmt}"
        assert wp("export", "--rev", "rev. 1", kind, "--format", fmt, "-o", str(out)).exit_code == 0
        assert out.read_bytes() == data, key
    text = wp("export", "--rev", "1", "--format", "txt").output
    assert "CP/CSH/GT-TP/doc.1/22 rev. 1" in text
    assert JAM in text
    assert PRY not in text
    md = wp("export", "--rev", "1").output  # md: the revision in Markdown, not a draft file
    assert md.startswith("PERMANENT COUNCIL")
    assert "doc.1/22 rev. 1" in md
    working = wp("export", "--format", "txt").output
    assert "\nCP/CSH/GT-TP/doc.1/22\nWorking draft after rev. 2, printed " in working


def test_cli_export_rev_refusals(wp) -> None:
    wp("revise", who="SECRETARIAT")
    both = wp("export", "--rev", "1", "--redline", "1", "draft")
    assert both.exit_code == 2
    assert "--rev" in both.output
    missing = wp("export", "--rev", "7", "--format", "txt")
    assert missing.exit_code == 66
    assert "third-work-plan has no revision 7" in missing.output
    bad = wp("export", "--rev", "seven", "--format", "txt")
    assert bad.exit_code == 2


def test_working_compilation_numbers_hold_still_clean_text_renumbers(svc: Service, as_) -> None:
    svc.revise(DOC)
    ins = as_("BRA").propose(DOC, "OP1", "insert", text="Fund shelters for survivors.")
    as_("CHAIR").decide(DOC, ins.id, "accept")
    as_("JAM").propose(DOC, "OP3", "move", anchor="OP1 bis")
    compilation = render_text(svc.export_compilation(DOC))
    assert "1 bis.\t[Fund shelters for survivors.]" in compilation
    assert "2.\t[Train border officials" in compilation  # OP2 is still OP2
    assert "[A2 Move after OP1 bis: Jamaica]" in compilation
    as_("CHAIR").agree(DOC, ["OP1", "OP1 bis", "OP2"])
    clean = render_text(svc.export_clean(DOC))
    assert "2.\tFund shelters for survivors." in clean
    assert "3.\tTrain border officials" in clean
    # Frozen, the revision is renumbered and its compilation reprints with its own numbers.
    svc.revise(DOC)
    assert "2.\tFund shelters for survivors." in render_text(svc.export_compilation(DOC, rev=2))


def test_a_symbol_that_is_already_a_revision_goes_on_from_it() -> None:
    from workplan.service.revisions import revision_symbol

    assert revision_symbol("CP/CSH/GT-TP/doc.1/22", 2) == "CP/CSH/GT-TP/doc.1/22 rev. 2"
    assert revision_symbol("CP/CSH-2001/22 rev. 3", 1) == "CP/CSH-2001/22 rev. 4"
    assert revision_symbol("TEST/doc.1/14 rev.1", 2) == "TEST/doc.1/14 rev. 3"
    assert revision_symbol("", 1) == "rev. 1"
