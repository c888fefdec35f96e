"""Translations: recorded per paragraph (and reservation, title, heading) and language, tied
to the version of the original they translate; imported from a translated file by alignment;
stale when the original changes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import FIXTURES, PLAN

from workplan.cli import cli
from workplan.errors import InputError, PermissionDenied
from workplan.model import member_states
from workplan.model.languages import (
    DELEGATION_NAMES,
    LANGUAGES,
    language_code,
    original_line,
    other_languages,
)
from workplan.model.oas import guess_delegation
from workplan.model.translation import paragraph_source, translation_state
from workplan.service import Service

DOC = "third-work-plan"
TR = FIXTURES / "translations"
ES, FR, ES_MISSING = TR / "plan_es.txt", TR / "plan_fr.txt", TR / "plan_es_missing.txt"


# -- the pure parts --------------------------------------------------------------------------
@given(st.integers(min_value=1, max_value=10_000), st.integers(min_value=1, max_value=10_000))
def test_a_translation_is_current_exactly_when_made_from_the_paragraphs_version(
    made_from: int, version: int
) -> None:
    state = translation_state(paragraph_source(made_from), version)
    assert (state == "current") == (made_from == version)
    assert state in ("current", "stale")


@given(st.integers(min_value=1, max_value=10_000))
def test_no_translation_is_missing(version: int) -> None:
    assert translation_state(None, version) == "missing"


def test_languages_are_read_from_codes_and_names_in_any_of_the_four() -> None:
    for name, code in [
        ("English", "en"),
        ("Spanish", "es"),
        ("español", "es"),
        ("Espanol", "es"),
        ("français", "fr"),
        ("portugués", "pt"),
        ("PT", "pt"),
    ]:
        assert language_code(name) == code
    assert language_code("Klingon") is None
    assert original_line("English", "es") == "Original: inglés"
    assert original_line("Portuguese", "fr") == "Original: portugais"
    assert other_languages("Spanish") == ("en", "fr", "pt")
    assert other_languages("Esperanto") == LANGUAGES


def test_the_names_table_covers_the_roster_in_its_own_words() -> None:
    roster = member_states()
    assert len(DELEGATION_NAMES) == len(roster) == 35
    for d in roster:
        en, es, _fr, _pt = DELEGATION_NAMES[d.code]
        assert (en, es) == (d.name_en, d.name_es)
    assert DELEGATION_NAMES["LCA"] == ("Saint Lucia", "Santa Lucía", "Sainte-Lucie", "Santa Lúcia")


def test_a_footnote_names_its_delegation_in_french_or_portuguese() -> None:
    assert guess_delegation("Le Gouvernement de Sainte-Lucie ne se joint pas.") == "LCA"
    assert guess_delegation("O Governo do Paraguai não acompanha, ao contrário do Brasil.") == "PRY"
    assert guess_delegation("La délégation du Brésil et Haïti") == "BRA"


# -- recording one -----------------------------------------------------------------------------
@pytest.fixture
def english(svc: Service) -> Service:
    """The small plan's third work plan, its original declared English (its words are)."""
    svc.set_metadata(DOC, original_language="English")
    return svc


def test_the_secretariat_records_a_translation_and_the_status_shows_it(english: Service) -> None:
    done = english.translate(DOC, "OP3", "es", "Realizar campañas de sensibilización.")
    assert done["state"] == "current"
    assert done["ref"] == "OP3"
    rows = {r["ref"]: r for r in english.status(DOC)["paragraphs"]}
    assert rows["OP3"]["translations"] == {"es": "current", "fr": "missing", "pt": "missing"}
    assert rows["OP2"]["translations"] == {"es": "missing", "fr": "missing", "pt": "missing"}
    assert english.status(DOC)["translations"]["es"] == {"current": 1, "stale": 0, "missing": 7}
    # the dashboard's line counts the same, without the status page
    assert english.translation_counts(DOC) == english.status(DOC)["translations"]
    from workplan.tui.screens.dashboard import translations_line

    line = translations_line(english.translation_counts(DOC))
    assert line.startswith("Translations: es 1 current, 0 stale, 7 missing · fr 0 current")
    last = english.events(DOC)[-1]
    assert last.action == "translation.set"
    assert last.actor == "SECRETARIAT"
    assert english.verify() == []


