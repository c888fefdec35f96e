"""The Markdown draft format: golden file, structure, error messages, and a lossless round trip."""

from __future__ import annotations

import string
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workplan.errors import InputError
from workplan.formats.draft_md import parse_draft, write_draft
from workplan.model import (
    Decision,
    Document,
    Draft,
    Lineage,
    Numbering,
    Paragraph,
    ParagraphKind,
    Section,
)
from workplan.model.text import clean_line, clean_text

SMALL = Path(__file__).parent / "fixtures" / "draft_small.md"
FRONT = "---\nid: x\ntitle: T\n---\n\n"  # lines 1-5; the first block starts on line 6


def para(uid: str, text: str, **kw: object) -> Paragraph:
    return Paragraph.model_validate({"uid": uid, "text": text, "document": "doc", **kw})


def fields(p: Paragraph) -> tuple[object, ...]:
    return (p.uid, p.section, p.position, p.kind, p.text, p.lineage, p.decision)


def assert_same(a: Draft, b: Draft) -> None:
    assert a.document == b.document
    assert a.sections == b.sections
    assert [fields(p) for p in a.paragraphs] == [fields(p) for p in b.paragraphs]


def roundtrip(draft: Draft) -> Draft:
    written = write_draft(draft)
    again = parse_draft(written)
    assert write_draft(again) == written
    assert_same(again, draft)
    return again


# -- the fixture ------------------------------------------------------------------------------


def test_golden_file_round_trips_byte_for_byte() -> None:
    raw = SMALL.read_bytes()
    assert write_draft(parse_draft(raw.decode("utf-8"), str(SMALL))).encode("utf-8") == raw
    assert raw.endswith(b"\n")
    assert not raw.endswith(b"\n\n")


def test_fixture_document_and_sections() -> None:
    d = parse_draft(SMALL.read_text("utf-8"))
    assert d.document.id == "sample-plan"
    assert d.document.numbering == Numbering.PER_SECTION
    assert (d.document.period_start, d.document.period_end) == (2023, 2028)
    assert d.document.adopted is None
    assert d.document.derived_from == "older-plan"
    assert d.document.metadata["series"] == "TEST/Ser.Z/9"
    tree = [(s.id, s.position, s.parent) for s in d.sections]
    assert tree == [
        ("considerations", 0, None),
        ("areas", 1, None),
        ("areas-ms", 2, "areas"),
        ("areas-gs", 3, "areas"),
        ("follow-up", 4, None),
        ("annex", 5, None),
    ]
    assert d.sections[1].title == "Areas of action"


def test_fixture_paragraphs() -> None:
    d = parse_draft(SMALL.read_text("utf-8"))
    assert [p.position for p in d.paragraphs] == list(range(len(d.paragraphs)))
    assert {p.document for p in d.paragraphs} == {"sample-plan"}
    by = d.by_uid
    assert by["sp-intro"].section is None
    assert by["sp-intro"].kind == ParagraphKind.OTHER
    assert by["sp-pp01"].lineage == Lineage(document="older-plan", uid="op-pp1")
    assert "Belém do Pará — and the “co-responsibility”" in by["sp-pp01"].text
    assert by["sp-pp02"].text.startswith("NOTING that 3 * 4 = 12, that <b> is not a tag")
    assert "&amp;" in by["sp-pp02"].text
    assert by["sp-op01"].text.split("\n")[1:] == [
        "a) identification of victims;",
        "b) 中文 and emoji 🙂 survive;",
        "12. a line that only looks numbered",
    ]
    assert by["sp-op02"].decision == Decision.DELETED
    assert by["sp-op02"].text == "# Not a heading, > not a quote, - not a list item"
    assert by["sp-op03"].decision == Decision.AGREED_AD_REF
    assert by["sp-op03"].section == "areas-gs"
    assert by["sp-op04"].section == "areas"  # the section= override
    assert by["sp-fu01"].decision == Decision.SILENCE
    assert by["sp-fu01"].section == "follow-up"
    assert d.refs["sp-op04"] == "areas/OP3"


def test_crlf_and_bom_are_accepted() -> None:
    text = SMALL.read_text("utf-8")
    crlf = "\ufeff" + text.replace("\n", "\r\n")
    assert_same(parse_draft(crlf), parse_draft(text))
    assert write_draft(parse_draft(crlf)) == text


