"""OAS plain text: reading Word-converted texts and our own, writing it, and reading it back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workplan.errors import InputError
from workplan.formats.oas_text import parse_oas_text, write_oas_text
from workplan.model import ParagraphKind, member_states
from workplan.model.oas import (
    OasDocument,
    OasParagraph,
    OasReservation,
    guess_delegation,
    is_chapeau,
    is_preambular,
)

FIXTURES = Path(__file__).parent / "fixtures"
CONVERTED = (FIXTURES / "oas_recommendations.txt").read_text(encoding="utf-8")
CLEAN = (FIXTURES / "oas_clean.txt").read_text(encoding="utf-8")

Shape = list[tuple[str, str, list[tuple[str | None, str]]]]


def _shape(doc: OasDocument) -> Shape:
    """Paragraph kinds and texts, with the (delegation, text) of each reservation attached."""
    res = {r.key: r for r in doc.reservations}
    return [
        (
            str(p.kind),
            p.text,
            [(res[k].delegation, res[k].text) for k in p.reservations],
        )
        for p in doc.paragraphs
    ]


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- the Word-converted format -------------------------------------------------------------


def test_converted_text_counts_and_anatomy() -> None:
    doc = parse_oas_text(CONVERTED, "rec.txt")
    assert doc.count("preambular") == 8
    assert doc.count(ParagraphKind.OPERATIVE) == 6
    assert doc.count("follow-up") == 4
    assert [p.role for p in doc.paragraphs if p.kind == "other"] == ["opening", "chapeau"]
    assert doc.chapeau == ["RECOMMEND:"]
    assert doc.follow_up_heading == "FOLLOW-UP:"
    assert doc.paragraphs[0].text.startswith("We, the Ministers")
    assert doc.title is None
    assert doc.header == []
    ops = [p for p in doc.paragraphs if p.kind == "operative"]
    assert [p.printed_number for p in ops] == ["1", "2", "3", "4", "5", "6"]
    assert ops[1].text.startswith("Training police")  # "\t2.\t" stripped
    assert ops[2].text.startswith("Promoting the exchange")  # "3. \t" stripped
    follow_ups = [p for p in doc.paragraphs if p.kind == "follow-up"]
    assert [p.printed_number for p in follow_ups] == ["1"] * 4  # kept as data only
    assert all(p.section == "follow-up" for p in follow_ups)
    assert any("follow-up" in w for w in doc.warnings)
    # preambular openers, including two paragraphs on consecutive lines
    openers = [p.text.split(" the")[0] for p in doc.paragraphs if p.kind == "preambular"]
    assert "RECALLING, likewise, that" in openers
    assert {"FURTHER RECOGNIZING", "DRAWING ATTENTION to", "TAKING INTO ACCOUNT that"} <= set(
        openers
    )


def test_converted_text_is_kept_exactly() -> None:
    doc = parse_oas_text(CONVERTED, "rec.txt")
    texts = [p.text for p in doc.paragraphs]
    assert (
        "EMPHASIZING the importance of reliable data, collected in line with each state’s laws"
        " on personal information (“data protection”);"
    ) in texts
    assert texts[3] == (
        "RECOGNIZING that prevention policies must take into account the age, gender, sexual"
        " diversity and disability of the persons concerned;"
    )
    assert not any("[" in t or "\t" in t for t in texts)


def test_converted_footnotes_become_three_reservations_resolved_from_idem() -> None:
    doc = parse_oas_text(CONVERTED, "rec.txt")
    assert doc.footnotes == 15
    assert doc.footnote_offset == 1
    assert [r.delegation for r in doc.reservations] == ["GTM", "BRB", "VCT"]
    places = [3, 7, 11, 13, 14]  # two preambular paragraphs and operative 2, 4 and 5
    for i, r in enumerate(doc.reservations):
        assert r.key == f"R{i + 1}"
        assert r.printed == [i + 1, i + 4, i + 7, i + 10, i + 13]
        assert r.paragraphs == places
    for p in places:
        assert doc.paragraphs[p].reservations == ["R1", "R2", "R3"]
        assert "sexual" in doc.paragraphs[p].text
    assert doc.paragraphs[3].calls == [1, 2, 3]
    assert doc.paragraphs[14].calls == [13, 14, 15]
    gtm, brb, vct = (r.text for r in doc.reservations)
    assert gtm.startswith("Guatemala joins the consensus")  # prefix ". \t" stripped
    assert "forced labour and sexual exploitation. Barbados nevertheless" in brb
    assert "\n" not in brb
    # cut after "The Government …", continued over three paragraphs in FOOTNOTES
    paras = vct.split("\n\n")
    assert len(paras) == 3
    assert "survivors. The Government will give effect to these recommendations" in paras[0]
    assert paras[1].startswith("In that spirit")
    assert paras[2].startswith("Saint Vincent")
    assert not any("…" in r.text for r in doc.reservations)


def test_offset_is_detected_from_the_first_call() -> None:
    text = (
        "RECALLING the plan;[footnoteRef:5]/ [5: .\tParaguay joins the consensus.]\n\n"
        "RESOLVES:\n\n1.\tTo act.[footnoteRef:6]/ [6:\tIdem 1]\n"
    )
    doc = parse_oas_text(text, "t")
    assert doc.footnote_offset == 4
    assert doc.reservations[0].printed == [1, 2]
    same = parse_oas_text(text.replace(":5]", ":1]").replace("[5:", "[1:").replace("6", "2"), "t")
    assert same.footnote_offset == 0
    assert same.reservations[0].paragraphs == [0, 2]


def test_inline_body_over_several_lines_keeps_its_paragraphs() -> None:
    text = (
        "RECALLING the plan;[footnoteRef:2]/ [2: .\tThe Government of Canada notes [sic] this.\n"
        "\n\tIt will report.]\n\nRESOLVES:\n"
    )
    doc = parse_oas_text(text, "t")
    r = doc.reservations[0]
    assert r.text == "The Government of Canada notes [sic] this.\n\nIt will report."
    assert r.delegation == "CAN"
    assert [p.text for p in doc.paragraphs] == ["RECALLING the plan;", "RESOLVES:"]


def test_crlf_bom_and_idem_of_an_idem() -> None:
    text = (
        "\ufeffRECALLING one;[footnoteRef:2]/ [2: .\tSuriname joins.]\r\n"
        "RECALLING two;[footnoteRef:3]/ [3: .\tIdem 1]\r\n"
        "RECALLING three;[footnoteRef:4]/ [4: .\tIdem 2.]\r\n"
    )
    doc = parse_oas_text(text, "t")
    assert len(doc.reservations) == 1
    assert doc.reservations[0].printed == [1, 2, 3]
    assert doc.reservations[0].delegation == "SUR"


# --- our own clean OAS style ---------------------------------------------------------------


def test_clean_text_with_header_sections_and_oas_calls() -> None:
    doc = parse_oas_text(CLEAN, "clean.txt")
    assert doc.header[0] == "PERMANENT COUNCIL OF THE"
    assert doc.header[-1] == "Original: Spanish"
    assert "CP/CSH-2100/25 rev. 4" in doc.header
    assert "3 March 2026" in doc.header
    assert doc.title == "Draft Work Plan against Trafficking in Persons (2026–2030)"
    assert doc.headings == ["I. PREVENTION", "II. PROTECTION"]
    assert doc.footnote_offset == 0
    assert doc.footnotes == 8
    roles = [p.role for p in doc.paragraphs]
    assert roles == ["preambular", "preambular", "chapeau"] + ["operative"] * 3 + ["follow-up"] * 2
    assert [p.section for p in doc.paragraphs[3:]] == [
        "I. PREVENTION",
        "I. PREVENTION",
        "II. PROTECTION",
        "follow-up",
        "follow-up",
    ]
    # the call after "2024" is told apart from the year by the footnote that follows
    assert doc.paragraphs[4].text.endswith("by the end of 2024")
    assert doc.paragraphs[4].calls == [4]
    jam, col, pry = doc.reservations
    assert (jam.delegation, col.delegation, pry.delegation) == ("JAM", "COL", "PRY")
    assert jam.paragraphs == [0, 3, 5]
    assert col.printed == [3, 6]
    assert pry.printed == [4, 7, 8]
    assert col.text.endswith("nation.\n\nColombia will report on these campaigns every two years.")
    assert "and that none of the terms used in it may be read" in pry.text
    assert pry.text.endswith("\n\nParaguay reaffirms its commitment to the victims of trafficking.")
    assert not any("Record chain head" in p.text for p in doc.paragraphs)
    assert doc.warnings == []


def test_trailing_number_slash_without_footnote_text_is_kept_and_reported() -> None:
    doc = parse_oas_text("RESOLVES:\n\n1.\tTo meet in 2027.8/\n", "t")
    assert doc.paragraphs[1].text == "To meet in 2027.8/"
    assert doc.paragraphs[1].calls == []
    assert any("8/" in w for w in doc.warnings)


# --- writing, and reading back --------------------------------------------------------------


@pytest.mark.parametrize("max_length", [600, 120])
@pytest.mark.parametrize("text", [CONVERTED, CLEAN], ids=["converted", "clean"])
def test_write_then_parse_gives_the_same_document(text: str, max_length: int) -> None:
    doc = parse_oas_text(text, "in")
    out = write_oas_text(doc, max_length=max_length)
    again = parse_oas_text(out, "out")
    assert _shape(again) == _shape(doc)
    assert [p.section for p in again.paragraphs] == [p.section for p in doc.paragraphs]
    assert (again.header, again.title) == (doc.header, doc.title)
    assert again.warnings == []


def test_writer_prints_oas_style() -> None:
    doc = parse_oas_text(CONVERTED, "in")
    header = ["PERMANENT COUNCIL OF THE", "CP/CSH-2200/26 rev. 9", "Original: English"]
    title = "Recommendations of the Ninth Meeting"
    out = write_oas_text(doc, header=header, title=title, max_length=300)
    lines = out.splitlines()
    assert lines[:5] == [*header, "", title]
    assert "persons concerned;1/2/3/" in out
    assert "particular risks;4/5/6/" in out
    assert "\n4. Idem 1\n5. Idem 2\n6. Idem 3\n" in out
    assert "1. Guatemala joins the consensus" in out
    assert "\n2.\tTraining police" in out
    assert "\n6.\tRequesting the Committee" in out
    follow_ups = [ln for ln in lines if ln.startswith(("1.\tTo", "2.\tTo", "3.\tTo", "4.\tTo"))]
    assert [ln[:2] for ln in follow_ups] == ["1.", "2.", "3.", "4."]  # renumbered
    head, _, tail = out.partition("\nFOOTNOTES\n")
    assert "The Government of Saint Vincent" in head  # the long one continues
    assert tail
    assert "3. … " in tail
    assert "\n    Saint Vincent and the Grenadines, however," in tail
    again = parse_oas_text(out, "out")
    assert again.header == header
    assert again.title == title
    assert _shape(again) == _shape(doc)


def test_writer_rejects_an_unknown_reservation() -> None:
    doc = OasDocument(
        paragraphs=[OasParagraph(kind=ParagraphKind.OPERATIVE, text="Act.", reservations=["R9"])]
    )
    with pytest.raises(InputError, match="R9"):
        write_oas_text(doc)


_WORDS = st.lists(st.sampled_from(["plan", "states", "data", "law", "of", "2027", "12", "3/"]))
_SENTENCE = st.builds(lambda w: " ".join(["the", *w]), _WORDS)
_END = st.sampled_from(["", ".", ";", " 2027", "…"])  # a year or "…" before the calls too
_PARA = st.one_of(
    st.builds(lambda s, e: ("preambular", f"RECALLING {s}{e}"), _SENTENCE, _END),
    st.builds(lambda s, e: ("operative", f"Adopting {s}{e}"), _SENTENCE, _END),
    st.builds(lambda s, e: ("follow-up", f"To report on {s}{e}"), _SENTENCE, _END),
)
_RESERVATION = st.tuples(
    st.sampled_from(["Paraguay", "The Government of Jamaica", "Saint Lucia", "Peru"]),
    st.lists(_SENTENCE, min_size=1, max_size=3),
).map(
    lambda p: "\n\n".join(
        f"{p[0]} notes {s}." if i == 0 else f"It notes {s}." for i, s in enumerate(p[1])
    )
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    paras=st.lists(_PARA, min_size=1, max_size=8),
    texts=st.lists(_RESERVATION, min_size=1, max_size=3, unique=True),
    links=st.lists(st.lists(st.integers(0, 2), max_size=3), max_size=8),
    max_length=st.integers(min_value=20, max_value=200),
)
def test_round_trip_property(
    paras: list[tuple[str, str]], texts: list[str], links: list[list[int]], max_length: int
) -> None:
    order = {"preambular": 0, "operative": 1, "follow-up": 2}
    paras = sorted(paras, key=lambda p: order[p[0]])
    reservations = [OasReservation(key=f"R{i + 1}", text=t) for i, t in enumerate(texts)]
    doc = OasDocument(
        paragraphs=[
            OasParagraph(
                kind=ParagraphKind(kind),
                text=text,
                reservations=list(
                    dict.fromkeys(
                        f"R{k % len(texts) + 1}" for k in (links[i] if i < len(links) else [])
                    )
                ),
            )
            for i, (kind, text) in enumerate(paras)
        ],
        reservations=reservations,
    )
    again = parse_oas_text(write_oas_text(doc, max_length=max_length), "out")
    assert [(str(p.kind), p.text) for p in again.paragraphs] == [
        (str(p.kind), p.text) for p in doc.paragraphs
    ]
    text_of = {r.key: r.text for r in again.reservations}
    wanted = {r.key: r.text for r in reservations}
    assert [[text_of[k] for k in p.reservations] for p in again.paragraphs] == [
        [wanted[k] for k in p.reservations] for p in doc.paragraphs
    ]


# --- errors ----------------------------------------------------------------------------------

Mutation = Callable[[str], str]
ERRORS: list[tuple[str, Mutation, str, str]] = [
    (
        "unclosed body",
        lambda t: t.replace("domestic legislation.]", "domestic legislation."),
        "[2: ",
        "footnote body '[2:' is not closed",
    ),
    (
        "call without body",
        lambda t: t.replace("  [10: .\tIdem 3]", ""),
        "[footnoteRef:10]",
        "footnote 9 is called but has no text",
    ),
    (
        "idem to an unknown number",
        lambda t: t.replace("Idem 2.]", "Idem 12.]"),
        "Idem 12.]",
        "footnote 8 says Idem 12, but there is no earlier footnote 12",
    ),
    (
        "unclosed call",
        lambda t: t.replace("[footnoteRef:5]/", "[footnoteRef:5/"),
        "[footnoteRef:5/",
        "a footnote call '[footnoteRef:' is not closed",
    ),
    (
        "body twice",
        lambda t: t.replace("[16: . \tIdem 3]", "[15: . \tIdem 3]"),
        "[15: . \tIdem 3]",
        "footnote body '[15:' appears twice",
    ),
    (
        "text before a number in FOOTNOTES",
        lambda t: t.replace("FOOTNOTES\n\n", "FOOTNOTES\n\nStray text.\n"),
        "Stray text.",
        "text in the FOOTNOTES section before any footnote number",
    ),
    (
        "two FOOTNOTES sections",
        lambda t: t.replace("FOLLOW-UP:\n", "FOOTNOTES\n"),
        "FOOTNOTES\n\n\t2.",
        "a second FOOTNOTES section (after line 30)",
    ),
    (
        "call inside a body",
        lambda t: t.replace("[5:   \tIdem 1.]", "[5:   \tIdem 1.[footnoteRef:9]/]"),
        "[5:   \tIdem",
        "footnote body '[5:' holds a footnote call",
    ),
    (
        "forbidden character",
        lambda t: t.replace("hybrid format", "hybrid\u202eformat"),
        "hybrid\u202eformat",
        ":159: contains a forbidden character U+202E (RIGHT-TO-LEFT OVERRIDE)",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "where", "message"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_malformed_converted_text_names_file_and_line(
    mutate: Mutation, where: str, message: str
) -> None:
    bad = mutate(CONVERTED)
    assert bad != CONVERTED
    with pytest.raises(InputError) as info:
        parse_oas_text(bad, "bad.txt")
    assert str(info.value).startswith(f"bad.txt:{_line_of(bad, where)}:")  # :column: for a char
    assert message in str(info.value)
    assert info.value.exit_code == 65


def test_malformed_clean_text_names_file_and_line() -> None:
    missing = CLEAN.replace(
        "3. Colombia supports this paragraph and notes that its Constitution recognises the"
        " plurality of the nation.\n    Colombia will report on these campaigns every two years.\n",
        "",
    )
    line = _line_of(missing, "1.\tDesigning")
    with pytest.raises(InputError, match=f"^clean.txt:{line}: footnote 3 is called but has no"):
        parse_oas_text(missing, "clean.txt")
    later = CLEAN.replace("2. Idem 1\n", "2. Idem 2\n")
    line = _line_of(later, "2. Idem 2")
    with pytest.raises(InputError, match=f"^c:{line}: footnote 2 says Idem 2, but there is no"):
        parse_oas_text(later, "c")


# --- anatomy rules ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("RECALLING the plan;", True),
        ("RECALLING, likewise, that crimes may be related;", True),
        ("FURTHER RECOGNIZING the determination of states;", True),
        ("TAKING INTO ACCOUNT the misuse of technology;", True),
        ("DRAWING ATTENTION to forms of exploitation;", True),
        ("RECALLING ALSO resolution AG/RES. 2950 (L-O/20);", True),
        ("CONVINCED that cooperation is needed;", True),
        ("CONSIDERANDO que la trata de personas es un delito;", True),
        ("THIRD WORK PLAN TO COMBAT TRAFFICKING IN PERSONS", False),
        ("UNITED NATIONS General Assembly resolutions apply.", False),
        ("OAS member states will act.", False),
        ("We, the National Authorities,", False),
        ("RECOMMEND:", False),
    ],
)
def test_preambular_openers(text: str, expected: bool) -> None:
    assert is_preambular(text) is expected


def test_chapeau_lines() -> None:
    assert all(is_chapeau(t) for t in ("RECOMMEND:", "RESOLVES:", "DECIDE:", "FOLLOW-UP:"))
    assert not any(is_chapeau(t) for t in ("Recommend:", "RECOMMEND", "1. TO ACT:"))


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Paraguay joins the consensus on the understanding that…", "PRY"),
        ("The Government of Jamaica is committed… in accordance with the Constitution.", "JAM"),
        ("The Government of Canada, like Mexico, joins the consensus.", "CAN"),
        ("Like Mexico, the Government of Canada joins the consensus.", "CAN"),
        ("El Gobierno de México se suma al consenso.", "MEX"),
        ("The Dominican Republic joins.", "DOM"),
        ("The Commonwealth of Dominica joins.", "DMA"),
        ("The Government of The Bahamas joins.", "BHS"),
        ("St. Lucia joins the consensus.", "LCA"),
        ("Saint Vincent and the Grenadines joins.", "VCT"),
        ("Trinidad and Tobago joins; so does the United States.", "TTO"),
        ("A delegation joins the consensus.", None),
    ],
)
def test_guess_delegation(text: str, code: str | None) -> None:
    assert guess_delegation(text) == code
    assert guess_delegation(text, member_states()) == code


def test_unattributed_reservation_is_kept_and_reported() -> None:
    text = "RECALLING the plan;[footnoteRef:2]/ [2: .\tOne delegation joins the consensus.]\n"
    doc = parse_oas_text(text, "t")
    assert doc.reservations[0].delegation is None
    assert any("R1 is unattributed" in w for w in doc.warnings)