def test_title_section_and_reservation_translations(english: Service, as_) -> None:
    as_("LCA").reserve(DOC, ["OP2"], text="Saint Lucia reads this paragraph its own way.")
    english.translate(DOC, "title", "fr", "Troisième Plan de travail")
    english.translate(DOC, "prevention", "fr", "Prévention")
    english.translate(DOC, "r1", "fr", "Sainte-Lucie lit ce paragraphe à sa manière.")
    listed = english.translations(DOC, "fr")
    assert [(r["kind"], r["ref"], r["state"]) for r in listed["translations"]] == [
        ("title", "title", "current"),
        ("section", "section prevention", "current"),
        ("reservation", "R1", "current"),
    ]
    as_("LCA").edit_reservation(DOC, "R1", "Saint Lucia reads this paragraph in its own way.")
    stale = english.translations(DOC, "fr", stale_only=True)["translations"]
    assert [r["ref"] for r in stale] == ["R1"]
    assert english.verify() == []


def test_delegations_may_not_translate_and_the_refusal_is_recorded(english: Service, as_) -> None:
    with pytest.raises(PermissionDenied, match="only the secretariat may"):
        as_("CAN").translate(DOC, "OP1", "fr", "Adopter des plans.")
    assert english.events()[-1].action == "permission.refused"
    with pytest.raises(PermissionDenied):
        as_("CHAIR").translate(DOC, "OP1", "fr", "Adopter des plans.")


def test_the_original_language_and_unknown_ones_are_refused(english: Service) -> None:
    with pytest.raises(InputError, match="written in English"):
        english.translate(DOC, "OP1", "en", "Adopt plans.")
    with pytest.raises(InputError, match="unknown language 'xx'"):
        english.translate(DOC, "OP1", "xx", "...")
    with pytest.raises(InputError, match="blank line"):
        english.translate(DOC, "OP1", "es", "Uno.\n\nDos.")


# -- staleness through practice -----------------------------------------------------------------
def test_an_accepted_amendment_makes_the_translation_stale(english: Service, as_) -> None:
    english.translate(DOC, "OP2", "es", "Capacitar a los funcionarios de fronteras.")
    english.translate(DOC, "OP2", "fr", "Former les agents des frontières.")
    am = as_("CAN").propose(DOC, "OP2", "modify", text="Train border and police officials.")
    assert english.status(DOC)["paragraphs"][3]["translations"]["es"] == "current"
    as_("CHAIR").decide(DOC, am.id, "accept")
    row = next(r for r in english.status(DOC)["paragraphs"] if r["ref"] == "OP2")
    assert row["translations"] == {"es": "stale", "fr": "stale", "pt": "missing"}
    side = english.side_by_side(DOC, "OP2", "es")
    assert side["state"] == "stale"
    assert side["source_text"] == "Train border officials to recognise the signs of trafficking."
    assert side["original"] == "Train border and police officials."
    english.translate(DOC, "OP2", "es", "Capacitar a los funcionarios de fronteras y de policía.")
    row = next(r for r in english.status(DOC)["paragraphs"] if r["ref"] == "OP2")
    assert row["translations"]["es"] == "current"
    assert english.verify() == []


def test_a_rebased_amendment_accepted_later_makes_it_stale_again(english: Service, as_) -> None:
    a1 = as_("CAN").propose(
        DOC, "OP1", "modify", text="Adopt national plans that cover every form."
    )
    a2 = as_("MEX").propose(
        DOC, "OP1", "modify", text="Adopt national action plans that cover all exploitation."
    )
    as_("CHAIR").decide(DOC, a1.id, "accept")
    english.translate(DOC, "OP1", "es", "Adoptar planes nacionales que abarquen todas las formas.")
    as_("MEX").revise_amendment(DOC, a2.id, "Adopt national plans that cover all exploitation.")
    assert english.status(DOC)["paragraphs"][2]["translations"]["es"] == "current"
    as_("CHAIR").decide(DOC, a2.id, "accept")
    assert english.status(DOC)["paragraphs"][2]["translations"]["es"] == "stale"