def test_hand_written_variants() -> None:
    text = FRONT + "{#a .operative}\n\nwrapped by\nhand, and  \nhard broken\n"
    d = parse_draft(text)
    assert d.paragraphs[0].text == "wrapped by hand, and\nhard broken"
    assert d.paragraphs[0].section is None
    assert d.paragraphs[0].document == "x"


# -- structure --------------------------------------------------------------------------------


def test_sections_nest_by_heading_level() -> None:
    text = FRONT + "# A {#a}\n\n## B {#b}\n\n### C {#c}\n\n## D {#d}\n\n# E {#e}\n\n## F {#f}\n"
    d = parse_draft(text)
    assert [(s.id, s.parent, s.position) for s in d.sections] == [
        ("a", None, 0),
        ("b", "a", 1),
        ("c", "b", 2),
        ("d", "a", 3),
        ("e", None, 4),
        ("f", "e", 5),
    ]
    assert [s.id for s in d.section_path("c")] == ["a", "b", "c"]
    assert write_draft(d).endswith("---\n\n" + text.removeprefix(FRONT))


def test_section_override_round_trip() -> None:
    doc = Document(id="doc", title="Doc")
    sections = [
        Section(id="a", title="A", position=0),
        Section(id="a1", title="A one", position=1, parent="a"),
        Section(id="b", title="B", position=2),
    ]
    paragraphs = [
        para("p0", "In a1.", section="a1", position=0),
        para("p1", "Back in a, after a1.", section="a", position=1),
        para("p2", "No section at all.", section=None, position=2),
        para("p3", "In b, after the heading.", section="b", position=3),
        para("p4", "In a1 again.", section="a1", position=4),
    ]
    written = write_draft(Draft(document=doc, sections=sections, paragraphs=paragraphs))
    assert "{#p0 .operative}\n" in written
    assert '{#p1 .operative section="a"}' in written
    assert '{#p2 .operative section=""}' in written
    assert "{#p3 .operative}\n" in written
    assert '{#p4 .operative section="a1"}' in written
    roundtrip(Draft(document=doc, sections=sections, paragraphs=paragraphs))


def test_empty_sections_and_first_heading_before_paragraphs() -> None:
    doc = Document(id="doc", title="Doc", metadata={})
    sections = [Section(id=s, title=s.upper(), position=i) for i, s in enumerate("abc")]
    d = Draft(document=doc, sections=sections, paragraphs=[para("p", "In c.", section="c")])
    written = write_draft(d)
    assert "metadata" not in written
    assert written.endswith("# A {#a}\n\n# B {#b}\n\n# C {#c}\n\n{#p .operative}\nIn c.\n")
    roundtrip(d)


def test_lineage_and_status_round_trip() -> None:
    doc = Document(id="doc", title="Doc")
    paragraphs = [
        para(f"p{i}", f"Text {i}.", position=i, decision=dec, lineage=lin, kind=kind)
        for i, (dec, lin, kind) in enumerate(
            [
                (Decision.OPEN, None, ParagraphKind.PREAMBULAR),
                (Decision.AGREED, Lineage(document="old", uid="X_1"), ParagraphKind.OPERATIVE),
                (Decision.DELETED, Lineage(document="o-2", uid="9"), ParagraphKind.FOLLOW_UP),
                (Decision.SILENCE, None, ParagraphKind.OTHER),
                (Decision.AGREED_AD_REF, None, ParagraphKind.OPERATIVE),
            ]
        )
    ]
    written = write_draft(Draft(document=doc, paragraphs=paragraphs))
    assert "{#p0 .preambular}\n" in written
    assert 'status="open"' not in written
    assert '{#p1 .operative from="old/X_1" status="agreed"}' in written
    roundtrip(Draft(document=doc, paragraphs=paragraphs))


TRICKY = [
    "*x* and _y_ and **z**",
    "[^1] [link](http://example.org) ![img](a.png) <http://example.org>",
    "{#a}",
    "{#a .operative}",
    "# title",
    "## title ##",
    "12. foo\n3) bar\n1.5 million",
    "- item\n+ item\n* item",
    "> quote",
    "&amp; &#123; &copy;",
    "<b>bold</b> <!-- c -->",
    "back\\slash \\* \\\nend\\",
    "`code` ``more``",
    "===",
    "title\n===",
    "title\n---",
    "---",
    "***\n___\n- - -",
    "~~~\nfenced\n~~~",
    "```python\nx\n```",
    "| a | b |\n|---|---|",
    "a\tb",
    "Belém do Pará — “curly” ‘quotes’ 中文 😀",
    "[foo]: /url",
    "trailing backslash\\",
    string.punctuation,
]


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_round_trip(text: str) -> None:
    doc = Document(id="doc", title=clean_line(text.replace("\n", " ")))
    sections = [Section(id="s", title=clean_line(text.replace("\n", " ")))]
    paragraphs = [para("p", text, section="s")]
    roundtrip(Draft(document=doc, sections=sections, paragraphs=paragraphs))


