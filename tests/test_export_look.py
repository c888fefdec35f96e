"""How exports print: OAS footnote calls (`1/2/3/`) and hanging footnote paragraphs in every
format, one style for Word and OpenDocument, page numbers, and Markdown escaping only markup."""

from __future__ import annotations

import json
import random
import re
import zipfile
from io import BytesIO
from typing import Any

import pytest

from workplan.formats.export import ExportDoc, render_binary, render_html, render_markdown
from workplan.formats.pandoc import run_pandoc
from workplan.service import Service

DOC = "third-work-plan"
PRY = "Paraguay joins the consensus on the understanding that its domestic law prevails."
JAM = "The Government of Jamaica joins the consensus on the understanding of its Constitution."
LCA = "Saint Lucia reaffirms its commitment.\n\nIt applies its laws.\n\nNothing more is accepted."


@pytest.fixture
def three(svc: Service, as_) -> ExportDoc:
    """The clean text with three reservations on PP1 and OP1, one of three paragraphs."""
    as_("CHAIR").agree(DOC, ["PP1", "OP1", "OP3"])
    for who, text in (("PRY", PRY), ("JAM", JAM), ("LCA", LCA)):
        as_(who).reserve(DOC, ["PP1", "OP1"], text=text)
    return svc.export_clean(DOC)


def _part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def test_calls_print_number_and_slash_in_every_format(three: ExportDoc) -> None:
    assert "and since;[^1]/[^2]/[^3]/" in render_markdown(three)
    page = render_html(three)
    assert '<a href="#fn1" id="call1">1</a>/</sup><sup><a href="#fn2"' in page
    word = _part(render_binary(three, "docx"), "word/document.xml")
    calls = re.findall(
        r'<w:footnoteReference w:id="\d+" />\s*</w:r>\s*<w:r>(.*?)</w:r>', word, re.S
    )
    assert len(calls) == 6
    assert all('w:val="superscript"' in c and ">/</w:t>" in c for c in calls)
    odt = _part(render_binary(three, "odt"), "content.xml")
    after = re.findall(r"</text:note>(<text:span [^>]*>/</text:span>)", odt)
    assert len(after) == 6


def test_multi_paragraph_footnote_keeps_its_paragraphs(three: ExportDoc) -> None:
    page = render_html(three)
    assert (
        '<li id="fn3" value="3"><p>Saint Lucia reaffirms its commitment.</p>'
        "<p>It applies its laws.</p><p>Nothing more is accepted.</p></li>"
    ) in page
    odt = _part(render_binary(three, "odt"), "content.xml")
    note = re.search(
        r"<text:note-body>(?:(?!</text:note-body>).)*Saint Lucia.*?</text:note-body>", odt
    )
    assert note is not None
    styles = re.findall(r'text:style-name="([^"]+)"', note.group(0))
    assert styles == ["Footnote", "Footnote_20_continuation", "Footnote_20_continuation"]
    word = _part(render_binary(three, "docx"), "word/footnotes.xml")
    lucia = re.search(r"<w:footnote [^>]*>(?:(?!</w:footnote>).)*Saint Lucia.*?</w:footnote>", word)
    assert lucia is not None
    paras = re.findall(r"<w:p>.*?</w:p>", lucia.group(0), re.S)
    assert len(paras) == 3  # the number, then the text hangs
    assert "<w:tab />" in paras[0]
    assert all('<w:ind w:firstLine="0" w:hanging="0" />' in p for p in paras[1:])


