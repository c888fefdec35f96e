"""CLI tests with click's CliRunner: exit codes, --json, errors on one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import PLAN

from workplan.cli import cli


@pytest.fixture
def run(tmp_path: Path):
    db = tmp_path / "cli.db"
    runner = CliRunner()

    def invoke(*args: str, who: str | None = "SECRETARIAT"):
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        return runner.invoke(cli, [*pre, *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def initialised(run):
    result = run("init", "--from-file", str(PLAN))
    assert result.exit_code == 0, result.output
    return run


def test_init_then_show_json_lists_lineage(initialised) -> None:
    result = initialised("show", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["document"]["id"] == "third-work-plan"
    paras = data["paragraphs"]
    assert len(paras) == 8
    assert all(p["lineage"].startswith("first-plan/fp-") for p in paras)
    assert [p["ref"] for p in paras][:3] == ["PP1", "PP2", "OP1"]
    assert set(paras[0]) >= {"uid", "ref", "kind", "section", "text", "lineage"}


def test_init_on_existing_dataheld_refuses(initialised) -> None:
    result = initialised("init", "--from-file", str(PLAN))
    assert result.exit_code == 2
    assert "already initialised" in result.output


def test_show_text_and_docs(initialised) -> None:
    out = initialised("show").output
    assert "OP1" in out
    assert "Belém do Pará" in out
    docs = initialised("docs", "--json")
    assert {d["id"] for d in json.loads(docs.output)} == {"first-plan", "third-work-plan"}


def test_export_import_round_trip(initialised, tmp_path: Path) -> None:
    out = tmp_path / "third.md"
    assert initialised("export", "-o", str(out)).exit_code == 0
    runner = CliRunner()
    db2 = tmp_path / "fresh.db"
    r = runner.invoke(cli, ["--db", str(db2), "--as", "SECRETARIAT", "import", str(out)])
    assert r.exit_code == 0, r.output
    again = runner.invoke(cli, ["--db", str(db2), "export", "third-work-plan"])
    assert again.output == out.read_text(encoding="utf-8")


def test_malformed_file_exit_65_database_unchanged(initialised, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(PLAN.read_text().replace("{#fp-op2 .operative}\n", ""), encoding="utf-8")
    before = initialised("log", "--json").output
    result = initialised("import", str(bad), "--id", "bad")
    assert result.exit_code == 65
    assert result.output.startswith("workplan: ")
    assert "bad.md:" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert initialised("log", "--json").output == before


def test_missing_document_and_file_exit_66(initialised) -> None:
    assert initialised("show", "nope").exit_code == 66
    assert initialised("import", "/no/such/file.md").exit_code == 66


def test_permission_denied_exit_77(initialised) -> None:
    result = initialised("meta", "--symbol", "X", who="CAN")
    assert result.exit_code == 77
    assert "may not" in result.output


def test_no_database_yet(run) -> None:
    result = run("show")
    assert result.exit_code == 66
    assert "workplan init" in result.output


def test_verify_and_roster(initialised) -> None:
    assert initialised("verify").exit_code == 0
    data = json.loads(initialised("roster", "--json").output)
    assert len(data["delegations"]) == 35