def test_multiline_metadata_cannot_close_the_front_matter() -> None:
    doc = Document(id="doc", title="Doc", adopted="a\n---\nb", metadata={"note": "x\n---\n..."})
    d = roundtrip(Draft(document=doc, paragraphs=[para("p", "Text.")]))
    assert d.document.metadata == {"note": "x\n---\n..."}


@pytest.mark.parametrize(
    "sections",
    [
        [
            Section(id="b", title="B", position=0, parent="a"),
            Section(id="a", title="A", position=1),
        ],
        [
            Section(id="a", title="A", position=0),
            Section(id="b", title="B", position=1),
            Section(id="a1", title="A1", position=2, parent="a"),
        ],
        [Section(id="a", title="A", position=0), Section(id="a", title="A", position=1)],
    ],
)
def test_unwritable_section_order_is_refused(sections: list[Section]) -> None:
    with pytest.raises(ValueError, match="cannot be written"):
        write_draft(Draft(document=Document(id="d", title="D"), sections=sections))


def test_paragraph_in_unknown_section_is_refused() -> None:
    d = Draft(document=Document(id="d", title="D"), paragraphs=[para("p", "T.", section="nope")])
    with pytest.raises(ValueError, match="cannot be written"):
        write_draft(d)


# -- errors -----------------------------------------------------------------------------------

