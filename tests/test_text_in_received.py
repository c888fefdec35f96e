"""Texts as delegates receive them: options inside a paragraph, numbering restarting under
headings, the UN date of adoption, the original language in any language, and a symbol's
revision carried on by `revise`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from workplan.cli import cli
from workplan.formats.text_in import parse_text
from workplan.formats.text_in.header import adoption_date, read_header
from workplan.formats.text_in.options import fold_options, offers_options
from workplan.model.document import Document, Numbering, Section
from workplan.model.lexicon import (
    LANGUAGE_NAMES,
    is_option_line,
    language_code,
    language_name,
)
from workplan.model.oas import OasDocument, OasParagraph, OasReservation
from workplan.model.refs import printed_refs

OWN = Path(__file__).parent / "fixtures" / "text_in"


def _wp(db: Path):
    def run(*args: str) -> str:
        r = CliRunner().invoke(cli, ["--db", str(db), "--as", "SECRETARIAT", *args])
        assert r.exit_code == 0, r.output
        return r.output

    return run


# --- the original language -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("printed", "stored"),
    [
        ("español", "Spanish"),
        ("inglés", "English"),
        ("SPANISH", "Spanish"),
        ("français", "French"),
        ("português", "Portuguese"),
        ("Espagnol", "Spanish"),
        ("ingles", "English"),
        ("Russian", "Russian"),
    ],
)
def test_the_original_language_is_stored_by_one_name(printed: str, stored: str) -> None:
    assert language_name(printed) == stored
    assert read_header([f"Original: {printed}"], None, [])["original_language"] == stored
    assert read_header([f"ORIGINAL: {printed}"], None, [])["original_language"] == stored


def test_the_language_table_names_four_languages_in_four_languages() -> None:
    assert set(LANGUAGE_NAMES) == {"en", "es", "fr", "pt"}
    for code, names in LANGUAGE_NAMES.items():
        assert set(names) == {"en", "es", "fr", "pt"}
        assert all(language_code(n) == code for n in names.values())


def test_an_imported_spanish_original_exports_as_original_spanish(tmp_path: Path) -> None:
    wp = _wp(tmp_path / "x.db")
    wp("import", str(OWN / "es_wrapped.txt"), "--id", "es")
    assert json.loads(wp("meta", "es", "--json"))["original_language"] == "Spanish"
    assert "\nOriginal: Spanish\n" in wp("export", "es", "--format", "txt", "--include", "all")


# --- the date of adoption ------------------------------------------------------------------


def test_the_adoption_line_gives_the_date_in_each_language() -> None:
    assert adoption_date("Resolution adopted by the General Assembly on 4 December 2025") == (
        "2025-12-04"
    )
    assert adoption_date("Resolución aprobada por la Asamblea General el 4 de diciembre de 2025")
    assert adoption_date("Résolution adoptée par l'Assemblée générale le 1er décembre 2025") == (
        "2025-12-01"
    )
    assert adoption_date("Resolução adotada pela Assembleia Geral em 4 de dezembro de 2025")
    assert adoption_date("Recalling its resolution adopted on 4 December 2025") is None


def test_a_un_resolution_is_dated_by_its_adoption_and_keeps_its_distribution_date() -> None:
    r = parse_text((OWN / "un_style.txt").read_text(encoding="utf-8"), "un")
    assert r.header["date"] == r.header["adopted_on"] == "2025-12-10"
    assert r.header["distributed"] == "2025-12-12"


def test_an_adoption_line_under_the_title_is_read_too() -> None:
    text = (OWN / "un_style.txt").read_text(encoding="utf-8")
    text = text.replace("Resolution adopted by the General Assembly on 10 December 2025\n\n", "")
    text = text.replace(
        "The General Assembly,",
        "Resolución aprobada por la Asamblea General el 4 de diciembre de 2025\n\n"
        "[sin remisión previa a una Comisión Principal (A/80/L.5)]\n\nThe General Assembly,",
    )
    r = parse_text(text, "un")
    assert r.header["date"] == "2025-12-04"
    assert r.header["distributed"] == "2025-12-12"
    assert r.missing == []


def test_the_import_report_and_metadata_carry_both_dates(tmp_path: Path) -> None:
    wp = _wp(tmp_path / "x.db")
    out = wp("import", str(OWN / "un_style.txt"), "--id", "un", "--agreed")
    assert "Adopted on: 2025-12-10" in out
    assert "Distributed: 2025-12-12" in out
    meta = json.loads(wp("meta", "un", "--json"))
    assert meta["adopted"] == "2025-12-10"
    assert meta["metadata"]["distributed"] == "2025-12-12"


# --- options and restarted numbering -------------------------------------------------------


def test_option_lines_in_every_language() -> None:
    for line in ("Option 1: To act", "[Opción A]", "Alternative text:", "Variante B –", "Opção 2:"):
        assert is_option_line(line), line
    for line in ("Alternative development is welcome.", "Optional protocols", "Options are"):
        assert not is_option_line(line), line
    assert offers_options("To decide:\nOption 1: to act")
    assert not offers_options("To act.")


def _para(role: str, text: str, number: str | None = None, line: int = 0) -> OasParagraph:
    kind = "operative" if role == "operative" else "other"
    return OasParagraph(kind=kind, role=role, text=text, printed_number=number, line=line)  # type: ignore[arg-type]


def test_fold_options_keeps_restarted_items_in_their_paragraph() -> None:
    lines = ["1. To act.", "2. Option 1: To create a fund that:", "1) receives gifts;", "x"]
    doc = OasDocument(
        paragraphs=[
            _para("operative", "To act.", "1", 1),
            _para("operative", "Option 1: To create a fund that:", "2", 2),
            _para("operative", "receives gifts;", "1", 3),
            _para("operative", "pays for lawyers.", "2"),
            _para("text", "Option 2: To ask for a study."),
            _para("operative", "To report.", "3"),
        ],
        reservations=[OasReservation(key="R1", text="Peru joins.", paragraphs=[3, 5])],
    )
    doc.paragraphs[3].reservations = ["R1"]
    folded = fold_options(doc, lines)
    assert [p.printed_number for p in doc.paragraphs] == ["1", "2", "3"]
    assert doc.paragraphs[1].text == (
        "Option 1: To create a fund that:\n1) receives gifts;\n2. pays for lawyers.\n"
        "Option 2: To ask for a study."
    )
    assert doc.paragraphs[1].reservations == ["R1"]
    assert doc.reservations[0].paragraphs == [1, 2]
    assert [(f.number, f.options, f.items) for f in folded] == [("2", 2, 2)]


def test_a_list_announcing_more_items_goes_on_past_the_next_operative_number() -> None:
    doc = OasDocument(
        paragraphs=[
            _para("operative", "To ask the Council to:", "2"),
            _para("operative", "meet;", "1"),
            _para("operative", "report; and", "2"),
            _para("operative", "close the item.", "3"),
            _para("operative", "To end.", "3"),
        ]
    )
    fold_options(doc, [])
    assert [p.printed_number for p in doc.paragraphs] == ["2", "3"]
    assert doc.paragraphs[0].text.endswith("\n3. close the item.")


def test_options_and_lettered_items_stay_in_their_operative_paragraph() -> None:
    r = parse_text((OWN / "options_en.txt").read_text(encoding="utf-8"), "options")
    ops = [p for p in r.doc.paragraphs if p.role == "operative"]
    assert [p.printed_number for p in ops] == ["1", "2", "3", "4", "5"]
    assert ops[1].text.split("\n") == [
        "Option 1: To establish a working group that:",
        "1. meets twice a year;",
        "2. reports to the Permanent Council.",
        "Option 2: To entrust the Committee on Hemispheric Security with:",
        "1. an annual review of the plan;",
        "2. a report to the General Assembly.",
    ]
    assert ops[3].text.endswith(":\na) hold a special meeting;\nb) report back.")
    assert r.doc.warnings == []
    assert r.missing == []


def test_printed_refs_continuous_or_per_section() -> None:
    secs = [Section(id="a", title="A"), Section(id="b", title="B", position=1)]
    assert printed_refs([("u1", None, "1"), ("u2", None, "1 bis")], secs) == (
        Numbering.CONTINUOUS,
        {"u1": "OP1", "u2": "OP1 bis"},
    )
    assert printed_refs([("u1", "a", "1"), ("u2", "b", "1"), ("u3", "b", "1 bis")], secs) == (
        Numbering.PER_SECTION,
        {"u1": "a/OP1", "u2": "b/OP1", "u3": "b/OP1 bis"},
    )
    assert printed_refs([("u1", "a", "1"), ("u2", "a", "1")], secs) is None


def test_numbering_restarting_under_headings_is_kept_and_round_trips(tmp_path: Path) -> None:
    wp = _wp(tmp_path / "x.db")
    out = wp("import", str(OWN / "sections_es.txt"), "--id", "sec")
    assert "numbered from 1 under each heading" in out
    assert "Options: OP" in out
    shown = json.loads(wp("show", "sec", "--json"))["paragraphs"]
    assert [p["ref"] for p in shown] == [
        "i-prevencion/OP1",
        "i-prevencion/OP2",
        "i-prevencion/OP2 bis",
        "ii-proteccion/OP1",
        "ii-proteccion/OP2",
        "ii-proteccion/OP3",
    ]
    assert shown[4]["text"].split("\n")[1] == "a) reciba contribuciones voluntarias;"
    exported = tmp_path / "sec.txt"
    wp("export", "sec", "--format", "txt", "--include", "all", "-o", str(exported))
    wp("import", str(exported), "--id", "back")
    back = json.loads(wp("show", "back", "--json"))["paragraphs"]
    assert [p["text"] for p in back] == [p["text"] for p in shown]
    assert json.loads(wp("meta", "back", "--json"))["numbering"] == "per-section"


# --- the symbol's revision -----------------------------------------------------------------


def test_received_revision_is_metadata() -> None:
    doc = Document(id="d", title="T", symbol="CP/1", metadata={"revision": "3"})
    assert doc.received_revision == 3
    assert doc.revision_number(1) == 4
    assert Document(id="d", title="T").revision_number(2) == 2


def test_an_imported_rev_3_is_revised_as_rev_4(tmp_path: Path) -> None:
    wp = _wp(tmp_path / "x.db")
    report = json.loads(wp("import", str(OWN / "es_wrapped.txt"), "--id", "es", "--json"))
    assert report["revision"] == 3
    meta = json.loads(wp("meta", "es", "--json"))
    assert meta["symbol"] == "CP/CSH-2001/22"
    assert meta["metadata"]["revision"] == "3"
    draft = wp("export", "es", "--format", "txt", "--include", "all")
    assert draft.startswith("CONSEJO PERMANENTE")
    assert "\nCP/CSH-2001/22\nWorking draft after rev. 3," in draft
    assert "CP/CSH-2001/22 rev. 4" in wp("revise", "es")
    frozen = wp("export", "es", "--rev", "1", "--format", "txt")
    head = frozen.split("\nRecord ")[0]
    assert "\nCP/CSH-2001/22 rev. 4\n" in head
    assert "rev. 1" not in head
    assert "Working draft after rev. 4," in wp("export", "es", "--format", "txt")
    assert "CP/CSH-2001/22 rev. 5" in wp("revise", "es")


# --- notes at page feet --------------------------------------------------------------------


def test_notes_at_page_feet_are_notes_of_the_calls_before_them_across_pages() -> None:
    r = parse_text((OWN / "es_page_feet.txt").read_text(encoding="utf-8"), "feet")
    d = r.doc
    assert [p.role for p in d.paragraphs] == [
        "opening",
        "preambular",
        "preambular",
        "chapeau",
        "operative",
        "operative",
        "operative",
    ]
    assert [p.reservations for p in d.paragraphs] == [[], ["R1"], [], [], ["R2"], ["R3"], []]
    assert d.reservations[0].delegation == "CHL"
    # note 2 is cut at page 1's foot and goes on at page 2's foot, above note 3
    assert d.reservations[1].text.endswith(
        "observaciones de las delegaciones que no participaron en la reunión."
    )
    assert [x.why for x in r.dropped] == [
        "the rule above notes",
        "page number",
        "running head",
        "the rule above notes",
        "page number",
    ]
    assert d.headings == []
    assert r.missing == []
    assert r.notes == []


def test_lift_foot_notes_unit() -> None:
    from workplan.formats.text_in.normalise import lift_foot_notes

    lines = list(
        enumerate(
            [
                "RECALLING the plan;1/",
                "",
                "1. To act now.2/",
                "",
                "1 See the plan of 2020.",
                "2. Peru joins the consensus on the",
                "understanding that",
                "1. To report.",  # page 2
                "",
                "its law applies.",
                "",
            ],
            start=1,
        )
    )
    kept, notes, breaks = lift_foot_notes(lines, {7})
    assert [t for _, t in notes] == [
        "1 See the plan of 2020.",
        "2. Peru joins the consensus on the",
        "understanding that its law applies.",
    ]
    assert [t for _, t in kept if t] == [
        "RECALLING the plan;1/",
        "1. To act now.2/",
        "1. To report.",
    ]
    # the blank lines above a page's notes go with them: the break follows "1. To act now.2/"
    assert kept[3][1] == "1. To report."
    assert breaks == {3}
    # the body's `1.` at a page foot is not note 1 when note 1 is printed elsewhere
    body = list(enumerate(["RECALLING the plan;1/", "", "1. To act now."], start=1))
    assert lift_foot_notes(body, {3}, elsewhere={1})[1] == []
    assert lift_foot_notes(body, {3})[1] == [(3, "1. To act now.")]


def test_un_digit_notes_at_page_feet() -> None:
    text = (
        "Recalling all its previous resolutions on trafficking in women and girls,1\n\n"
        "Noting with concern that forced labour,2 persists in every region;\n\n"
        "1 See resolutions 76/186 and 78/185.\n2 See the Forced Labour Convention, 1930.\n\n"
        "- 2 -\n\n1. Urges Member States to act;\n\n2. Calls upon Governments to cooperate.\n"
    )
    r = parse_text(text, "un")
    assert [p.role for p in r.doc.paragraphs] == ["preambular"] * 2 + ["operative"] * 2
    assert [x.text for x in r.doc.reservations] == [
        "See resolutions 76/186 and 78/185.",
        "See the Forced Labour Convention, 1930.",
    ]
    assert r.missing == []


# --- our own exports printed to PDF (the layouts LibreOffice gives, as pypdf reads them) --------


def test_a_call_is_found_alone_in_a_run_or_in_the_other_forms() -> None:
    from workplan.formats.text_in.footnotes import find_call

    line = "include clear goals and budgets.]3/4/5/"
    spans = [find_call(n, line) for n in (3, 4, 5)]
    assert [(c.start, c.end) for c in spans if c] == [(33, 35), (35, 37), (37, 39)]
    assert {(c.run_start, c.run_end) for c in spans if c} == {(33, 39)}
    assert find_call(6, line) is None
    assert find_call(4, "budgets.]3/ 4/") is not None  # a PDF may space a run
    assert find_call(4, "budgets.]3/4/", pos=12) is None
    assert find_call(2, "the 2/3 majority") is None  # a fraction is no call
    title = find_call(1, "TITLE[1]/")
    assert title is not None
    assert (title.start, title.end, title.oas) == (5, 9, False)
    call = find_call(1, "labour,1 persists")
    assert call is not None
    assert (call.start, call.oas) == (7, False)


def test_a_line_ending_in_a_dash_closed_up_joins_the_next_without_a_space() -> None:
    from workplan.formats.text_in.normalise import join_wrapped

    lines = [
        "Third Work Plan to Combat Trafficking in Persons in the Western Hemisphere (2022–",
        "2027)1/",
        "",
        "and the Inter-American Convention on the Prevention of Violence against Women —",
        "the Convention of Belém do Pará — offers a regional framework for its dimension;",
        "",
        "to hold a follow-up meeting with the authorities of the member states and the Inter-",
        "American Commission of Women, within the resources allocated in the budget.",
    ]
    out, _ = join_wrapped(list(enumerate(lines, start=1)))
    assert [t for _, t in out if t] == [
        "Third Work Plan to Combat Trafficking in Persons in the Western Hemisphere (2022–2027)1/",
        "and the Inter-American Convention on the Prevention of Violence against Women — the"
        " Convention of Belém do Pará — offers a regional framework for its dimension;",
        "to hold a follow-up meeting with the authorities of the member states and the"
        " Inter-American Commission of Women, within the resources allocated in the budget.",
    ]


ODT_PRINT = """\
PERMANENT COUNCIL OF THE
ORGANIZATION OF AMERICAN STATES
OEA/Ser.G
CP/CSH/GT-TP/doc.1/22
Original: English

