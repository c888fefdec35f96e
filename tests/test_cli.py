"""CLI tests with click's CliRunner: exit codes, --json, errors on one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import PLAN, Cli


def test_init_then_show_json_lists_lineage(cli: Cli) -> None:
    result = cli("SECRETARIAT", "show", "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["document"]["id"] == "third-work-plan"
    paras = data["paragraphs"]
    assert len(paras) == 8
    assert all(p["lineage"].startswith("first-plan/fp-") for p in paras)
    assert [p["ref"] for p in paras][:3] == ["PP1", "PP2", "OP1"]
    assert set(paras[0]) >= {"uid", "ref", "kind", "section", "text", "lineage"}


def test_init_on_existing_dataheld_refuses(cli: Cli) -> None:
    result = cli("SECRETARIAT", "init", "--from-file", str(PLAN))
    assert result.exit_code == 2
    assert "already initialised" in result.output


def test_show_text_and_docs(cli: Cli) -> None:
    out = cli("SECRETARIAT", "show").output
    assert "OP1" in out
    assert "Belém do Pará" in out
    docs = cli("SECRETARIAT", "docs", "--json")
    assert {d["id"] for d in json.loads(docs.output)} == {"first-plan", "third-work-plan"}


def test_export_import_round_trip(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "third.md"
    assert cli("SECRETARIAT", "export", "-o", str(out)).exit_code == 0
    fresh = Cli(tmp_path / "fresh.db")
    r = fresh("SECRETARIAT", "import", str(out))
    assert r.exit_code == 0, r.output
    again = fresh(None, "export", "third-work-plan")
    assert again.output == out.read_text(encoding="utf-8")


def test_malformed_file_exit_65_database_unchanged(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(PLAN.read_text().replace("{#fp-op2 .operative}\n", ""), encoding="utf-8")
    before = cli("SECRETARIAT", "log", "--json").output
    result = cli("SECRETARIAT", "import", str(bad), "--id", "bad")
    assert result.exit_code == 65
    assert result.output.startswith("workplan: ")
    assert "bad.md:" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert cli("SECRETARIAT", "log", "--json").output == before


def test_missing_document_and_file_exit_66(cli: Cli) -> None:
    assert cli("SECRETARIAT", "show", "nope").exit_code == 66
    assert cli("SECRETARIAT", "import", "/no/such/file.md").exit_code == 66


def test_permission_denied_exit_77(cli: Cli) -> None:
    result = cli("CAN", "meta", "--symbol", "X")
    assert result.exit_code == 77
    assert "may not" in result.output


def test_no_database_yet(cli_empty: Cli) -> None:
    result = cli_empty("SECRETARIAT", "show")
    assert result.exit_code == 66
    assert "workplan init" in result.output


def test_verify_and_roster(cli: Cli) -> None:
    assert cli("SECRETARIAT", "verify").exit_code == 0
    data = json.loads(cli("SECRETARIAT", "roster", "--json").output)
    assert len(data["delegations"]) == 35


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["position", "OP12", "maybe"], "Invalid value for"),
        (["export", "--format", "pdf"], "'pdf' is not one of"),
        (["no-such-command"], "No such command 'no-such-command'"),
        (["status", "--no-such-option"], "No such option '--no-such-option'"),
    ],
)
def test_usage_errors_are_one_line_exit_2(cli_empty: Cli, args: list[str], said: str) -> None:
    r = cli_empty(None, *args)
    assert r.exit_code == 2
    assert r.output.count("\n") == 1, r.output
    assert r.output.startswith("workplan: ")
    assert said in r.output
    assert "--help`)" in r.output