def test_decisions_moves_and_revisions_keep_translations_current(english: Service, as_) -> None:
    english.translate(DOC, "OP4", "es", "Apoyar a los Estados Miembros.")
    english.translate(DOC, "PP1", "es", "RECORDANDO los compromisos;")
    before = {r["ref"]: r["version"] for r in english.status(DOC)["paragraphs"]}
    as_("CHAIR").agree(DOC, ["OP4"])
    as_("CHAIR").reopen(DOC, ["OP4"])
    move = as_("JAM").propose(DOC, "PP1", "move", anchor="PP2")
    as_("CHAIR").decide(DOC, move.id, "accept")
    english.revise(DOC)  # renumbers: PP1 is PP2 now
    rows = {r["uid"]: r for r in english.status(DOC)["paragraphs"]}
    op4 = english.draft(DOC).resolve("OP4").uid
    moved = next(u for u, r in rows.items() if r["ref"] == "PP2")
    assert rows[op4]["version"] > before["OP4"]  # the version went up...
    assert rows[op4]["translations"]["es"] == "current"  # ...the text did not change
    assert rows[moved]["translations"]["es"] == "current"
    assert english.verify() == []


# -- importing a translated text -------------------------------------------------------------
@pytest.fixture
def reserved(english: Service, as_) -> Service:
    as_("LCA").reserve(DOC, ["OP2"], text="The Government of Saint Lucia applies it its own way.")
    as_("PRY").reserve(DOC, ["PP2", "OP3"], text="Paraguay reads this subject to its Constitution.")
    return english


def test_a_spanish_translation_aligns_paragraph_by_paragraph(reserved: Service) -> None:
    report = reserved.import_translation(ES, DOC, "es")
    assert report["unaligned"] == []
    assert report["method"] == {
        "preambular": "order",
        "operative": "numbering",
        "follow-up": "numbering",
    }
    assert [a["ref"] for a in report["aligned"]["paragraphs"]] == [
        "PP1",
        "PP2",
        "OP1",
        "OP2",
        "OP3",
        "OP4",
        "FU1",
        "FU2",
    ]
    # R1 is Saint Lucia's, R2 Paraguay's: the translation's footnotes come in another order.
    assert report["aligned"]["reservations"] == [
        {"id": "R1", "translation": "R2"},
        {"id": "R2", "translation": "R1"},
    ]
    got = {
        (r["kind"], r["ref"]): r["text"] for r in reserved.translations(DOC, "es")["translations"]
    }
    assert got[("paragraph", "OP2")].startswith("Capacitar a los funcionarios de fronteras")
    assert got[("reservation", "R1")].startswith("El Gobierno de Santa Lucía")
    assert got[("title", "title")] == (
        "Tercer Plan de Trabajo para Combatir la Trata de Personas en el Hemisferio Occidental"
    )
    assert got[("section", "section prevention")] == "Prevención"
    assert got[("section", "section prevention-ms")] == "Acciones de los Estados Miembros"
    assert reserved.status(DOC)["translations"]["es"] == {"current": 8, "stale": 0, "missing": 0}
    assert reserved.verify() == []


def test_a_french_footnote_finds_its_delegation_in_french(reserved: Service) -> None:
    report = reserved.import_translation(FR, DOC, "fr")
    assert report["unaligned"] == []
    assert report["stored"] == 8 + 2 + 5 + 1


def test_a_paragraph_missing_is_reported_and_nothing_changes(reserved: Service) -> None:
    events = len(reserved.events())
    with pytest.raises(InputError, match=r"OP3: missing in the translation.*nothing changed"):
        reserved.import_translation(ES_MISSING, DOC, "es")
    assert len(reserved.events()) == events
    assert reserved.translations(DOC)["translations"] == []


def test_force_stores_what_aligned_and_reports_the_rest(reserved: Service) -> None:
    report = reserved.import_translation(ES_MISSING, DOC, "es", force=True)
    assert [(u["what"], u["original"], u["why"]) for u in report["unaligned"]] == [
        ("paragraph", "OP3", "missing in the translation")
    ]
    assert "OP3" not in [a["ref"] for a in report["aligned"]["paragraphs"]]
    rows = {r["ref"]: r["translations"]["es"] for r in reserved.status(DOC)["paragraphs"]}
    assert rows["OP3"] == "missing"
    assert rows["OP4"] == "current"
    assert reserved.verify() == []


def test_a_kind_mismatch_is_reported(reserved: Service, tmp_path: Path) -> None:
    text = ES.read_text(encoding="utf-8").replace(
        "RECORDANDO los compromisos", "Se recuerdan los compromisos"
    )
    wrong = tmp_path / "kind.txt"
    wrong.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="PP1 / line 12: kind mismatch: preambular"):
        reserved.import_translation(wrong, DOC, "es")


