"""Issue 4's done-means: `workplan diff "rev. 1" draft` after accepted amendments shows exactly
those changes, with the refs of both sides."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from tests.conftest import PLAN

from workplan.cli import cli

NEW_OP2 = "Train and equip border officials to recognise the signs of trafficking."
INSERTED = "Protect witnesses and their families."


def test_diff_rev_1_against_the_draft_shows_exactly_the_accepted_amendments(
    tmp_path: Path,
) -> None:
    db, runner = tmp_path / "diff.db", CliRunner()

    def wp(who: str | None, *args: str) -> Result:
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        r = runner.invoke(cli, [*pre, *args], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r

    wp("SECRETARIAT", "init", "--from-file", str(PLAN))
    wp("SECRETARIAT", "revise")
    wp("CAN", "amend", "OP2", "--text", NEW_OP2)  # A1 modify
    wp("BRA", "amend", "--insert-after", "OP3", "--text", INSERTED)  # A2 insert
    wp("USA", "amend", "PP2", "--delete")  # A3 delete
    wp("JAM", "amend", "OP1", "--move-after", "OP4")  # A4 move
    for aid in ("A1", "A2", "A3", "A4"):
        wp("CHAIR", "decide", aid, "accept")

    data = json.loads(wp(None, "diff", "rev. 1", "draft", "--format", "json").output)
    assert data["a"].endswith("rev. 1")
    assert "working draft" in data["b"]
    changes = [
        (p["status"], p["moved"], p["a_ref"], p["b_ref"], p["ops"]) for p in data["paragraphs"]
    ]
    pp2 = "REAFFIRMING the “co-responsibility” of states of origin, transit and destination;"
    op1 = "Adopt national action plans that cover every form of exploitation."
    assert changes == [
        ("deleted", False, "PP2", "", [["-", pp2]]),
        (
            "modified",
            False,
            "OP2",
            "OP2",  # refs hold still until the next revision; edited by A1
            [["=", "Train "], ["+", "and equip "], ["=", NEW_OP2.removeprefix("Train and equip ")]],
        ),
        ("inserted", False, "", "OP3 bis", [["+", INSERTED]]),
        ("moved", True, "OP1", "OP1", [["=", op1]]),  # moved after OP4, keeps its number
    ]
    summary = data["summary"]
    assert (summary["modified"], summary["inserted"], summary["deleted"], summary["moved"]) == (
        1,
        1,
        1,
        1,
    )
    assert summary["moved_and_modified"] == 0

    porcelain = wp(None, "diff", "rev. 1", "draft", "--format", "porcelain").output
    headers = [line.split()[1:5] for line in porcelain.splitlines() if line.startswith("@@")]
    assert headers == [
        ["deleted", "-", "PP2", "-"],
        ["modified", "-", "OP2", "OP2"],
        ["inserted", "-", "-", "OP3bis"],
        ["moved", "moved", "OP1", "OP1"],
    ]
    assert f"+{INSERTED}" in porcelain.splitlines()
    assert "+and equip " in porcelain.splitlines()