KIND_MSG = "unknown paragraph kind 'operatve' (use preambular, operative, follow-up, other)"
ERRORS: list[tuple[str, str, int, str]] = [
    # (id, text, line, message or the start of it)
    ("kind", FRONT + "# A {#a}\n\n{#p .operatve}\nText.\n", 8, KIND_MSG),
    (
        "no-attrs",
        FRONT + "{#p .operative}\nOne.\n\nTwo.\n",
        9,
        "paragraph has no {#uid .kind} line",
    ),
    ("no-uid", FRONT + "{.operative}\nText.\n", 6, "the attribute line has no #uid"),
    ("no-kind", FRONT + "{#p}\nText.\n", 6, "unknown paragraph kind ''"),
    ("two-kinds", FRONT + "{#p .operative .other}\nText.\n", 6, "unknown paragraph kind"),
    ("bad-attrs", FRONT + '{#p .operative from="x}\nText.\n', 6, "cannot read the attribute line"),
    ("attr-name", FRONT + '{#p .operative colour="red"}\nT.\n', 6, "unknown paragraph attribute"),
    ("onclick", FRONT + '{#p .operative onclick="x"}\nT.\n', 6, "unknown paragraph attribute 'onc"),
    ("status", FRONT + '{#p .operative status="done"}\nT.\n', 6, "unknown status 'done' (use open"),
    ("lineage", FRONT + '{#p .operative from="nouid"}\nT.\n', 6, "lineage must be 'document/uid'"),
    ("uid", FRONT + '\n\n{id="p 1" .operative}\nT.\n', 8, "uid: paragraph uid must be letters"),
    ("dup-uid", FRONT + "{#p .other}\nA.\n\n{#p .other}\nB.\n", 10, "duplicate paragraph uid 'p'"),
    ("section", FRONT + '{#p .other section="zz"}\nA.\n', 6, "section 'zz' is not declared"),
    ("later-sec", FRONT + '{#p .other section="b"}\nA.\n\n# B {#b}\n', 6, "section 'b' is not"),
    ("dangling", FRONT + "{#p .other}\nA.\n\n{#q .other}\n", 9, "attribute line with no paragraph"),
    ("no-blank", FRONT + "{#p .other}\nA.\n{#q .other}\nB.\n", 8, "an attribute line must have a"),
    ("emphasis", FRONT + "{#p .other}\nA\\\nand *b*\n", 8, "Markdown formatting is not allowed"),
    ("text-char", FRONT + "{#p .other}\nA\u202eB\n", 7, "2: contains a forbidden character U+202E"),
    ("nul", FRONT + "{#p .other}\nA\x00B\n", 7, "2: contains a forbidden character U+0000"),
    ("zwsp", FRONT + "{#p .other}\nAB\u200b\n", 7, "3: contains an invisible character U+200B"),
    ("head-id", FRONT + "# Title\n", 6, "a heading must end with its section id"),
    ("head-slug", FRONT + "# Title {#Big}\n", 6, "id: section id must be lower-case"),
    ("head-jump", FRONT + "# A {#a}\n\n### C {#c}\n", 8, "heading level 3 jumps over level 2"),
    ("head-dup", FRONT + "# A {#a}\n\n# B {#a}\n", 8, "duplicate section id 'a'"),
    ("head-attrs", FRONT + "{#p .other}\n# A {#a}\n", 6, "an attribute line cannot come before"),
    ("head-fmt", FRONT + "# A *b* {#a}\n", 6, "Markdown formatting is not allowed in a heading"),
    ("list", FRONT + "- one\n- two\n", 6, "a bulleted list is not allowed in a draft"),
    ("olist", FRONT + "\n1. one\n", 7, "a numbered list is not allowed"),
    ("quote", FRONT + "> q\n", 6, "a block quote is not allowed"),
    ("fence", FRONT + "```\nx\n```\n", 6, "a fenced code block is not allowed"),
    ("indented", FRONT + "    code\n", 6, "an indented code block"),
    ("html", FRONT + "<div>\nx\n</div>\n", 6, "an HTML block is not allowed"),
    ("hr", FRONT + "{#p .other}\nA.\n\n***\n", 9, "a thematic break (---) is not allowed"),
    ("no-front", "# A {#a}\n", 1, "a draft must start with front matter"),
    ("unclosed", "---\nid: x\ntitle: T\n", 1, "front matter has no closing '---' line"),
    ("yaml", "---\nid: x\ntitle: [unclosed\n---\n", 3, "front matter is not valid YAML"),
    ("not-map", "---\n- a\n---\n", 2, "front matter must be a mapping"),
    ("key", "---\nid: x\ntitle: T\ncolour: red\n---\n", 4, "unknown front matter key 'colour'"),
    ("doc-id", "---\ntitle: T\nid: Big One\n---\n", 3, "front matter: id: document id must"),
    ("missing", "---\ntitle: T\n---\n", 2, "front matter: id: Field required"),
    ("period", "---\nid: x\ntitle: T\nperiod_start: 2020\nperiod_end: 2019\n---\n", 2, "front"),
    ("title-chr", '---\nid: x\n\ntitle: "a\\u202eb"\n---\n', 4, "front matter: title contains"),
    ("meta", "---\nid: x\ntitle: T\nmetadata: [a, b]\n---\n", 4, "front matter: metadata must"),
    ("meta-val", "---\nid: x\ntitle: T\nmetadata:\n  a: [1]\n---\n", 4, "front matter: metadata"),
    ("numbering", "---\nid: x\ntitle: T\nnumbering: odd\n---\n", 4, "front matter: numbering:"),
]
FORMATTING = [
    ("*b*", "emphasis"),
    ("**b**", "strong emphasis"),
    ("[l](http://x.org)", "link"),
    ("<http://x.org>", "autolink"),
    ("![i](a.png)", "image"),
    ("`c`", "code"),
    ("<b>x</b>", "HTML"),
]


