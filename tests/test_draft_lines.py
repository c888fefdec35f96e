"""The line reader of the draft format's common case gives markdown-it's Draft, or steps aside.

`draft_lines.read_common` must return exactly what `draft_md._parse` (markdown-it) returns for
every text it accepts, and None for the rest (then `parse_draft` uses markdown-it, which gives
the Draft or the error with its line). Checked on every draft file of the project and on
generated drafts: written ones (which it must all accept) and raw ones built line by line
from pieces markdown-it may read otherwise (escapes, `*`, `#`, `{`, trailing spaces, tabs,
lists, setext underlines, unicode spaces...).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from tests.test_draft_format import drafts

from workplan.errors import InputError
from workplan.formats import draft_md
from workplan.formats.draft_lines import read_common
from workplan.formats.draft_md import parse_draft, write_draft
from workplan.model import Draft
from workplan.model.text import check_file_text

ROOT = Path(__file__).resolve().parents[1]
DRAFT_FILES = sorted(
    [*ROOT.glob("tests/fixtures/*.md"), *ROOT.glob("drafts/*.md")], key=lambda p: p.name
)


def checked(text: str) -> str:
    return check_file_text(text.replace("\r\n", "\n").replace("\r", "\n"), "<draft>")


def markdown_it(text: str) -> Draft | None:
    """What markdown-it's reader gives: the Draft, or None for an error."""
    try:
        return draft_md._parse(text)
    except draft_md._Fail:
        return None


def assert_identical(fast: Draft, slow: Draft) -> None:
    """Equal, and built alike: every field, the fields given, the paragraphs' classes."""
    assert fast == slow
    for a, b in [
        (fast, slow),
        (fast.document, slow.document),
        *zip(fast.sections, slow.sections, strict=True),
    ]:
        assert a.__dict__ == b.__dict__
        assert list(a.__dict__) == list(b.__dict__)
        assert a.model_fields_set == b.model_fields_set
    assert fast.sections == slow.sections
    assert fast.notes == slow.notes
    assert len(fast.paragraphs) == len(slow.paragraphs)
    for a, b in zip(fast.paragraphs, slow.paragraphs, strict=True):
        assert type(a) is type(b)
        assert a.__dict__ == b.__dict__
        assert list(a.__dict__) == list(b.__dict__)
        assert a.model_fields_set == b.model_fields_set
        assert a.model_dump() == b.model_dump()
        assert type(a.lineage) is type(b.lineage)


@pytest.mark.parametrize("path", DRAFT_FILES, ids=lambda p: p.name)
def test_every_draft_file_is_read_line_by_line_as_markdown_it_reads_it(path: Path) -> None:
    text = checked(path.read_text(encoding="utf-8"))
    fast = read_common(text)
    slow = markdown_it(text)
    assert fast is not None, "the project's own drafts are the common case"
    assert slow is not None
    assert_identical(fast, slow)
    assert_identical(parse_draft(path.read_text(encoding="utf-8"), str(path)), slow)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(drafts())
def test_written_drafts_are_the_common_case(draft: Draft) -> None:
    text = checked(write_draft(draft))
    fast = read_common(text)
    assert fast is not None
    slow = markdown_it(text)
    assert slow is not None
    assert_identical(fast, slow)


# -- raw drafts, line by line -------------------------------------------------------------------

PIECES = [
    "word", "Word", "OP12", " ", " ", "  ", "\t", "\\", "\\\\", "\\*", "\\#", "\\{", "\\-",
    "\\&", "\\\\\\", "\\a", "\\é", "*", "**", "_", "#", "{", "}", "{#x}", "[", "]", "[l](u)",
    "<", ">", "<b>", "&", "&amp;", "&#x200b;", "!", "`", "~", "|", "-", "+", "=", "1.", "2)",
    ".", ":", '"', "'", "%", "é", "e\u0301", "\xa0", "\u3000", "\u2003", "日本", "😀", "ñ",
]  # fmt: skip
STARTS = ["", " ", "\u0661. ", "\u0662", "    ", "\t", "#", "# ", "## ", ">", "- ", "-", "+ ",
          "* ", "*", "=", "===",
          "---", "___", "1. ", "1) ", "12.", "```", "~~~", "<div>", "{", "[a]: u", "|", "\\",
          "\xa0"]  # fmt: skip