def test_a_preambular_paragraph_missing_cannot_be_guessed(
    reserved: Service, tmp_path: Path
) -> None:
    text = ES.read_text(encoding="utf-8").replace(
        "RECORDANDO los compromisos asumidos en la Convención de Belém do Pará, y los"
        " posteriores;\n\n",
        "",
    )
    wrong = tmp_path / "pp.txt"
    wrong.write_text(text, encoding="utf-8")
    report = reserved.import_translation(wrong, DOC, "es", force=True)
    unaligned = {(u["original"], u["translation"]) for u in report["unaligned"]}
    assert ("PP1", "") in unaligned
    assert ("PP2", "") in unaligned
    assert "cannot be told without guessing" in report["unaligned"][0]["why"]
    assert len(report["aligned"]["paragraphs"]) == 6  # the operative and follow-up ones


def test_a_translation_in_the_draft_format_aligns_too(english: Service, tmp_path: Path) -> None:
    draft = english.export_draft(DOC)
    spanish = draft.replace("Adopt national action plans", "Adoptar planes nacionales de acción")
    path = tmp_path / "es.md"
    path.write_text(spanish, encoding="utf-8")
    report = english.import_translation(path, DOC, "es")
    assert report["format"] == "draft"
    assert report["unaligned"] == []
    op1 = english.side_by_side(DOC, "OP1", "es")
    assert (
        op1["translation"]
        == "Adoptar planes nacionales de acción that cover every form of exploitation."
    )


# -- the command line ----------------------------------------------------------------------------
def test_the_commands(tmp_path: Path) -> None:
    db, runner = tmp_path / "tr.db", CliRunner()

    def wp(who: str | None, *args: str, code: int = 0) -> Result:
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        r = runner.invoke(cli, [*pre, *args], catch_exceptions=False)
        assert r.exit_code == code, r.output
        return r

    wp("SECRETARIAT", "init", "--from-file", str(PLAN))
    wp("SECRETARIAT", "meta", "--language", "English")
    wp("PRY", "reserve", "PP2", "OP3", "--text", "Paraguay reads this subject to its Constitution.")
    wp("LCA", "reserve", "OP2", "--text", "The Government of Saint Lucia applies it its own way.")
    r = wp(
        "SECRETARIAT", "import", str(ES_MISSING), "--translation-of", DOC, "--lang", "es", code=65
    )
    assert "OP3: missing in the translation" in r.output
    assert r.output.count("\n") == 1
    out = wp("SECRETARIAT", "import", str(ES), "--translation-of", DOC, "--lang", "Spanish").output
    assert "8 paragraphs (preambular by order, operative by numbering" in out
    assert "16 translations stored" in out
    data = json.loads(
        wp(
            "SECRETARIAT", "import", str(FR), "--translation-of", DOC, "--lang", "fr", "--json"
        ).output
    )
    assert data["unaligned"] == []
    assert data["stored"] == 16
    wp("CAN", "translate", "OP1", "--lang", "pt", "--text", "Adotar planos.", code=77)
    out = wp("SECRETARIAT", "translate", "OP1", "--lang", "pt", "--text", "Adotar planos.").output
    assert out.startswith("OP1 in pt: recorded, current")
    wp("CAN", "amend", "OP1", "--text", "Adopt national plans for every form of exploitation.")
    wp("CHAIR", "decide", "A1", "accept")
    stale = wp(None, "translations", "--stale").output
    assert [line.split()[:3] for line in stale.splitlines()[:3]] == [
        ["OP1", "es", "stale"],
        ["OP1", "fr", "stale"],
        ["OP1", "pt", "stale"],
    ]
    listed = json.loads(wp(None, "translations", "--lang", "es", "--json").output)
    assert listed["counts"] == {"es": {"current": 15, "stale": 1, "missing": 0}}
    status = json.loads(wp(None, "status", "--json").output)
    assert status["paragraphs"][2]["translations"] == {"es": "stale", "fr": "stale", "pt": "stale"}
    assert "es: 7 current, 1 stale, 0 missing" in wp(None, "status").output
    wp(None, "import", str(ES), "--translation-of", DOC, code=2)
    wp(None, "verify")
