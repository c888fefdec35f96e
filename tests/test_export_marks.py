"""Changes readers can see on paper: the compilation marks the words each alternative takes out
(struck through) and puts in (underlined) in every format, and the HTML redline prints who made
each change after it, not only in a hover text."""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import Path

from workplan.formats.export import render_binary, render_html, render_markdown, render_text
from workplan.service import Service

DOC = "third-work-plan"
OLD = "Train border officials to recognise the signs of trafficking."
NEW = "Train and equip border officials to spot trafficking."


def _compilation(svc: Service, as_):
    as_("CAN").propose(DOC, "OP2", "modify", text=NEW, cosponsors=["MEX"])
    as_("BRA").propose(DOC, "OP2", "insert", text="Protect witnesses.")
    return svc.export_compilation(DOC)


def test_compilation_text_marks_the_words(svc: Service, as_) -> None:
    text = render_text(_compilation(svc, as_))
    assert f"[{OLD}]" in text  # the text on the table, as it stands
    assert (
        "[A1 Alt 1 (Canada, Mexico): Train {+and equip+} border officials to "
        "[-recognise the signs of-]{+spot+} trafficking.]"
    ) in text
    # A new paragraph has nothing to compare with: printed whole.
    assert "[A2 New paragraph after (Brazil): Protect witnesses.]" in text


def test_compilation_markdown_and_html_mark_the_words(svc: Service, as_) -> None:
    doc = _compilation(svc, as_)
    md = render_markdown(doc)
    assert "Train [and equip]{.underline} border" in md
    assert "~~recognise the signs of~~[spot]{.underline} trafficking" in md
    page = render_html(doc)
    line = next(p for p in page.splitlines() if "A1 Alt 1" in p)
    assert "<ins>and equip </ins>" in line
    assert "<del>recognise the signs of</del>" in line
    assert "<ins>spot</ins>" in line
    assert 'class="by"' not in line  # the sponsors are named once, before the text


def test_compilation_word_and_odt_strike_and_underline(svc: Service, as_, tmp_path: Path) -> None:
    doc = _compilation(svc, as_)
    docx = tmp_path / "c.docx"
    docx.write_bytes(render_binary(doc, "docx"))
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    struck = re.search(r"<w:r><w:rPr><w:strike /></w:rPr><w:t[^>]*>([^<]*)</w:t>", xml)
    assert struck
    assert struck.group(1) == "recognise the signs of"
    assert re.search(r'<w:u w:val="single" /></w:rPr><w:t[^>]*>and equip</w:t>', xml)
    assert "<w:ins " not in xml  # marked, not tracked
    assert "<w:del " not in xml
    odt = tmp_path / "c.odt"
    odt.write_bytes(render_binary(doc, "odt"))
    with zipfile.ZipFile(odt) as z:
        content = z.read("content.xml").decode("utf-8")
    styles = dict(re.findall(r'<style:style style:name="(T\d+)"[^>]*>(.*?)</style:style>', content))
    spans = re.findall(r'<text:span text:style-name="(T\d+)">([^<]*)</text:span>', content)
    by_text = {text: styles[name] for name, text in spans}
    assert "text-line-through-style" in by_text["recognise the signs of"]
    assert "text-underline-style" in by_text["and equip"]
    assert "text-underline-style" in by_text["spot"]
    assert "tracked-changes" not in content


def test_html_redline_prints_the_authors(svc: Service, as_, clock) -> None:
    as_("SECRETARIAT").revise(DOC)
    clock.advance(minutes=5)
    as_("CAN").propose(DOC, "OP2", "modify", text=NEW, cosponsors=["MEX"])
    clock.advance(minutes=5)
    as_("CHAIR").decide(DOC, "A1", "accept")
    as_("USA").propose(DOC, "OP3", "delete")
    clock.advance(minutes=5)
    as_("CHAIR").decide(DOC, "A2", "accept")
    as_("SECRETARIAT").revise(DOC)
    page = render_html(svc.export_redline(DOC, "1", "2"))
    # What a printout shows: the page's text without its tags.
    shown = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert (
        "Train and equip [Canada, Mexico] border officials to recognise the signs ofspot" in shown
    )
    assert "spot [Canada, Mexico] trafficking." in shown
    assert "the target population speaks. [United States]" in shown  # a paragraph deleted whole
    assert "each change is followed, in brackets, by the delegations" in shown
    # Every change is followed by its author (runs by one author share one label).
    labels = re.findall(
        r'<(ins|del) title="([^"]*?) \d{4}-[^"]*">[^<]*</\1>(<span class="by">)?', page
    )
    assert labels
    assert all(author for _, author, _ in labels)
    authors = {"Canada, Mexico", "United States", "Secretariat"}  # renumbering: editorial
    assert {a for _, a, label in labels if label} == authors
    assert "[-3.-]" not in shown
    assert "4.3. [Secretariat]" in shown
    assert "@media print" in page
    assert "print-color-adjust:exact" in page
    assert "ins{text-decoration:underline}del{text-decoration:line-through}" in page
