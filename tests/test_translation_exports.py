"""`export --lang`: the clean text, the compilation and a revision's reprint in another
language, every format; what is untranslated printed in the original's words, in brackets,
and listed, never silently."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.conftest import FIXTURES, PLAN

from workplan.cli import cli
from workplan.formats.export import render_text
from workplan.service import Service

DOC = "third-work-plan"
ES = FIXTURES / "translations" / "plan_es.txt"


@pytest.fixture
def spanish(svc: Service, as_) -> Service:
    """The small plan in English with a Spanish translation of everything, OP1 and OP2
    agreed, Saint Lucia's reservation on OP2."""
    svc.set_metadata(DOC, original_language="English")
    as_("LCA").reserve(DOC, ["OP2"], text="The Government of Saint Lucia applies it its own way.")
    as_("PRY").reserve(DOC, ["PP2", "OP3"], text="Paraguay reads this subject to its Constitution.")
    assert svc.import_translation(ES, DOC, "es")["unaligned"] == []
    as_("CHAIR").agree(DOC, ["OP1", "OP2"])
    return svc


def test_the_clean_text_in_spanish(spanish: Service) -> None:
    built = spanish.export_clean(DOC, lang="es")
    text = render_text(built)
    assert "Original: inglés" in text
    assert "Original: English" not in text
    assert "Proyecto de trabajo, impreso el 2 de marzo de 2026, 14:00 UTC" in text
    assert (
        "Tercer Plan de Trabajo para Combatir la Trata de Personas en el Hemisferio Occidental"
        " (2022–2027)\n" in text
    )
    assert "PREVENCIÓN\n\nAcciones de los Estados Miembros" in text
    assert "1.\tAdoptar planes nacionales de acción" in text
    assert "2.\tCapacitar a los funcionarios de fronteras" in text
    assert "1. El Gobierno de Santa Lucía aplicará este párrafo" in text  # the footnote
    assert built.untranslated == []
    assert built.language == "es"


def test_a_stale_paragraph_is_printed_in_the_original_in_brackets_and_listed(
    spanish: Service,
    as_,
) -> None:
    as_("CHAIR").reopen(DOC, ["OP2"])
    am = as_("CAN").propose(DOC, "OP2", "modify", text="Train border and police officials.")
    as_("CHAIR").decide(DOC, am.id, "accept")
    as_("CHAIR").agree(DOC, ["OP2"])
    as_("LCA").edit_reservation(DOC, "R1", "Saint Lucia applies it in its own way.")
    built = spanish.export_clean(DOC, lang="es")
    text = render_text(built)
    assert "2.\t[Train border and police officials.]" in text
    assert "1. [Saint Lucia applies it in its own way.]" in text
    assert built.untranslated == ["OP2: stale", "R1: stale"]


def test_missing_translations_are_listed_too(svc: Service, as_) -> None:
    svc.set_metadata(DOC, original_language="English")
    as_("CHAIR").agree(DOC, ["OP4"])
    built = svc.export_clean(DOC, lang="fr")
    assert built.untranslated == [
        "title: missing",
        "section prevention: missing",
        "section prevention-gs: missing",
        "OP4: missing",
    ]
    assert "[Prevention]" in render_text(built).replace("[PREVENTION]", "[Prevention]")


def test_the_compilation_in_spanish_keeps_proposals_in_the_original(
    spanish: Service,
    as_,
) -> None:
    as_("MEX").propose(DOC, "OP3", "modify", text="Run awareness campaigns in every language.")
    as_("USA").record_position(DOC, "OP4", "object")
    text = render_text(spanish.export_compilation(DOC, lang="es"))
    assert "— texto de compilación" in text
    assert "3.\t[Realizar campañas de sensibilización" in text
    assert "[A1 Alt 1 (México): Run awareness campaigns in" in text
    assert "Se oponen: Estados Unidos" in text
    assert "Acordado." in text
    assert "En negociación." in text


