"""The scripted session of the negotiation issue, through the CLI alone; and concurrency."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

from tests.conftest import Cli


def test_scripted_session(cli: Cli) -> None:
    r = cli(
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
    assert cli("USA", "position", "OP2", "object").exit_code == 0
    st = json.loads(cli(None, "status", "--json").output)
    op2 = next(p for p in st["paragraphs"] if p["ref"] == "OP2")
    assert op2["status"] == "under-negotiation"
    assert op2["objecting"] == ["USA"]
    refused = cli("CHAIR", "agree", "OP2")
    assert refused.exit_code != 0
    assert "USA" in refused.output
    assert cli("USA", "position", "OP2", "join").exit_code == 0
    assert cli("CHAIR", "decide", aid, "accept").exit_code == 0
    r = cli("CHAIR", "agree", "OP2")
    assert r.exit_code == 0
    assert "agreed" in r.output
    r = cli(
        "JAM",
        "reserve",
        "PP1",
        "OP2",
        "--text",
        "The Government of Jamaica joins on the understanding of its Constitution.",
    )
    assert r.exit_code == 0
    assert r.output.strip() == "R1"
    r = cli("SECRETARIAT", "revise")
    assert r.exit_code == 0
    assert "rev. 1" in r.output
    st = json.loads(cli(None, "status", "--json").output)
    op2 = next(p for p in st["paragraphs"] if p["ref"] == "OP2")
    assert op2["status"] == "agreed"
    assert op2["reservations"] == ["R1"]
    assert op2["reserving"] == ["JAM"]
    assert st["counts"]["agreed"] == 1
    shown = json.loads(cli(None, "show", "--rev", "1", "--json").output)
    assert shown["symbol"].endswith("rev. 1")
    frozen = next(p for p in shown["paragraphs"] if p["ref"] == "OP2")
    assert frozen["text"] == "Train and equip border officials."
    assert frozen["status"] == "agreed"
    assert frozen["reservations"][0]["delegation"] == "JAM"
    assert cli(None, "verify").exit_code == 0
    log = cli(None, "log").output
    assert "A1 by CAN" in log
    assert "JAM reservation R1" in log

    conn = sqlite3.connect(cli.db)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET actor = 'MEX' WHERE action = 'position.recorded'")
    conn.commit()
    conn.close()
    r = cli(None, "verify")
    assert r.exit_code == 1
    assert "was altered" in r.output
    assert "events_no_update is missing" in r.output


def test_verify_detects_table_edits(cli: Cli) -> None:
    conn = sqlite3.connect(cli.db)
    conn.execute("UPDATE paragraphs SET text = 'Quietly changed.' WHERE rowid = 3")
    conn.commit()
    conn.close()
    r = cli(None, "verify")
    assert r.exit_code == 1
    assert "text differ from the record" in r.output


def test_permission_refused_exit_77_and_logged(cli: Cli) -> None:
    r = cli("CAN", "agree", "OP1")
    assert r.exit_code == 77
    assert r.output.startswith("workplan: CAN")
    log = json.loads(cli(None, "log", "--json").output)
    assert log[-1]["action"] == "permission.refused"


def test_conflict_exit_75(cli: Cli) -> None:
    assert cli("CAN", "amend", "OP1", "--text", "One.", "--version", "1").exit_code == 0
    assert cli("CHAIR", "decide", "A1", "accept", "--version", "1").exit_code == 0
    r = cli("MEX", "amend", "OP1", "--text", "Two.", "--version", "1")
    assert r.exit_code == 75
    assert "changed since version 1" in r.output


def test_two_processes_same_paragraph_same_version(cli: Cli) -> None:
    assert cli("CAN", "amend", "OP1", "--text", "Canada's text.").exit_code == 0
    assert cli("MEX", "amend", "OP1", "--text", "Mexico's text.").exit_code == 0
    env = {**os.environ, "WORKPLAN_DB": str(cli.db), "WORKPLAN_AS": "CHAIR"}
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
    assert cli(None, "verify").exit_code == 0
    amendments = json.loads(cli(None, "amendments", "--all", "--json").output)
    statuses = sorted(a["status"] for a in amendments)
    assert statuses == ["accepted", "proposed"]


def test_log_names_what_a_refusal_refused(cli: Cli) -> None:
    assert cli("CAN", "agree", "OP1").exit_code == 77
    log = cli(None, "log").output.splitlines()
    assert "refused paragraph.agree: " in log[-1]
    assert "only the chair" in log[-1]