Work Plan against Trafficking in Persons in the Western Hemisphere (2022–
2027)1/

BACKGROUND

[RECALLING the commitments set out in the first Work Plan to Combat Trafficking in Persons
in the Western Hemisphere, adopted in 2010;]2/

[CONVINCED that no State can confront this crime alone, and that a shared hemispheric plan
with clear actions for the member states and for the General Secretariat strengthens

1.  This work plan was adopted by the Permanent Council at its regular meeting.
2.  Canada joins the consensus on the understanding that national law prevails.

- 1 -
\f
cooperation, the exchange of good practices and the measurement of results;]

PREVENTION

1. [Adopt, as appropriate, national policies, plans or strategies against trafficking in
persons that include clear goals, responsible institutions and adequate budgets.]3/4/5/

2. Establish or strengthen a national coordinating body or mechanism that brings together
the public institutions responsible for prevention and victim assistance.

3. [Carry out awareness campaigns, adapted to local languages and cultures, that explain the
forms of trafficking in persons and where to seek help.]6/

3.  Jamaica reserves its position on these paragraphs pending national consultations.
4.  Mexico understands that this paragraph does not create new obligations for the member
states.

- 2 -
\f
4. [Train border, migration and consular officials to detect possible cases of trafficking in
persons at points of entry and exit.]7/

