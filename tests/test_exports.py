"""Exports: the clean text with OAS footnotes, the compilation text, Word files and the redline."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import PLAN

from workplan.cli import cli
from workplan.footnotes import FootnoteSource, call_suffix, cut, plan_footnotes
from workplan.formats.export import render_html, render_text
from workplan.service import Service

DOC = "third-work-plan"
JAM = "The Government of Jamaica joins the consensus on the understanding of its Constitution."
PRY = "Paraguay joins the consensus on the understanding that its domestic law prevails."


def test_footnote_plan_idem_and_order() -> None:
    r1 = FootnoteSource(reservation="R1", delegation="PRY", text=PRY)
    r2 = FootnoteSource(reservation="R2", delegation="JAM", text=JAM)
    plan = plan_footnotes([("a", [r1, r2]), ("b", []), ("c", [r1, r2])])
    assert plan.calls == {"a": [1, 2], "c": [3, 4]}
    assert [f.text for f in plan.footnotes] == [PRY, JAM, "Idem 1", "Idem 2"]
    assert call_suffix(plan.calls["a"]) == "1/2/"


def test_long_footnote_is_cut_at_a_word_boundary() -> None:
    head, rest = cut("word " * 200, 100)
    assert head.endswith("…")
    assert len(head) <= 101
    assert not head[:-1].endswith(" ")
    assert (head[:-1] + " " + rest).split() == ("word " * 200).split()


def _negotiated(as_) -> None:
    as_("CHAIR").agree(DOC, ["PP1", "PP2", "OP1", "OP3"])
    as_("PRY").reserve(DOC, ["PP1", "OP1", "OP3"], text=PRY)
    as_("JAM").reserve(DOC, ["PP1", "OP1"], text=JAM)


def test_clean_text_prints_agreed_paragraphs_with_oas_footnotes(svc: Service, as_) -> None:
    _negotiated(as_)
    text = render_text(svc.export_clean(DOC))
    assert "Original: Spanish" in text
    assert "COMMITTEE ON HEMISPHERIC SECURITY" in text
    assert "and since;1/2/" in text
    assert f"1. {PRY}" in text
    assert f"2. {JAM}" in text
    assert "Idem 1" in text
    assert "Idem 2" in text
    assert "1.\tAdopt national action plans" in text
    assert "2.\tRun awareness campaigns" in text  # renumbered: OP2 is not agreed
    assert "Train border officials" not in text
    assert text.rstrip().splitlines()[-1] == f"Record {svc.head()[:32]}"
    everything = render_text(svc.export_clean(DOC, include_all=True))
    assert "[Train border officials" in everything


def test_compilation_shows_proposals_in_place(svc: Service, as_) -> None:
    as_("CAN", None).propose(
        DOC, "OP2", "modify", text="Train and equip border officials.", cosponsors=["MEX"]
    )
    as_("USA").propose(DOC, "OP2", "delete")
    as_("BRA").propose(DOC, "OP2", "insert", text="Protect witnesses.")
    as_("USA").record_position(DOC, "OP2", "object")
    text = render_text(svc.export_compilation(DOC))
    assert "[Train border officials to recognise the signs of trafficking.]" in text
    # The alternative's words against the text on the table: out `[-...-]`, in `{+...+}`.
    assert (
        "[A1 Alt 1 (Canada, Mexico): Train {+and equip+} border officials"
        " [-to recognise the signs of trafficking-].]"
    ) in text
    assert "A2 Delete: United States" in text
    assert "New paragraph after (Brazil): Protect witnesses." in text
    assert "Under negotiation. Objecting: United States." in text


def test_html_escapes_everything(svc: Service, as_) -> None:
    nasty = "Use <script>alert(1)</script> & [b]markup[/b] here."
    as_("CAN").propose(DOC, "OP1", "modify", text=nasty)
    as_("CHAIR").decide(DOC, "A1", "accept")
    as_("CHAIR").agree(DOC, ["OP1"])
    page = render_html(svc.export_clean(DOC))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; [b]markup[/b]" in page
    assert "<script>" not in page


def _docx_xml(path: Path, part: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(part).decode("utf-8")


def _paragraph_texts(xml: str, *, accept: bool) -> list[str]:
    drop = r"<w:del\b.*?</w:del>" if accept else r"<w:ins\b.*?</w:ins>"
    xml = re.sub(drop, "", xml, flags=re.DOTALL)
    out = []
    for para in re.findall(r"<w:p\b.*?</w:p>", xml, flags=re.DOTALL):
        text = "".join(re.findall(r"<w:(?:t|delText)(?: [^>]*)?>([^<]*)</w:(?:t|delText)>", para))
        if text.strip():
            out.append(text)
    return out


@pytest.fixture
def cli_db(tmp_path: Path):
    db = tmp_path / "x.db"
    runner = CliRunner()

    def wp(*args: str, who: str | None = None):
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        result = runner.invoke(cli, [*pre, *args], catch_exceptions=False)
        return result

    wp("init", "--from-file", str(PLAN), who="SECRETARIAT")
    return wp


def test_clean_docx_has_real_footnotes(cli_db, tmp_path: Path) -> None:
    import docx

    cli_db("agree", "PP1", "OP1", "OP3", who="CHAIR")
    cli_db("reserve", "PP1", "OP1", "OP3", "--text", PRY, who="PRY")
    out = tmp_path / "clean.docx"
    r = cli_db("export", "--format", "docx", "-o", str(out))
    assert r.exit_code == 0, r.output
    document = docx.Document(str(out))
    assert any("Adopt national action plans" in p.text for p in document.paragraphs)
    notes = _docx_xml(out, "word/footnotes.xml")
    assert notes.count("Paraguay joins the consensus") == 1
    assert notes.count("Idem 1") == 2
    again = cli_db("export", "--format", "docx", "-o", str(out))
    assert again.exit_code == 65
    assert "--force" in again.output


def test_redline_accept_all_is_b_reject_all_is_a(cli_db, tmp_path: Path) -> None:
    cli_db("revise", who="SECRETARIAT")
    cli_db(
        "amend",
        "OP2",
        "--text",
        "Train and equip border officials to spot trafficking.",
        "--cosponsor",
        "MEX",
        who="CAN",
    )
    cli_db("decide", "A1", "accept", who="CHAIR")
    cli_db(
        "amend", "OP1", "--insert-before", "OP1", "--text", "A brand new first action.", who="BRA"
    )
    cli_db("decide", "A2", "accept", who="CHAIR")
    cli_db("amend", "OP4", "--delete", who="USA")  # refs hold still until the next revision
    cli_db("decide", "A3", "accept", who="CHAIR")
    cli_db("revise", who="SECRETARIAT")
    out = tmp_path / "red.docx"
    r = cli_db("export", "--redline", "1", "2", "--format", "docx", "-o", str(out))
    assert r.exit_code == 0, r.output
    xml = _docx_xml(out, "word/document.xml")
    authors = set(re.findall(r'w:author="([^"]+)"', xml))
    # Renumbering that follows from an insertion is an editorial change (the Secretariat).
    assert authors - {"Secretariat"} == {"Canada, Mexico", "Brazil", "United States"}
    accepted, rejected = _paragraph_texts(xml, accept=True), _paragraph_texts(xml, accept=False)
    assert any("Train and equip border officials to spot trafficking." in t for t in accepted)
    assert any("A brand new first action." in t for t in accepted)
    assert not any("Support member states in drafting" in t for t in accepted)
    assert any(
        "Train border officials to recognise the signs of trafficking." in t for t in rejected
    )
    assert not any("A brand new first action." in t for t in rejected)
    assert any("Support member states in drafting" in t for t in rejected)


def test_long_reservation_continues_in_footnotes_section(svc: Service, as_) -> None:
    long_text = (
        "The Government of Saint Lucia remains committed to its obligations. " * 12
        + "\n\nIts national laws will continue to apply."
    )
    as_("CHAIR").agree(DOC, ["OP1", "OP3"])
    as_("LCA").reserve(DOC, ["OP1", "OP3"], text=long_text)
    text = render_text(svc.export_clean(DOC))
    head, _, tail = text.partition("FOOTNOTES")
    assert "1. The Government of Saint Lucia" in head
    assert "…" in head
    assert "2. Idem 1" in head
    assert tail.strip().startswith("1. …")
    assert "    Its national laws will continue to apply." in tail


def test_markdown_export_escapes_markup(svc: Service, as_) -> None:
    from workplan.formats.export import render_markdown

    as_("CAN").propose(DOC, "OP1", "modify", text="Use *stars* and [links](x) <b>here</b>.")
    as_("CHAIR").decide(DOC, "A1", "accept")
    as_("CHAIR").agree(DOC, ["OP1"])
    md = render_markdown(svc.export_clean(DOC))
    assert r"\*stars\* and \[links\](x) \<b>here\</b>." in md


def test_odt_export(cli_db, tmp_path: Path) -> None:
    cli_db("agree", "OP1", who="CHAIR")
    out = tmp_path / "clean.odt"
    assert cli_db("export", "--format", "odt", "-o", str(out)).exit_code == 0
    assert "Adopt national action plans" in _docx_xml(out, "content.xml")


def test_header_without_symbol_has_no_stray_space(svc: Service) -> None:
    svc.set_metadata(DOC, symbol="")
    assert "OEA/Ser.G" in svc.export_clean(DOC).header
    svc.revise(DOC)
    header = svc.export_clean(DOC, rev=1).header
    assert "rev. 1" in header
    assert not any(h.startswith(" ") for h in header)
    text = render_text(svc.export_compilation(DOC, rev=1))
    assert "\nrev. 1\n" in text
    assert "\n rev. 1" not in text
    # The working draft wears no revision's symbol.
    header = svc.export_clean(DOC).header
    assert "rev. 1" not in header
    assert not any(h.startswith(" ") for h in header)


def test_word_and_odt_exports_use_the_oas_styles(cli_db, tmp_path: Path) -> None:
    import docx

    cli_db("agree", "PP1", "OP1", who="CHAIR")
    out = tmp_path / "clean.docx"
    assert cli_db("export", "--format", "docx", "-o", str(out)).exit_code == 0
    document = docx.Document(str(out))
    styles = _docx_xml(out, "word/styles.xml")
    defaults = styles.split("</w:docDefaults>")[0]
    assert 'w:ascii="Times New Roman"' in defaults
    assert "Theme" not in styles
    assert document.styles["Normal"].font.name == "Times New Roman"
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        font = document.styles[name].font
        assert font.name == "Times New Roman"
        assert font.color.type is None
        assert font.bold
        assert font.size is not None
        assert font.size.pt == 12
    assert document.styles["Body Text"].font.color.type is None  # black throughout
    used = {p.style.name if p.style is not None else None for p in document.paragraphs}
    assert used <= {"Body Text", "Heading 1", "Heading 2", "Heading 3"}  # no "First Paragraph"
    odt = tmp_path / "clean.odt"
    assert cli_db("export", "--format", "odt", "-o", str(odt)).exit_code == 0
    odt_styles = _docx_xml(odt, "styles.xml")
    assert 'style:font-name="Arial"' not in odt_styles
    assert 'style:font-name="Times New Roman"' in odt_styles
