"""The comparison commands from the command line: -o and --force, --json, revisions by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.conftest import PLAN

from workplan.cli import cli


@pytest.fixture
def wp(tmp_path: Path):
    db = tmp_path / "cmp.db"
    runner = CliRunner()

    def run(*args: str, who: str | None = None) -> Result:
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        return runner.invoke(cli, [*pre, *args], catch_exceptions=False)

    assert run("init", "--from-file", str(PLAN), who="SECRETARIAT").exit_code == 0
    return run


@pytest.mark.parametrize("command", [["diff", "first-plan", "draft"], ["lineage"]])
def test_output_file_is_never_overwritten_without_force(
    wp, tmp_path: Path, command: list[str]
) -> None:
    out = tmp_path / "out.txt"
    out.write_text("keep me", encoding="utf-8")
    r = wp(*command, "--format", "porcelain", "-o", str(out))
    assert r.exit_code == 65  # as `export` does
    assert str(out) in r.output
    assert "--force" in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "keep me"
    r = wp(*command, "--format", "json", "-o", str(out), "--force")
    assert r.exit_code == 0, r.output
    assert "paragraphs" in json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("command", [["diff", "first-plan", "draft"], ["lineage"]])
def test_json_is_format_json(wp, command: list[str]) -> None:
    assert wp(*command, "--json").output == wp(*command, "--format", "json").output
    assert "paragraphs" in json.loads(wp(*command, "--json", "--format", "json").output)
    clash = wp(*command, "--json", "--format", "html")
    assert clash.exit_code == 2
    assert "--json" in clash.output


@pytest.mark.parametrize(
    "command",
    [
        ["docs"],
        ["show"],
        ["status"],
        ["revisions"],
        ["log"],
        ["roster"],
        ["verify"],
        ["reservations"],
        ["amendments"],
        ["lineage"],
        ["diff", "first-plan", "draft"],
    ],
)
def test_every_reading_command_takes_json(wp, command: list[str]) -> None:
    r = wp(*command, "--json")
    assert r.exit_code == 0, r.output
    json.loads(r.output)


@pytest.mark.parametrize("spec", ["rev. 1", "rev 1", "Rev.1", "1"])
def test_show_rev_takes_the_names_diff_takes(wp, spec: str) -> None:
    wp("revise", who="SECRETARIAT")
    r = wp("show", "--rev", spec, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["revision"] == 1


def test_show_rev_refuses_what_is_not_a_revision(wp) -> None:
    wp("revise", who="SECRETARIAT")
    bad = wp("show", "--rev", "first")
    assert bad.exit_code == 2
    assert "rev. 2" in bad.output
    assert wp("show", "--rev", "rev. 9").exit_code == 66
