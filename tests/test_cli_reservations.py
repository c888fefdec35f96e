"""`reservations` says where a reservation is attached, or was when it was withdrawn."""

from __future__ import annotations

import json

from tests.conftest import Cli


def test_a_withdrawn_reservation_says_where_it_was(cli: Cli) -> None:
    cli.ok("JAM", "reserve", "OP1", "OP3", "PP2", "--text", "Jamaica does not join.")
    cli.ok("PRY", "reserve", "OP2", "--text", "Paraguay does not join.")
    cli.ok("LCA", "reserve", "OP4", "--text", "Saint Lucia does not join.")
    cli.ok("JAM", "unreserve", "R1", "PP2")
    cli.ok("JAM", "unreserve", "R1")  # withdrawn from OP1 and OP3
    cli.ok("PRY", "unreserve", "R2", "OP2")  # detached everywhere, then withdrawn
    cli.ok("PRY", "unreserve", "R2")
    out = cli.ok(None, "reservations").output
    assert "nowhere" not in out
    assert "R1   JAM (withdrawn; was on OP1, OP3)" in out
    assert "R2   PRY (withdrawn; was on OP2)" in out
    assert "R3   LCA on OP4" in out
    data = {r["id"]: r for r in json.loads(cli.ok(None, "reservations", "--json").output)}
    uids = {
        p["ref"]: p["uid"] for p in json.loads(cli.ok(None, "show", "--json").output)["paragraphs"]
    }
    assert data["R1"]["withdrawn"]
    assert data["R1"]["paragraphs"] == []
    assert data["R1"]["withdrawn_from"] == [uids["OP1"], uids["OP3"]]
    assert data["R2"]["withdrawn_from"] == [uids["OP2"]]
    assert data["R3"]["withdrawn_from"] == []
    assert data["R3"]["paragraphs"] == [uids["OP4"]]
