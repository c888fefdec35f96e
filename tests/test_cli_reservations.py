"""`reservations` says where a reservation is attached, or was when it was withdrawn."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from tests.conftest import PLAN

from workplan.cli import cli


def test_a_withdrawn_reservation_says_where_it_was(tmp_path: Path) -> None:
    db, runner = tmp_path / "res.db", CliRunner()

    def wp(who: str | None, *args: str) -> Result:
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        r = runner.invoke(cli, [*pre, *args], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r

    wp("SECRETARIAT", "init", "--from-file", str(PLAN))
    wp("JAM", "reserve", "OP1", "OP3", "PP2", "--text", "Jamaica does not join.")
    wp("PRY", "reserve", "OP2", "--text", "Paraguay does not join.")
    wp("LCA", "reserve", "OP4", "--text", "Saint Lucia does not join.")
    wp("JAM", "unreserve", "R1", "PP2")
    wp("JAM", "unreserve", "R1")  # withdrawn from OP1 and OP3
    wp("PRY", "unreserve", "R2", "OP2")  # detached everywhere, then withdrawn
    wp("PRY", "unreserve", "R2")
    out = wp(None, "reservations").output
    assert "nowhere" not in out
    assert "R1   JAM (withdrawn; was on OP1, OP3)" in out
    assert "R2   PRY (withdrawn; was on OP2)" in out
    assert "R3   LCA on OP4" in out
    data = {r["id"]: r for r in json.loads(wp(None, "reservations", "--json").output)}
    uids = {p["ref"]: p["uid"] for p in json.loads(wp(None, "show", "--json").output)["paragraphs"]}
    assert data["R1"]["withdrawn"]
    assert data["R1"]["paragraphs"] == []
    assert data["R1"]["withdrawn_from"] == [uids["OP1"], uids["OP3"]]
    assert data["R2"]["withdrawn_from"] == [uids["OP2"]]
    assert data["R3"]["withdrawn_from"] == []
    assert data["R3"]["paragraphs"] == [uids["OP4"]]