ENDS = ["", " ", "  ", "   ", "\\", " \\", "\\ ", "\t", "\xa0", "#", " #", "}"]


FIRST = ["word", "Word", "OP12", "é", "日本", "😀", "(a)", "«"]
PLAIN = ["word", "Word ", "OP12", " ", "é", "日本", "😀", ".", ",", ":", "\xa0", "(a)", "1"]


@st.composite
def text_lines(draw: st.DrawFn) -> str:
    tricky = draw(st.integers(0, 5)) == 3
    pieces = st.sampled_from(PIECES if tricky else PLAIN)
    first = draw(pieces if tricky else st.sampled_from(FIRST))
    body = first + "".join(draw(st.lists(pieces, max_size=8)))
    start = draw(st.sampled_from(STARTS)) if draw(st.integers(0, 11)) == 3 else ""
    end = draw(st.sampled_from(ENDS)) if draw(st.integers(0, 5)) == 3 else ""
    return start + body + end


UIDS = ["p1", "p2", "P_3", "a-b", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"]
UIDS += ["p1", "é", "p 1", "-x", "N1", "N2"]
KINDS = ["operative", "preambular", "follow-up", "other", "operative", "note", "operatve"]
PAIRS = [
    'from="doc/p9"', 'from="bad"', 'status="agreed"', 'status="done"', 'section=""',
    'section="s1"', 'section="s2"', 'section="zz"', 'paragraphs="p1"', 'paragraphs="p1 p2"',
    'paragraphs="zz"', 'colour="red"', 'onclick="x"', 'id="x"', 'class="other"', "status=agreed",
    'status="agreed"',
]  # fmt: skip


@st.composite
def attr_lines(draw: st.DrawFn) -> str:
    uid, kind = draw(st.sampled_from(UIDS)), draw(st.sampled_from(KINDS))
    if draw(st.integers(0, 5)) == 3:
        pairs = draw(st.lists(st.sampled_from(PAIRS), max_size=3))
    else:  # most lines are right
        pairs = draw(st.lists(st.sampled_from(PAIRS[:6]), max_size=2, unique=True))
    line = "{" + " ".join([f"#{uid}", f".{kind}", *pairs]) + "}"
    variant = draw(st.integers(0, 60))
    variants = {
        51: line + " ",
        52: " " + line,
        53: line.replace(" ", "  ", 1),
        54: "{" + f".{kind} #{uid}" + "}",
        55: "{" + f"#{uid}" + "}",
        56: line[:-1],
        57: line + "x",
        58: "{" + f"#{uid} .{kind} .other" + "}",
    }
    return variants.get(variant, line)


@st.composite
def headings(draw: st.DrawFn) -> str:
    level = draw(st.sampled_from([1, 1, 1, 2, 2, 3, 7]))
    title = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=4)))
    sid = draw(st.sampled_from(["s1", "s2", "s1", "s2", "S3", "zz"]))
    line = "#" * level + " " + title + " {#" + sid + "}"
    variant = draw(st.integers(0, 30))
    variants = {51: line + "  ", 52: line + " #", 53: line.replace(" ", "", 1), 54: " " + line}
    return variants.get(variant, line)


@st.composite
def blocks(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 19))
    if kind <= 13:
        lines = draw(st.lists(text_lines(), min_size=1, max_size=3) | st.lists(text_lines()))
        return "\n".join([draw(attr_lines()), *lines])
    if kind <= 17:
        return draw(headings())
    if kind == 18:
        return draw(text_lines())
    return draw(st.sampled_from(["", " ", "\t", "  \t"]))


