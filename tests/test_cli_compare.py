"""The comparison commands from the command line: -o and --force, --json, revisions by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import Cli


@pytest.mark.parametrize("command", [["diff", "first-plan", "draft"], ["lineage"]])
def test_output_file_is_never_overwritten_without_force(
    cli: Cli, tmp_path: Path, command: list[str]
) -> None:
    out = tmp_path / "out.txt"
    out.write_text("keep me", encoding="utf-8")
    r = cli(None, *command, "--format", "porcelain", "-o", str(out))
    assert r.exit_code == 65  # as `export` does
    assert str(out) in r.output
    assert "--force" in r.output
    assert len(r.output.strip().splitlines()) == 1
    assert out.read_text(encoding="utf-8") == "keep me"
    r = cli(None, *command, "--format", "json", "-o", str(out), "--force")
    assert r.exit_code == 0, r.output
    assert "paragraphs" in json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("command", [["diff", "first-plan", "draft"], ["lineage"]])
def test_json_is_format_json(cli: Cli, command: list[str]) -> None:
    assert cli(None, *command, "--json").output == cli(None, *command, "--format", "json").output
    assert "paragraphs" in json.loads(cli(None, *command, "--json", "--format", "json").output)
    clash = cli(None, *command, "--json", "--format", "html")
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
def test_every_reading_command_takes_json(cli: Cli, command: list[str]) -> None:
    r = cli(None, *command, "--json")
    assert r.exit_code == 0, r.output
    json.loads(r.output)


@pytest.mark.parametrize("spec", ["rev. 1", "rev 1", "Rev.1", "1"])
def test_show_rev_takes_the_names_diff_takes(cli: Cli, spec: str) -> None:
    cli("SECRETARIAT", "revise")
    r = cli(None, "show", "--rev", spec, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["revision"] == 1


def test_show_rev_refuses_what_is_not_a_revision(cli: Cli) -> None:
    cli("SECRETARIAT", "revise")
    bad = cli(None, "show", "--rev", "first")
    assert bad.exit_code == 2
    assert "rev. 2" in bad.output
    assert cli(None, "show", "--rev", "rev. 9").exit_code == 66