def _word_looks(data: bytes) -> dict[str, dict[str, Any]]:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    align = {
        WD_ALIGN_PARAGRAPH.JUSTIFY: "justify",
        WD_ALIGN_PARAGRAPH.CENTER: "center",
        WD_ALIGN_PARAGRAPH.LEFT: "left",
        None: "left",
    }
    styles = docx.Document(BytesIO(data)).styles
    out = {}
    for name in ("Body Text", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        s = styles[name]
        out[name] = {
            "size": s.font.size.pt,
            "bold": bool(s.font.bold),
            "italic": bool(s.font.italic),
            "caps": bool(s.font.all_caps),
            "align": align[s.paragraph_format.alignment],
            "after": s.paragraph_format.space_after.pt,
        }
    return out


def _odt_looks(data: bytes) -> dict[str, dict[str, Any]]:
    xml = _part(data, "styles.xml")

    def attr(body: str, name: str, default: str) -> str:
        m = re.search(rf'{name}="([^"]*)"', body)
        return m.group(1) if m else default

    align = {"justify": "justify", "center": "center", "start": "left", "left": "left"}
    out = {}
    for word, odt in (
        ("Body Text", "Text_20_body"),
        ("Heading 1", "Heading_20_1"),
        ("Heading 2", "Heading_20_2"),
        ("Heading 3", "Heading_20_3"),
        ("Heading 4", "Heading_20_4"),
    ):
        m = re.search(rf'<style:style\b[^>]*style:name="{odt}"[^>]*>.*?</style:style>', xml, re.S)
        assert m is not None, odt
        body = m.group(0)
        out[word] = {
            "size": float(attr(body, "fo:font-size", "").removesuffix("pt")),
            "bold": attr(body, "fo:font-weight", "normal") == "bold",
            "italic": attr(body, "fo:font-style", "normal") == "italic",
            "caps": attr(body, "fo:text-transform", "none") == "uppercase",
            "align": align[attr(body, "fo:text-align", "start")],
            "after": float(attr(body, "fo:margin-bottom", "").removesuffix("pt")),
        }
    return out


def test_word_and_odt_share_one_style(three: ExportDoc) -> None:
    word, odt = _word_looks(render_binary(three, "docx")), _odt_looks(render_binary(three, "odt"))
    assert word == odt
    assert word["Body Text"]["align"] == "justify"
    assert word["Heading 1"]["align"] == "center"
    # Section levels stay apart: capitals, then bold, then italic.
    looks = [word[f"Heading {n}"] for n in (2, 3, 4)]
    assert looks[0]["caps"]
    assert looks[0]["bold"]
    assert not looks[1]["caps"]
    assert looks[1]["bold"]
    assert looks[2]["italic"]
    assert not looks[2]["bold"]
    assert len({json.dumps(x, sort_keys=True) for x in looks}) == 3


def test_word_pages_are_numbered(three: ExportDoc) -> None:
    data = render_binary(three, "docx")
    document = _part(data, "word/document.xml")
    ref = re.search(r'<w:footerReference r:id="([^"]+)" w:type="default" />', document)
    assert ref is not None
    rels = _part(data, "word/_rels/document.xml.rels")
    target = re.search(rf'Id="{ref.group(1)}" Target="([^"]+)"', rels)
    assert target is not None
    footer = _part(data, f"word/{target.group(1)}")
    assert " PAGE " in footer
    assert ">- </w:t>" in footer


# Markdown for people: escapes only what Markdown reads as markup, and reads back exactly.

TRICKY = [
    'OEA/Ser.G CP/CSH-2001/22 rev. 1 (2022–2027): e.g. 50% of U.S.A.\'s "costs".',
    "# not a heading",
    "- not a list; + nor this; * nor this",
    "1. not a list either",
    "12) nor this",
    "I. nor a roman list",
    "(a) nor a lettered one",
    "> not a quote",
    ": not a definition",
    "=====",
    "---",
    "a *b* _c_ **d** `e` [f](g) ![h](i) <b>j</b> <http://x.y> ~k~ ^l^ $m$ @n &amp; \\o",
    "US$ 5 million and US$5; snake_case_word; a_b; 3 < 4 > 2; x|y; [^1]",
    "line one\n# line two\n- line three",
    "{#id} {.class} ::: div",
    "% a title block",
    "2022--2027 ... 'single' \"double\"",
]
_ALPHABET = "ab 1.-+*#>:_`[]()<>!~^$@&|\\{}%=\"'/\n"


def _pandoc_strings(texts: list[str]) -> list[str]:
    """Each text written as a Markdown paragraph, read back by pandoc as plain strings; a
    paragraph that became anything but text (a list, emphasis, code...) reads as None."""
    from workplan.formats.export import _md

    source = "\n\n".join(f"::: {{#p{i}}}\n{_md(t)}\n:::" for i, t in enumerate(texts))
    tree = json.loads(
        run_pandoc(["--from=markdown-smart", "--to=json"], "t", stdin=source.encode())
    )

    def inline(nodes: list[dict[str, Any]]) -> str:
        out = []
        for n in nodes:
            kind = n["t"]
            if kind == "Str":
                out.append(n["c"])
            elif kind in ("Space", "SoftBreak"):
                out.append(" ")
            elif kind == "LineBreak":
                out.append("\n")
            else:
                out.append(f"<{kind}>")
        return "".join(out)

    read = []
    for div in tree["blocks"]:
        blocks = div["c"][1]
        if len(blocks) == 1 and blocks[0]["t"] == "Para":
            read.append(inline(blocks[0]["c"]))
        else:
            read.append("<" + ",".join(b["t"] for b in blocks) + ">")
    return read


def _normal(text: str) -> str:
    """What any Markdown paragraph keeps of a text: words and single spaces, lines trimmed."""
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def test_markdown_escapes_only_markup_and_reads_back() -> None:
    from workplan.formats.export import _md

    assert _md("OEA/Ser.G CP/CSH-2001/22 rev. 1 (2022-2027).") == (
        "OEA/Ser.G CP/CSH-2001/22 rev. 1 (2022-2027)."
    )
    rng = random.Random(13)
    randoms = [
        "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 30))) for _ in range(300)
    ]
    texts = [t for t in TRICKY + randoms if _normal(t)]
    assert [_normal(t) for t in _pandoc_strings(texts)] == [_normal(t) for t in texts]


def test_markdown_export_keeps_the_symbol_unescaped(three: ExportDoc) -> None:
    md = render_markdown(three)
    assert "\nOEA/Ser.G\\\n" in md
    assert "OEA/Ser\\.G" not in md
