"""`amend` refuses option combinations that would silently drop one of them."""

from __future__ import annotations

import pytest
from click.testing import Result
from tests.conftest import Cli


def _one_line(r: Result) -> str:
    lines = r.output.strip().splitlines()
    assert len(lines) == 1, r.output
    return lines[0]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["OP2", "--delete", "--text", "x"], "--delete takes no --text"),
        (["OP2", "--move-after", "OP3", "--text", "x"], "--move-after takes no --text"),
        (["OP2", "--insert-after", "OP3", "--text", "x"], "either as REF (OP2)"),
        (["OP2", "--insert-before", "OP3", "--text", "x"], "or to --insert-before"),
        (["OP2", "--delete", "--move-after", "OP3"], "not --delete and --move-after"),
        (["OP2", "--text", "x", "--kind", "preambular"], "--kind is for an inserted"),
        (["--text", "x"], "name the paragraph"),
    ],
)
def test_amend_usage_errors(cli: Cli, args: list[str], words: str) -> None:
    r = cli("CAN", "amend", *args)
    assert r.exit_code == 2
    assert words in _one_line(r)
    assert cli("CAN", "amendments", "--all", "--json").output.strip() == "[]"


def test_a_proposer_cannot_cosponsor_its_own_amendment(cli: Cli) -> None:
    r = cli(
        "CAN", "amend", "OP2", "--text", "New text.", "--cosponsor", "MEX", "--cosponsor", "CAN"
    )
    assert r.exit_code == 65
    assert "a proposer cannot co-sponsor its own amendment" in _one_line(r)
    assert cli("CAN", "amendments", "--all", "--json").output.strip() == "[]"
    behalf = cli(
        "SECRETARIAT",
        "--for", "PER", "amend", "OP2", "--text", "New text.", "--cosponsor", "PER",
    )  # fmt: skip
    assert behalf.exit_code == 65
    assert "PER proposes" in behalf.output


def test_the_combinations_that_are_meant_still_work(cli: Cli) -> None:
    assert cli("CAN", "amend", "--insert-after", "OP3", "--text", "New one.").output.strip() == "A1"
    assert cli("CAN", "amend", "OP4", "--insert-end", "--text", "Last one.").output.strip() == "A2"
    assert cli("CAN", "amend", "OP2", "--delete").output.strip() == "A3"
    assert cli("CAN", "amend", "OP1", "--move-after", "OP3").output.strip() == "A4"
    assert cli("CAN", "amend", "OP2", "--text", "x y", "--cosponsor", "MEX").output.strip() == "A5"
    same = cli(
        "CAN", "amend", "op2", "--insert-before", "2", "--text", "Before it."
    )  # one paragraph
    assert same.output.strip() == "A6"
