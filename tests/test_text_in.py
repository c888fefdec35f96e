"""The text import pipeline: normalise, header, notes, classification, nothing lost."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workplan.cli import cli
from workplan.formats.oas_text import parse_oas_text
from workplan.formats.text_in import parse_text
from workplan.formats.text_in.footnotes import parse_entries, place_notes
from workplan.formats.text_in.header import read_date, read_header
from workplan.formats.text_in.normalise import drop_furniture, is_page_number, join_wrapped
from workplan.formats.text_in.words import missing_words
from workplan.model.document import ParagraphKind
from workplan.model.lexicon import is_chapeau_word, is_notes_heading, opens_with_participle
from workplan.model.oas import NUMBERED, is_preambular

HERE = Path(__file__).parent / "fixtures"
OWN = HERE / "text_in"


def _read(name: str) -> str:
    return (OWN / name).read_text(encoding="utf-8")


def test_page_numbers_and_running_heads_are_dropped_and_listed() -> None:
    assert is_page_number("- 2 -", "x", "y")
    assert is_page_number("-1-", "x", "y")
    assert is_page_number("2", "", "")
    assert not is_page_number("2", "text", "")
    lines = [
        "HEAD LINE",
        "body one",
        "",
        "- 2 -",
        "",
        "HEAD LINE",
        "body two",
        "",
        "- 3 -",
        "",
        "HEAD LINE",
        "body three",
    ]
    kept, dropped, breaks = drop_furniture(lines)
    assert [t for _, t in kept] == ["HEAD LINE", "body one", "body two", "body three"]
    assert [(d.line, d.why) for d in dropped] == [
        (4, "page number"),
        (6, "running head"),
        (9, "page number"),
        (11, "running head"),
    ]
    assert breaks == {2, 3}


def test_wrapped_lines_join_by_the_documents_cues() -> None:
    lines = list(
        enumerate(
            [
                "RECALLING the commitments undertaken in the Charter of the",
                "Organization of American States and in the Convention on Human",
                "Rights;",
                "1. Fortalecer los mecanismos nacionales de coordinación contra la",
                "trata de personas.",
                "2 bis. Promover el intercambio de información entre los Estados",
            ],
            start=1,
        )
    )
    out, joined = join_wrapped(lines)
    assert [t for _, t in out] == [
        "RECALLING the commitments undertaken in the Charter of the Organization of American"
        " States and in the Convention on Human Rights;",
        "1. Fortalecer los mecanismos nacionales de coordinación contra la trata de personas.",
        "2 bis. Promover el intercambio de información entre los Estados",
    ]
    assert joined == 3


def test_language_tables_classify_every_language() -> None:
    for text in (
        "Recalling its resolution 70/1,",
        "Noting with concern that labour persists,",
        "TENIENDO PRESENTE que la trata",
        "CONSIDÉRANT que la traite",
        "RECORDANDO a Convenção",
        "Reconhecendo que o tráfico",
    ):
        assert opens_with_participle(text), text
        assert is_preambular(text), text
    assert not opens_with_participle("Notes")
    assert is_chapeau_word("RESUELVE:")
    assert is_chapeau_word("DÉCIDE")
    assert is_chapeau_word("RESOLVE")
    assert is_notes_heading("NOTAS DE PIE DE PÁGINA")
    assert is_notes_heading("Notes")
    assert NUMBERED.match("9bis. text")[1] == "9bis"  # type: ignore[index]
    assert NUMBERED.match("9 bis. text")[1] == "9 bis"  # type: ignore[index]


def test_header_is_read_without_guessing() -> None:
    assert read_date("12 de marzo de 2026") == "2026-03-12"
    assert read_date("March 3, 2026") == "2026-03-03"
    assert read_date("OEA/Ser.G") is None
    h = read_header(
        [
            "GENERAL ASSEMBLY",
            "OEA/Ser.P",
            "AG/RES. 2551 (XL-O/10)",
            "8 June 2010",
            "Original: Spanish",
        ],
        "WORK PLAN",
        ["(Adopted at the fourth plenary session, held on June 8, 2010)"],
    )
    assert h["symbol"] == "AG/RES. 2551 (XL-O/10)"
    assert h["series"] == "OEA/Ser.P"
    assert h["date"] == "2010-06-08"
    assert h["original_language"] == "Spanish"
    assert h["adopted"].startswith("Adopted at the fourth")
    assert h["organ"] == "GENERAL ASSEMBLY"


def test_note_calls_in_every_form() -> None:
    notes = parse_entries(
        [(10, "1 See resolution 76/186."), (11, "2/ Paraguay joins."), (12, "It adds more.")]
    )
    assert [(n.number, n.paragraphs) for n in notes] == [
        (1, ["See resolution 76/186."]),
        (2, ["Paraguay joins.", "It adds more."]),
    ]
    out = place_notes(["TITLE[1]/", "", "Noting that labour,2 persists;"], [1, 2, 3], notes)
    assert out.lines[0] == "TITLE"
    assert out.document_notes[0][0].number == 1
    assert out.lines[2] == "Noting that labour, persists;2/"
    assert "2. Paraguay joins." in out.lines
    assert "\tIt adds more." in out.lines


def test_missing_words_are_named_with_their_line() -> None:
    assert missing_words(["the plan", "of 2027 the data"], ["the plan of", "the"]) == [(2, "data")]


def test_spanish_wrapped_text_with_page_numbers() -> None:
    r = parse_text(_read("es_wrapped.txt"), "es")
    d = r.doc
    assert [p.role for p in d.paragraphs] == [
        "opening",
        "preambular",
        "preambular",
        "preambular",
        "chapeau",
        *["operative"] * 4,
    ]
    assert [p.printed_number for p in d.paragraphs if p.printed_number] == ["1", "2", "2 bis", "3"]
    assert d.paragraphs[1].text.endswith("todos los Estados Miembros de la Organización;")
    assert r.header["symbol"] == "CP/CSH-2001/22 rev. 3"
    assert r.header["date"] == "2026-03-12"
    assert r.header["presented"] == "Presentado por la Delegación de México"
    assert (
        d.title
        == "PROYECTO DE PLAN DE TRABAJO CONTRA LA TRATA DE PERSONAS EN EL HEMISFERIO OCCIDENTAL"
    )
    assert [x.why for x in r.dropped] == ["page number", "running head"] * 2
    assert [(x.delegation, x.printed) for x in d.reservations] == [("PRY", [1]), (None, [2])]
    assert r.missing == []


def test_word_english_with_header_title_note_and_bis() -> None:
    r = parse_text(_read("en_word.txt"), "en")
    d = r.doc
    assert r.header["title"].endswith("IN THE AMERICAS")
    assert r.header["series"] == "OEA/Ser.G"
    assert [p.role for p in d.paragraphs].count("preambular") == 3
    assert [p.printed_number for p in d.paragraphs if p.printed_number] == ["1", "9bis", "10"]
    note = d.reservation(r.notes[0])
    assert note.paragraphs == []
    assert note.text.startswith("This draft was prepared")
    assert r.missing == []


def test_un_style_digit_calls_and_end_notes() -> None:
    r = parse_text(_read("un_style.txt"), "un")
    d = r.doc
    assert r.header["symbol"] == "A/RES/80/38"
    assert d.title == "Trafficking in women and girls"
    assert [p.kind for p in d.paragraphs].count(ParagraphKind.PREAMBULAR) == 3
    assert (
        d.paragraphs[2].text == "Noting with concern that forced labour, including in supply"
        " chains, persists in every region;"
    )
    assert [x.text[:4] for x in d.reservations] == ["See ", "See "]
    assert all(p.text[:1] != "1" for p in d.paragraphs)
    assert r.missing == []


def test_seed_like_texts_read_exactly_as_before() -> None:
    for name in ("oas_recommendations.txt", "oas_sample.txt", "oas_clean.txt"):
        text = (HERE / name).read_text(encoding="utf-8")
        r = parse_text(text, name)
        assert r.doc == parse_oas_text(text, name)
        assert r.missing == []
        assert r.joined == 0


def test_a_lost_word_refuses_the_import_unless_forced(tmp_path: Path, monkeypatch) -> None:
    import workplan.formats.text_in as pipeline

    real = parse_oas_text

    def losing(text: str, source: str, roster: object) -> object:  # a reader that loses a line
        doc = real(text, source, roster)  # type: ignore[arg-type]
        doc.paragraphs = [p for p in doc.paragraphs if "zebra" not in p.text]
        return doc

    monkeypatch.setattr(pipeline, "parse_oas_text", losing)
    bad = tmp_path / "lost.txt"
    bad.write_text("RECALLING the plan;\n\n1. To act.\n\n2. zebra words.\n", encoding="utf-8")
    db = tmp_path / "x.db"
    r = CliRunner().invoke(cli, ["--db", str(db), "--as", "SECRETARIAT", "import", str(bad)])
    assert r.exit_code == 65
    assert "lost.txt:5:" in r.output
    assert "zebra" in r.output
    r = CliRunner().invoke(
        cli, ["--db", str(db), "--as", "SECRETARIAT", "import", str(bad), "--force", "--json"]
    )
    assert r.exit_code == 0, r.output
    assert [m["word"] for m in json.loads(r.output)["missing"]] == ["zebra", "words"]


def test_import_report_shows_header_structure_and_notes(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    path = tmp_path / "es.txt"
    path.write_text(_read("es_wrapped.txt"), encoding="utf-8")
    r = CliRunner().invoke(cli, ["--db", str(db), "--as", "SECRETARIAT", "import", str(path)])
    assert r.exit_code == 0, r.output
    assert "Symbol: CP/CSH-2001/22 rev. 3" in r.output
    assert "Chapeau: RESUELVE:" in r.output
    assert "dropped line 32 (page number): - 2 -" in r.output
    path = tmp_path / "en.txt"
    path.write_text(_read("en_word.txt"), encoding="utf-8")
    r = CliRunner().invoke(
        cli, ["--db", str(db), "--as", "SECRETARIAT", "import", str(path), "--json"]
    )
    report = json.loads(r.output)
    assert report["header"]["presented"] == "Presented by the Delegation of Canada"
    assert report["notes"][0]["printed"] == [1]
    assert report["missing"] == []


def test_front_matter_that_is_not_a_draft_is_read_as_text(tmp_path: Path) -> None:
    path = tmp_path / "mail.txt"
    path.write_text(
        "---\nrecord_id: 12\nauthors: [a]\n---\n\n" + _read("un_style.txt"), encoding="utf-8"
    )
    r = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "x.db"),
            "--as",
            "SECRETARIAT",
            "import",
            str(path),
            "--force",
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["format"] == "oas"


_WORD = st.sampled_from(["plan", "states", "data", "law", "of", "the", "victims"])
_BODY = st.lists(_WORD, min_size=8, max_size=30).map(" ".join)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(
    pre=st.lists(_BODY, min_size=1, max_size=4, unique=True),
    ops=st.lists(_BODY, min_size=1, max_size=5, unique=True),
    width=st.integers(min_value=40, max_value=100),
    every=st.integers(min_value=3, max_value=12),
)
def test_wrapped_and_paged_text_gives_the_same_structure(
    pre: list[str], ops: list[str], width: int, every: int
) -> None:
    paras = [f"RECALLING {p};" for p in pre] + ["RESOLVES:"]
    paras += [f"{i}. To act on {p}." for i, p in enumerate(ops, start=1)]
    flat = "\n\n".join(paras) + "\n"
    wrapped: list[str] = []
    for p in paras:
        wrapped += [*textwrap.wrap(p, width), ""]
    paged: list[str] = []
    for i, line in enumerate(wrapped, start=1):
        paged.append(line)
        if i % every == 0:
            paged += ["", f"- {i // every + 1} -", ""]
    a, b = parse_text(flat, "flat"), parse_text("\n".join(paged), "paged")
    assert [(p.role, p.text) for p in b.doc.paragraphs] == [
        (p.role, p.text) for p in a.doc.paragraphs
    ]
    assert b.missing == []
    assert all(d.why == "page number" for d in b.dropped)


def test_printed_bis_numbers_are_the_refs_until_the_first_revision(tmp_path: Path) -> None:
    """An imported `2 bis.` is OP2 bis in the record, and OP3 stays OP3, until `revise`."""
    db = tmp_path / "x.db"
    path = tmp_path / "bis.txt"
    path.write_text(
        "RECALLING the plan of action;\n\nRESOLVES:\n\n1. To act at once.\n\n"
        "2. To report each year.\n\n2 bis. To share what works.\n\n3. To meet again.\n",
        encoding="utf-8",
    )

    def wp(*args: str) -> str:
        r = CliRunner().invoke(cli, ["--db", str(db), "--as", "SECRETARIAT", *args])
        assert r.exit_code == 0, r.output
        return r.output

    wp("import", str(path), "--id", "bis")
    shown = json.loads(wp("show", "bis", "--json"))
    refs = [p["ref"] for p in shown["paragraphs"] if p["kind"] == "operative"]
    assert refs == ["OP1", "OP2", "OP2 bis", "OP3"]
    wp("revise", "bis")
    shown = json.loads(wp("show", "bis", "--json"))
    assert [p["ref"] for p in shown["paragraphs"] if p["kind"] == "operative"] == [
        "OP1",
        "OP2",
        "OP3",
        "OP4",
    ]


def test_an_exported_text_imports_back_with_its_kinds(tmp_path: Path) -> None:
    """The text a delegate receives from us (every paragraph, unagreed ones in brackets, a
    'FOLLOW-UP AND ...' heading) comes back with the same kinds and words, brackets dropped."""
    from tests.conftest import PLAN

    db = tmp_path / "x.db"

    def wp(*args: str) -> str:
        r = CliRunner().invoke(cli, ["--db", str(db), "--as", "SECRETARIAT", *args])
        assert r.exit_code == 0, r.output
        return r.output

    wp("init", "--from-file", str(PLAN))
    out = tmp_path / "all.txt"
    wp("export", "--include", "all", "--format", "txt", "-o", str(out))
    wp("import", str(out), "--id", "back")
    before = json.loads(wp("show", "--json"))["paragraphs"]
    after = json.loads(wp("show", "back", "--json"))["paragraphs"]
    assert [p["kind"] for p in after] == [p["kind"] for p in before]
    assert [p["text"] for p in after] == [p["text"] for p in before]


@pytest.mark.parametrize(
    "line",
    [
        " " * 400_000 + "x",  # a run of spaces with no tab in it (was quadratic: minutes)
        "RECALLING " + "1" * 200_000,  # digits not ending in calls (was quadratic: minutes)
        "RECALLING " + "1" * 200_000 + " 1//",
    ],
    ids=["spaces", "digits", "digits-slashes"],
)
def test_a_long_hostile_line_is_read_in_linear_time(line: str) -> None:
    import contextlib
    import time

    from workplan.errors import InputError
    from workplan.service.imports import parse_text as read_imported

    started = time.monotonic()
    with contextlib.suppress(InputError):  # refused (too long) is fine: what matters is how soon
        read_imported(f"TITLE\n\n{line}\n", "hostile.txt")
    assert time.monotonic() - started < 10


def test_many_wrapped_lines_join_into_one_paragraph() -> None:
    """A paragraph of 100,000 hard-wrapped pieces joins (each cut word glued back) into one
    line: joining keeps pieces, not a text re-copied at every line."""
    import importlib

    normalise = importlib.import_module("workplan.formats.text_in.normalise")
    lines = [(n, "ab-") for n in range(100_000)]
    out, joined = normalise.join_wrapped(lines)
    assert out == [(0, "ab-" * 100_000)]
    assert joined == 99_999