5.  Idem 2
6.  Idem 4
7.  Idem 3

- 3 -

Record ae61495809799d06d0bcbc8fc79d1c14
"""


def test_an_odt_print_with_runs_idem_across_pages_and_a_title_note() -> None:
    """The .odt's print: notes `1.  text` with no blank line between them, a paragraph cut by
    page 1's notes and going on at page 2's top, a run `3/4/5/` whose note 5 (`Idem 2`,
    footnote 2 on page 1) is printed at page 3's foot, and a note on the title."""
    r = parse_text(ODT_PRINT, "odt-print")
    d = r.doc
    assert d.title == (
        "Work Plan against Trafficking in Persons in the Western Hemisphere (2022–2027)"
    )
    assert [(p.role, p.printed_number) for p in d.paragraphs] == [
        ("preambular", None),
        ("preambular", None),
        *[("operative", str(n)) for n in range(1, 5)],
    ]
    assert d.paragraphs[1].text.endswith(
        "strengthens cooperation, the exchange of good practices and the measurement of results;"
    )
    assert d.headings == ["BACKGROUND", "PREVENTION"]
    by_key = {x.key: x for x in d.reservations}
    on = [[by_key[k].delegation for k in p.reservations] for p in d.paragraphs]
    assert on == [["CAN"], [], ["JAM", "MEX", "CAN"], [], ["MEX"], ["JAM"]]
    # the note on the title comes first among the footnotes: N1 as the record had it
    first = d.reservations[0]
    assert (first.delegation, first.paragraphs) == (None, [])
    assert r.notes == [d.reservations[0].key]
    assert d.footnotes == 7  # the title's call counted with the paragraphs'
    assert [x.why for x in r.dropped] == [*["page number"] * 3, "the record line of an export"]
    assert r.missing == []
    assert not [w for w in d.warnings if "kept as text" in w or "not printed" in w]
