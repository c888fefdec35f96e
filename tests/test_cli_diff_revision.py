"""Issue 4's done-means: `workplan diff "rev. 1" draft` after accepted amendments shows exactly
those changes, with the refs of both sides."""

from __future__ import annotations

import json

from tests.conftest import Cli

NEW_OP2 = "Train and equip border officials to recognise the signs of trafficking."
INSERTED = "Protect witnesses and their families."


def test_diff_rev_1_against_the_draft_shows_exactly_the_accepted_amendments(cli: Cli) -> None:
    cli.ok("SECRETARIAT", "revise")
    cli.ok("CAN", "amend", "OP2", "--text", NEW_OP2)  # A1 modify
    cli.ok("BRA", "amend", "--insert-after", "OP3", "--text", INSERTED)  # A2 insert
    cli.ok("USA", "amend", "PP2", "--delete")  # A3 delete
    cli.ok("JAM", "amend", "OP1", "--move-after", "OP4")  # A4 move
    for aid in ("A1", "A2", "A3", "A4"):
        cli.ok("CHAIR", "decide", aid, "accept")

    data = json.loads(cli.ok(None, "diff", "rev. 1", "draft", "--format", "json").output)
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

    porcelain = cli.ok(None, "diff", "rev. 1", "draft", "--format", "porcelain").output
    headers = [line.split()[1:5] for line in porcelain.splitlines() if line.startswith("@@")]
    assert headers == [
        ["deleted", "-", "PP2", "-"],
        ["modified", "-", "OP2", "OP2"],
        ["inserted", "-", "-", "OP3bis"],
        ["moved", "moved", "OP1", "OP1"],
    ]
    assert f"+{INSERTED}" in porcelain.splitlines()
    assert "+and equip " in porcelain.splitlines()
