"""Unit tests: models, text hygiene, printed refs."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workplan.errors import InputError, NotFoundError
from workplan.model import (
    Decision,
    Document,
    Draft,
    Numbering,
    Paragraph,
    ParagraphKind,
    Principal,
    Role,
    Section,
    member_states,
)
from workplan.model.text import clean_line, clean_text


def test_roster_has_35_states_with_flags() -> None:
    states = member_states()
    assert len(states) == 35
    assert len({d.code for d in states}) == 35
    inactive = {d.code for d in states if not d.active}
    assert inactive == {"CUB", "NIC"}
    jam = next(d for d in states if d.code == "JAM")
    assert jam.name_es == "Jamaica"
    assert next(d for d in states if d.code == "LCA").name_es == "Santa Lucía"


def test_text_is_nfc_normalised_and_stripped() -> None:
    decomposed = "Bele\u0301m do Para\u0301  "
    assert clean_text(decomposed) == "Belém do Pará"


@pytest.mark.parametrize("bad", ["a\u202eb", "x\x00y", "tab\x1b[31m", "a\u2066b", "a\u2028b"])
def test_control_and_bidi_characters_are_rejected(bad: str) -> None:
    with pytest.raises(InputError, match="forbidden character U\\+"):
        clean_text(bad)


@pytest.mark.parametrize(
    ("bad", "label"),
    [
        ("a\x07b", "U+0007 (control)"),
        ("a\u202eb", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("a\U000b250eb", "U+B250E (unassigned)"),
        ("a\ue000b", "U+E000 (private use)"),
    ],
)
def test_a_forbidden_character_is_named_for_what_it_is(bad: str, label: str) -> None:
    with pytest.raises(InputError, match=re.escape(f"forbidden character {label}")):
        clean_text(bad)


def test_blank_lines_and_empty_text_rejected() -> None:
    with pytest.raises(InputError, match="blank line"):
        clean_text("one\n\ntwo")
    with pytest.raises(InputError, match="empty"):
        clean_text("   ")
    with pytest.raises(InputError, match="too long"):
        clean_line("x" * 501)


@given(st.text())
def test_clean_text_is_idempotent(value: str) -> None:
    try:
        once = clean_text(value)
    except InputError:
        return
    assert clean_text(once) == once


def _draft(numbering: Numbering = Numbering.CONTINUOUS) -> Draft:
    sections = [
        Section(id="a", title="Area A", position=0),
        Section(id="a-ms", title="Member states", position=1, parent="a"),
        Section(id="b", title="Area B", position=2),
    ]
    kinds = [
        "preambular",
        "preambular",
        "other",
        "operative",
        "operative",
        "operative",
        "follow-up",
    ]
    secs = [None, None, "a", "a-ms", "a-ms", "b", "b"]
    paras = [
        Paragraph(uid=f"u{i}", kind=ParagraphKind(k), section=s, position=i, text=f"text {i}")
        for i, (k, s) in enumerate(zip(kinds, secs, strict=True))
    ]
    return Draft(
        document=Document(id="d", title="D", numbering=numbering),
        sections=sections,
        paragraphs=paras,
    )


def test_refs_are_computed_from_kind_and_order() -> None:
    d = _draft()
    refs = ["PP1", "PP2", "ARE1", "OP1", "OP2", "OP3", "FU1"]  # `other`: by section
    assert [d.refs[f"u{i}"] for i in range(7)] == refs
    assert d.resolve("OP2").uid == "u4"
    assert d.resolve("op3").uid == "u5"
    assert d.resolve("2").uid == "u4"
    assert d.resolve("PP1").uid == "u0"
    assert d.resolve("u2").uid == "u2"
    with pytest.raises(NotFoundError, match="no paragraph 'OP9'"):
        d.resolve("OP9")


def test_per_section_numbering_restarts_in_each_top_section() -> None:
    d = _draft(Numbering.PER_SECTION)
    assert d.refs["u3"] == "a/OP1"
    assert d.refs["u5"] == "b/OP1"
    assert d.resolve("b/OP1").uid == "u5"
    with pytest.raises(InputError, match="ambiguous"):
        d.resolve("OP1")


def test_deleted_paragraphs_are_not_numbered() -> None:
    d = _draft()
    d.paragraphs[3].decision = Decision.DELETED
    d2 = Draft(document=d.document, sections=d.sections, paragraphs=d.paragraphs)
    assert d2.refs["u3"] == ""
    assert d2.refs["u4"] == "OP1"


def test_principals() -> None:
    assert Principal.parse("can").id == "CAN"
    assert Principal.parse("can").role == Role.DELEGATION
    assert Principal.parse("chair").role == Role.CHAIR
    with pytest.raises(InputError, match="unknown principal"):
        Principal.parse("canada")


def test_document_validation() -> None:
    with pytest.raises(ValueError, match="document id"):
        Document(id="Third Plan", title="x")
    with pytest.raises(ValueError, match="before it starts"):
        Document(id="x", title="x", period_start=2027, period_end=2022)
    assert Document(id="x", title="x", period_start=2022, period_end=2027).period == "2022–2027"


def test_the_first_forbidden_character_is_the_one_named() -> None:
    with pytest.raises(InputError, match=r"U\+202E \(RIGHT-TO-LEFT OVERRIDE\) at position 4$"):
        clean_text("abc\u202ed\x00e\u202e")
    with pytest.raises(InputError, match=r"U\+0000 .* at position 2$"):
        clean_text("a\x00b\u202ec")
