"""The scripted session of the negotiation issue, through the CLI alone; and concurrency."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import PLAN

from workplan.cli import cli


@pytest.fixture
def wp(tmp_path: Path):
    db = tmp_path / "session.db"
    runner = CliRunner()

    def run(who: str | None, *args: str):
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        return runner.invoke(cli, [*pre, *args], catch_exceptions=False)

    assert run("SECRETARIAT", "init", "--from-file", str(PLAN)).exit_code == 0
    run.db = db  # type: ignore[attr-defined]
    return run


def test_scripted_session(wp) -> None:
    r = wp(
        "CAN",
        "amend",
        "OP2",
        "--text",
        "Train and equip border officials.",
        "--cosponsor",
        "MEX",
        "--justification",
        "Equipment is part of it.",
    )
    assert r.exit_code == 0, r.output
    aid = r.output.strip()
    assert aid == "A1"
    assert wp("USA", "position", "OP2", "object").exit_code == 0
    st = json.loads(wp(None, "status", "--json").output)
    op2 = next(p for p in st["paragraphs"] if p["ref"] == "OP2")
    assert op2["status"] == "under-negotiation"
    assert op2["objecting"] == ["USA"]
    refused = wp("CHAIR", "agree", "OP2")
    assert refused.exit_code != 0
    assert "USA" in refused.output
    assert wp("USA", "position", "OP2", "join").exit_code == 0
    assert wp("CHAIR", "decide", aid, "accept").exit_code == 0
    r = wp("CHAIR", "agree", "OP2")
    assert r.exit_code == 0
    assert "agreed" in r.output
    r = wp(
        "JAM",
        "reserve",
        "PP1",
        "OP2",
        "--text",
        "The Government of Jamaica joins on the understanding of its Constitution.",
    )
    assert r.exit_code == 0
    assert r.output.strip() == "R1"
    r = wp("SECRETARIAT", "revise")
    assert r.exit_code == 0
    assert "rev. 1" in r.output
    st = json.loads(wp(None, "status", "--json").output)
    op2 = next(p for p in st["paragraphs"] if p["ref"] == "OP2")
    assert op2["status"] == "agreed"
    assert op2["reservations"] == ["R1"]
    assert op2["reserving"] == ["JAM"]
    assert st["counts"]["agreed"] == 1
    shown = json.loads(wp(None, "show", "--rev", "1", "--json").output)
    assert shown["symbol"].endswith("rev. 1")
    frozen = next(p for p in shown["paragraphs"] if p["ref"] == "OP2")
    assert frozen["text"] == "Train and equip border officials."
    assert frozen["status"] == "agreed"
    assert frozen["reservations"][0]["delegation"] == "JAM"
    assert wp(None, "verify").exit_code == 0
    log = wp(None, "log").output
    assert "A1 by CAN" in log
    assert "JAM reservation R1" in log

    conn = sqlite3.connect(wp.db)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET actor = 'MEX' WHERE action = 'position.recorded'")
    conn.commit()
    conn.close()
    r = wp(None, "verify")
    assert r.exit_code == 1
    assert "was altered" in r.output
    assert "events_no_update is missing" in r.output


def test_verify_detects_table_edits(wp) -> None:
    conn = sqlite3.connect(wp.db)
    conn.execute("UPDATE paragraphs SET text = 'Quietly changed.' WHERE rowid = 3")
    conn.commit()
    conn.close()
    r = wp(None, "verify")
    assert r.exit_code == 1
    assert "text differ from the record" in r.output


def test_permission_refused_exit_77_and_logged(wp) -> None:
    r = wp("CAN", "agree", "OP1")
    assert r.exit_code == 77
    assert r.output.startswith("workplan: CAN")
    log = json.loads(wp(None, "log", "--json").output)
    assert log[-1]["action"] == "permission.refused"


def test_conflict_exit_75(wp) -> None:
    assert wp("CAN", "amend", "OP1", "--text", "One.", "--version", "1").exit_code == 0
    assert wp("CHAIR", "decide", "A1", "accept", "--version", "1").exit_code == 0
    r = wp("MEX", "amend", "OP1", "--text", "Two.", "--version", "1")
    assert r.exit_code == 75
    assert "changed since version 1" in r.output


def test_two_processes_same_paragraph_same_version(wp) -> None:
    assert wp("CAN", "amend", "OP1", "--text", "Canada's text.").exit_code == 0
    assert wp("MEX", "amend", "OP1", "--text", "Mexico's text.").exit_code == 0
    env = {**os.environ, "WORKPLAN_DB": str(wp.db), "WORKPLAN_AS": "CHAIR"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "workplan", "decide", aid, "accept", "--version", "1"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for aid in ("A1", "A2")
    ]
    results = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 75], results
    assert wp(None, "verify").exit_code == 0
    amendments = json.loads(wp(None, "amendments", "--all", "--json").output)
    statuses = sorted(a["status"] for a in amendments)
    assert statuses == ["accepted", "proposed"]


def test_log_names_what_a_refusal_refused(tmp_path: Path) -> None:
    from click.testing import CliRunner
    from tests.conftest import PLAN

    from workplan.cli import cli

    db = tmp_path / "r.db"
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["--db", str(db), "--as", "SECRETARIAT", "init", "--from-file", str(PLAN)]
        ).exit_code
        == 0
    )
    assert runner.invoke(cli, ["--db", str(db), "--as", "CAN", "agree", "OP1"]).exit_code == 77
    log = runner.invoke(cli, ["--db", str(db), "log"]).output.splitlines()
    assert "refused paragraph.agree: " in log[-1]
    assert "only the chair" in log[-1]