FRONTS = [
    "---\nid: doc\ntitle: T\n---",
    "---\nid: doc\ntitle: 'T {#x} \\\\ *y*'\nsymbol: S/1\nmetadata:\n  organ: A\n---",
    "---\nid: doc\ntitle: T\n--- ",
    "---\nid: doc\ntitle: T\n...",
    "---\nid: doc\ntitle: T\n  ---\n---",
    "---\nid: Doc\ntitle: T\n---",
    "---\n---",
    "---\nid: doc\ntitle: T",
    "----\nid: doc\ntitle: T\n----",
    "\n---\nid: doc\ntitle: T\n---",
]


@st.composite
def raw_drafts(draw: st.DrawFn) -> str:
    front = draw(st.sampled_from(FRONTS)) if draw(st.integers(0, 7)) == 3 else FRONTS[0]
    parts = [front]
    for block in draw(st.lists(blocks(), max_size=6)):
        seps = ["\n\n"] * 12 + ["\n", "\n  \n", "\n\n\n", "\n\t\n"]
        parts.append(draw(st.sampled_from(seps)))
        parts.append(block)
    return "".join(parts) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_drafts())
def test_line_reader_gives_markdown_its_draft_or_steps_aside(text: str) -> None:
    try:
        text = checked(text)
    except InputError:
        assume(False)
    fast = read_common(text)
    slow = markdown_it(text)
    event("line reader" if fast is not None else "markdown-it")
    if fast is not None:
        assert slow is not None, "the line reader accepted a draft markdown-it refuses"
        assert_identical(fast, slow)


def test_line_reader_steps_aside_for_errors_with_their_lines() -> None:
    """Errors come from markdown-it's reader, with the line it names."""
    front = "---\nid: x\ntitle: T\n---\n\n"
    cases = [
        (front + "{#p .operative}\nOne.\n\n{#p .other}\nTwo.\n", 10, "duplicate paragraph uid"),
        (front + "{#p .operative}\nOne *a*\n", 7, "Markdown formatting is not allowed"),
        (front + "{#p .operative}\nOne\n- two\n", 8, "a bulleted list is not allowed"),
        ("---\nid: x\ntitle: T\nnumbering: [a]\n---\n", 4, "front matter: numbering:"),
        ("---\nid: x\ntitle: T\nperiod_start: '2020'\n---\n{#p .other}\nA\n", 0, ""),
        ("---\nid: x\ntitle: 2020\n---\n", 3, "front matter: title: Input should be"),
    ]
    for text, line, message in cases:
        if not line:  # no error: validated (a text where a number is), same Draft
            fast, slow = read_common(checked(text)), markdown_it(checked(text))
            assert fast is not None
            assert slow is not None
            assert_identical(fast, slow)
            continue
        assert read_common(checked(text)) is None
        with pytest.raises(InputError, match=rf"^<draft>:{line}: {message}"):
            parse_draft(text)


def test_plain_text_with_escapes_and_breaks() -> None:
    text = (
        "---\nid: x\ntitle: T\n---\n\n# Title \\*1\\* {#a}\n\n"
        "{#p .operative}\nOne \\*two\\* \\a   three  \nfour\\\nfive \nsix\\\n"
    )
    fast = read_common(checked(text))
    assert fast is not None
    assert fast.sections[0].title == "Title *1*"
    assert fast.paragraphs[0].text == "One *two* \\a three\nfour\nfive six\\"
    assert_identical(fast, draft_md._parse(checked(text)))


@pytest.mark.parametrize(
    "line", ["\u0661. Arabic-Indic digits open no list", "2022 was the year", "\xa0# not a heading"]
)
def test_lines_markdown_reads_as_text_are_read_line_by_line(line: str) -> None:
    text = checked("---\nid: x\ntitle: T\n---\n\n{#p .operative}\n" + line + "\n")
    fast = read_common(text)
    assert fast is not None
    assert_identical(fast, draft_md._parse(text))
