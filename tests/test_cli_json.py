"""Every command that changes the record takes --json and prints one JSON object saying what it
did; exit codes are unchanged and an error is still one line on stderr, nothing on stdout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from tests.conftest import PLAN, Cli


def ok(result: Result) -> Any:
    """The one JSON object a successful --json command printed on stdout."""
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


@pytest.fixture
def session(cli_empty: Cli) -> Cli:
    """An initialised record (`init --json` says what it did)."""
    data = ok(cli_empty("SECRETARIAT", "init", "--from-file", str(PLAN), "--json"))
    assert data["document"] == "third-work-plan"
    assert data["paragraphs"] == 8
    assert data["database"] == str(cli_empty.db)
    return cli_empty


def test_new_import_meta(session: Cli) -> None:
    wp = session
    data = ok(wp("SECRETARIAT", "new", "fourth", "--from", "third-work-plan", "--json"))
    assert data == {"document": "fourth", "paragraphs": 8}

    sample = Path(__file__).parent / "fixtures" / "oas_sample.txt"
    data = ok(wp("SECRETARIAT", "import", str(sample), "--id", "sample", "--json"))
    assert data["document"] == "sample"
    assert data["format"] == "oas"
    assert sum(data["paragraphs"].values()) > 0

    data = ok(
        wp(
            "SECRETARIAT",
            "meta",
            "--symbol",
            "CP/CSH-2001/22",
            "--period",
            "2028-2032",
            "--json",
        )
    )
    assert data["id"] == "third-work-plan"
    assert data["symbol"] == "CP/CSH-2001/22"
    assert (data["period_start"], data["period_end"]) == (2028, 2032)
    assert data["period"] == "2028–2032"


def test_amendment_commands(session: Cli) -> None:
    wp = session
    a1 = ok(wp("CAN", "amend", "OP2", "--text", "Train officials.", "--json"))
    assert (a1["id"], a1["kind"], a1["proposer"], a1["status"]) == (
        "A1",
        "modify",
        "CAN",
        "proposed",
    )
    assert a1["text"] == "Train officials."
    a2 = ok(wp("USA", "amend", "OP3", "--delete", "--json"))
    assert (a2["id"], a2["kind"]) == ("A2", "delete")
    a3 = ok(wp("BRA", "amend", "--insert-after", "OP4", "--text", "A new one.", "--json"))
    assert (a3["id"], a3["kind"], a3["placement"]) == ("A3", "insert", "after")

    data = ok(wp("MEX", "cosponsor", "A1", "--json"))
    assert data["id"] == "A1"
    assert data["cosponsors"] == ["MEX"]
    data = ok(wp("CAN", "revise-amendment", "A1", "--text", "Train and equip.", "--json"))
    assert data["id"] == "A1"
    assert data["text"] == "Train and equip."
    data = ok(wp("USA", "withdraw", "A2", "--json"))
    assert data["id"] == "A2"
    assert data["status"] == "withdrawn"
    data = ok(wp("CHAIR", "decide", "A1", "accept", "--json"))
    assert data["id"] == "A1"
    assert data["status"] == "accepted"
    data = ok(wp("CHAIR", "decide", "A3", "reject", "--json"))
    assert data["id"] == "A3"
    assert data["status"] == "rejected"


def test_position(session: Cli) -> None:
    wp = session
    data = ok(wp("USA", "position", "OP2", "object", "--comment", "consult", "--json"))
    assert (data["delegation"], data["stance"], data["comment"]) == ("USA", "object", "consult")
    data = ok(wp("SECRETARIAT", "--for", "PER", "position", "OP2", "ad-ref", "--json"))
    assert data["delegation"] == "PER"


def test_reservation_commands(session: Cli) -> None:
    wp = session
    status = ok(wp(None, "status", "--json"))
    uid = {p["ref"]: p["uid"] for p in status["paragraphs"]}

    data = ok(wp("JAM", "reserve", "OP1", "OP3", "--text", "Jamaica reserves.", "--json"))
    assert (data["id"], data["delegation"]) == ("R1", "JAM")
    assert data["paragraphs"] == [uid["OP1"], uid["OP3"]]
    data = ok(wp("JAM", "reserve", "OP4", "--reuse", "R1", "--json"))
    assert data["id"] == "R1"
    assert uid["OP4"] in data["paragraphs"]

    data = ok(wp("JAM", "edit-reservation", "R1", "--text", "Jamaica reserves again.", "--json"))
    assert data["id"] == "R1"
    assert data["text"] == "Jamaica reserves again."

    data = ok(wp("JAM", "unreserve", "R1", "OP3", "--json"))
    assert (data["id"], data["action"], data["withdrawn"]) == ("R1", "detached", False)
    assert data["detached_from"] == [uid["OP3"]]
    assert data["paragraphs"] == [uid["OP1"], uid["OP4"]]

    data = ok(wp("JAM", "unreserve", "R1", "--json"))
    assert (data["id"], data["action"], data["withdrawn"]) == ("R1", "withdrawn", True)
    assert sorted(data["detached_from"]) == sorted([uid["OP1"], uid["OP4"]])
    assert data["paragraphs"] == []


def test_chair_decisions_on_paragraphs(session: Cli) -> None:
    wp = session
    status = ok(wp(None, "status", "--json"))
    uid = {p["ref"]: p["uid"] for p in status["paragraphs"]}

    data = ok(wp("CHAIR", "agree", "OP1", "PP1", "--json"))
    assert data["document"] == "third-work-plan"
    assert [(p["named"], p["ref"], p["uid"], p["status"]) for p in data["paragraphs"]] == [
        ("OP1", "OP1", uid["OP1"], "agreed"),
        ("PP1", "PP1", uid["PP1"], "agreed"),
    ]

    assert wp("MEX", "position", "OP4", "ad-ref").exit_code == 0
    data = ok(wp("CHAIR", "agree", "OP4", "--ad-ref", "--json"))
    [op4] = data["paragraphs"]
    assert op4["status"] == "agreed-ad-ref"
    assert op4["ad_ref"] == ["MEX"]

    data = ok(wp("CHAIR", "silence", "OP3", "--until", "+3d", "--json"))
    assert data["until"]
    assert data["until"].endswith("+00:00")
    [op3] = data["paragraphs"]
    assert (op3["named"], op3["uid"], op3["status"]) == ("OP3", uid["OP3"], "under-silence")
    assert op3["silence_until"] == data["until"]

    # Deleting OP2 renumbers the operative paragraphs: the uid says which one went.
    data = ok(wp("CHAIR", "delete-paragraph", "OP2", "--json"))
    [op2] = data["paragraphs"]
    assert (op2["named"], op2["ref"], op2["uid"], op2["status"]) == (
        "OP2",
        "",
        uid["OP2"],
        "deleted",
    )

    data = ok(wp("CHAIR", "reopen", uid["OP2"], "OP1", "--json"))
    assert [(p["named"], p["ref"], p["uid"], p["status"]) for p in data["paragraphs"]] == [
        (uid["OP2"], "OP2", uid["OP2"], "not-discussed"),
        ("OP1", "OP1", uid["OP1"], "not-discussed"),
    ]


def test_revise(session: Cli) -> None:
    wp = session
    assert wp("SECRETARIAT", "meta", "--symbol", "CP/CSH-2001/22").exit_code == 0
    data = ok(wp("SECRETARIAT", "revise", "--json"))
    assert data["number"] == 1
    assert data["symbol"] == "CP/CSH-2001/22 rev. 1"
    assert len(data["chain_head"]) == 64
    assert "snapshot" not in data
    assert json.loads(wp(None, "revisions", "--json").stdout) == [data]


def test_backup_and_restore(session: Cli, tmp_path: Path) -> None:
    wp = session
    copy = tmp_path / "copy.db"
    data = ok(wp(None, "backup", str(copy), "--json"))
    assert data == {"database": str(wp.db), "backup": str(copy)}
    head = ok(wp(None, "verify", "--json"))["head"]
    events = len(json.loads(wp(None, "log", "--json").stdout))

    assert wp("CHAIR", "agree", "OP1").exit_code == 0
    data = ok(wp("SECRETARIAT", "restore", str(copy), "--json"))
    assert data["database"] == str(wp.db)
    assert data["restored_from"] == str(copy)
    assert data["events"] == events
    assert data["backup_head"] == head
    log = json.loads(wp(None, "log", "--json").stdout)
    assert log[-1]["action"] == "record.restored"
    assert log[-1]["prev_hash"] == head
    assert data["chain_head"] == log[-1]["hash"]
    assert data["old_head"] != head
    assert Path(data["kept"]).exists()
    assert Path(data["kept"]).name.startswith(f"{wp.db.name}.before-")


@pytest.mark.parametrize(
    ("who", "args", "code"),
    [
        ("CHAIR", ["agree", "OP9"], 66),
        ("USA", ["agree", "OP1"], 77),
        ("CHAIR", ["silence", "OP1", "--until", "2001-01-01T00:00Z"], 65),
        ("CHAIR", ["reopen", "OP1"], 1),
        ("JAM", ["unreserve", "R9"], 66),
        ("SECRETARIAT", ["meta", "--period", "soon"], 2),
        ("OBSERVER", ["restore", "nowhere.db"], 66),
    ],
)
def test_errors_stay_one_line_on_stderr(session: Cli, who, args, code) -> None:
    r = session(who, *args, "--json")
    assert r.exit_code == code, r.output
    assert r.stdout == ""
    assert r.stderr.startswith("workplan: ")
    assert r.stderr.count("\n") == 1