def test_a_revision_reprints_in_the_translations_made_from_it(
    spanish: Service,
    as_,
) -> None:
    spanish.revise(DOC)
    as_("CHAIR").reopen(DOC, ["OP1"])
    am = as_("CAN").propose(DOC, "OP1", "modify", text="Adopt national plans.")
    as_("CHAIR").decide(DOC, am.id, "accept")
    spanish.translate(DOC, "OP1", "es", "Adoptar planes nacionales.")
    rev1 = render_text(spanish.export_clean(DOC, rev=1, lang="es"))
    assert "1.\tAdoptar planes nacionales de acción que abarquen" in rev1
    assert "rev. 1" in rev1
    assert "Original: inglés" in rev1
    draft = render_text(spanish.export_clean(DOC, include_all=True, lang="es"))
    assert "[Adoptar planes nacionales.]" in draft  # not agreed yet: bracketed as ever


def test_every_format_through_the_cli(tmp_path: Path) -> None:
    db, runner = tmp_path / "ex.db", CliRunner()

    def wp(who: str | None, *args: str, code: int = 0) -> Result:
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        r = runner.invoke(cli, [*pre, *args], catch_exceptions=False)
        assert r.exit_code == code, r.output
        return r

    wp("SECRETARIAT", "init", "--from-file", str(PLAN))
    wp("SECRETARIAT", "meta", "--language", "English")
    wp("SECRETARIAT", "import", str(ES), "--translation-of", DOC, "--lang", "es", "--force")
    wp("CHAIR", "agree", "OP1", "OP2", "OP3")
    wp("CHAIR", "reopen", "OP3")
    wp("CAN", "amend", "OP3", "--text", "Run awareness campaigns.")
    wp("CHAIR", "decide", "A1", "accept")
    wp("CHAIR", "agree", "OP3")
    r = wp(None, "export", "--lang", "es", "--format", "txt")
    assert "3.\t[Run awareness campaigns.]" in r.stdout
    assert r.stderr == (
        "untranslated in es, printed in the original's words in brackets: OP3: stale\n"
    )
    data = json.loads(wp(None, "export", "--lang", "Spanish", "--format", "json").stdout)
    assert data["language"] == "es"
    assert data["untranslated"] == ["OP3: stale"]
    assert "Original: inglés" in data["header"]
    for fmt in ("md", "html"):
        out = wp(None, "export", "--lang", "es", "--format", fmt).stdout
        assert "Original: inglés" in out
        assert "Capacitar a los funcionarios" in out
    for fmt, part in (("docx", "word/document.xml"), ("odt", "content.xml")):
        path = tmp_path / f"es.{fmt}"
        wp(None, "export", "--lang", "es", "--compilation", "--format", fmt, "-o", str(path))
        with zipfile.ZipFile(path) as z:
            xml = z.read(part).decode("utf-8")
        assert "Original: inglés" in xml
        assert "Capacitar a los funcionarios" in xml
    wp(None, "export", "--lang", "xx", "--format", "txt", code=65)
    wp(None, "export", "--lang", "es", "--redline", "1", "draft", code=2)
    r = wp(None, "export", "--lang", "English", "--format", "txt")  # the original's own
    assert "Original: English" in r.stdout
    assert "[Adopt" not in r.stdout
    assert r.stderr == ""


def test_notes_of_the_document_are_translated_like_reservations(spanish: Service) -> None:
    spanish.add_note(DOC, [], "Prepared by the Secretariat.")
    spanish.add_note(DOC, ["OP1"], "See the report of May.")
    built = spanish.export_clean(DOC, lang="es")
    text = render_text(built)
    # Untranslated: printed in the original's words, in brackets, and listed (both places).
    assert "[Prepared by the Secretariat.]" in text
    assert "[See the report of May.]" in text
    assert built.untranslated == ["N1: missing", "N2: missing"]
    spanish.translate(DOC, "N1", "es", "Preparado por la Secretaría.")
    spanish.translate(DOC, "n2", "es", "Véase el informe de mayo.")
    built = spanish.export_clean(DOC, lang="es")
    text = render_text(built)
    assert "Preparado por la Secretaría." in text
    assert "Véase el informe de mayo." in text
    assert built.untranslated == []
    spanish.edit_note(DOC, "N2", "See the report of June.")
    assert spanish.export_clean(DOC, lang="es").untranslated == ["N2: stale"]
    listed = spanish.translations(DOC, "es", stale_only=True)["translations"]
    assert [(t["kind"], t["ref"]) for t in listed] == [("note", "N2")]