@pytest.mark.parametrize(
    ("text", "line", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_errors_name_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_draft(text, "drafts/x.md")
    sep = ":" if message[0].isdigit() else ": "  # a character is placed by line:column
    assert str(info.value).startswith(f"drafts/x.md:{line}{sep}{message}"), str(info.value)
    assert info.value.exit_code == 65


def test_unknown_kind_message_is_exact() -> None:
    with pytest.raises(InputError) as info:
        parse_draft(FRONT + "{#p .operatve}\nText.\n", "drafts/x.md")
    assert str(info.value) == f"drafts/x.md:6: {KIND_MSG}"


@pytest.mark.parametrize(("markdown", "found"), FORMATTING)
def test_formatting_is_refused_and_named(markdown: str, found: str) -> None:
    with pytest.raises(InputError) as info:
        parse_draft(FRONT + f"{{#p .other}}\nplain\nstill plain {markdown} here\n")
    expected = f"<draft>:8: Markdown formatting is not allowed in paragraph text (found {found})"
    assert str(info.value) == expected


def test_error_lines_count_crlf_lines_the_same() -> None:
    text = (FRONT + "# A {#a}\n\n{#p .operatve}\nText.\n").replace("\n", "\r\n")
    with pytest.raises(InputError, match=r"^<draft>:8: unknown paragraph kind"):
        parse_draft("\ufeff" + text)


# -- the round-trip property ------------------------------------------------------------------

PIECES = [
    "*x*",
    "[^1]",
    "{#a}",
    "{#b .operative}",
    "# title",
    "12. foo",
    "1) bar",
    "- item",
    "+ x",
    "> quote",
    "&amp;",
    "&#65;",
    "<b>",
    "</b>",
    "<http://a.b>",
    "\\",
    "\\\\",
    "`",
    "```",
    "~~~",
    "===",
    "\n---\n",
    "\n***\n",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\t",
    "\u00a0",
    "Belém do Pará",
    "—",
    "–",
    "“",
    "”",
    "‘",
    "’",
    "«",
    "»",
    "ñ",
    "ç",
    "Ü",
    "中文",
    "日本語",
    "😀",
    "👩🏽‍⚖️",
    "e\u0301",
    "OP12",
    "RECALLING",
    "1/",
    "[footnoteRef:3]/",
    "|",
    "![i](u)",
    "[l](u)",
    "\r\n",
    "\u202e",
]
CHARS = (
    st.sampled_from(PIECES)
    | st.sampled_from(list(string.punctuation))
    | st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Co", "Cn"])
)


@st.composite
def texts(draw: st.DrawFn, *, newlines: bool = True) -> str:
    raw = "".join(draw(st.lists(CHARS, min_size=1, max_size=24)))
    try:
        value = clean_text(raw) if newlines else clean_line(raw.replace("\n", " "))
    except InputError:
        assume(False)
        raise
    return value


slugs = st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True)
uids = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_-]{0,12}", fullmatch=True)


@st.composite
def documents(draw: st.DrawFn) -> Document:
    start = draw(st.none() | st.integers(1900, 2100))
    end = None if start is None else draw(st.none() | st.integers(start, 2200))
    meta = draw(st.dictionaries(texts(newlines=False), texts(), max_size=3))
    return Document(
        id=draw(slugs),
        title=draw(texts(newlines=False)),
        symbol=draw(st.just("") | texts(newlines=False)),
        period_start=start,
        period_end=end,
        original_language=draw(st.sampled_from(["English", "Español", "Français", "Português"])),
        adopted=draw(st.none() | st.sampled_from(["2014-12-05", "yes", "null", "2015"]) | texts()),
        derived_from=draw(st.none() | slugs),
        numbering=draw(st.sampled_from(list(Numbering))),
        metadata=meta,
    )


@st.composite
def drafts(draw: st.DrawFn) -> Draft:
    document = draw(documents())
    section_ids = draw(st.lists(slugs, unique=True, max_size=5))
    sections: list[Section] = []
    for i, sid in enumerate(section_ids):
        # a parent must be an ancestor-or-self of the previous section (preorder)
        chain = [s.id for s in draft_path(sections)] if sections else []
        parent = draw(st.sampled_from([None, *chain]))
        sections.append(
            Section(id=sid, title=draw(texts(newlines=False)), position=i, parent=parent)
        )
    uid_list = draw(st.lists(uids, unique=True, max_size=6))
    paragraphs = [
        Paragraph(
            uid=uid,
            document=document.id,
            section=draw(st.sampled_from([None, *section_ids])),
            position=i,
            kind=draw(st.sampled_from(list(ParagraphKind))),
            text=draw(texts()),
            lineage=draw(st.none() | st.builds(Lineage, document=slugs, uid=uids)),
            decision=draw(st.sampled_from(list(Decision))),
        )
        for i, uid in enumerate(uid_list)
    ]
    return Draft(document=document, sections=sections, paragraphs=paragraphs)


def draft_path(sections: list[Section]) -> list[Section]:
    """The last section and its ancestors, outermost first."""
    by_id = {s.id: s for s in sections}
    path = [sections[-1]]
    while path[0].parent is not None:
        path.insert(0, by_id[path[0].parent])
    return path


@settings(max_examples=200, deadline=None)
@given(drafts())
def test_write_parse_write_is_lossless(draft: Draft) -> None:
    written = write_draft(draft)
    parsed = parse_draft(written)
    assert write_draft(parsed) == written
    assert_same(parsed, draft)
    assert written.endswith("\n")
    assert not written.endswith("\n\n")
    assert "\n\n\n" not in written
