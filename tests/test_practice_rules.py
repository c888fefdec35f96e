"""Negotiation as it is practised: an agreed paragraph takes no objection, an insertion is about
a new paragraph and not about its anchor."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import PLAN

from workplan.cli import cli
from workplan.errors import ProcedureError
from workplan.model.negotiation import Status
from workplan.service import Service

DOC = "third-work-plan"


def status_of(svc: Service, ref: str) -> dict:
    uid = svc.draft(DOC).resolve(ref).uid
    return next(p for p in svc.status(DOC)["paragraphs"] if p["uid"] == uid)


def test_an_agreed_paragraph_takes_no_objection(svc: Service, as_) -> None:
    as_("CHAIR").agree(DOC, ["OP1"])
    with pytest.raises(
        ProcedureError, match="OP1 is agreed: it takes no objection until the chair"
    ):
        as_("USA").record_position(DOC, "OP1", "object")
    assert status_of(svc, "OP1")["objecting"] == []
    assert [e for e in svc.events(DOC) if e.action == "position.recorded"] == []
    # Support on an agreed paragraph is harmless and still taken; after a reopen, objection is.
    as_("USA").record_position(DOC, "OP1", "support")
    as_("CHAIR").reopen(DOC, ["OP1"])
    as_("USA").record_position(DOC, "OP1", "object")
    assert status_of(svc, "OP1")["objecting"] == ["USA"]


def test_an_insertion_does_not_block_its_anchor(svc: Service, as_) -> None:
    ins = as_("BRA").propose(DOC, "OP2", "insert", text="Protect witnesses and their families.")
    row = status_of(svc, "OP2")
    assert row["status"] == Status.NOT_DISCUSSED
    assert row["ready"]
    assert row["open_amendments"] == []
    assert row["insertions"] == [ins.id]
    (state,) = as_("CHAIR").agree(DOC, ["OP2"])
    assert state.status == Status.AGREED
    # An insertion next to an agreed paragraph is still a proposal about a new paragraph.
    second = as_("MEX").propose(DOC, "OP2", "insert", text="Share data across borders.")
    as_("CHAIR").decide(DOC, second.id, "accept")
    assert status_of(svc, "OP2")["status"] == Status.AGREED
    # A modification of the agreed paragraph is refused: the chair must reopen it first.
    with pytest.raises(ProcedureError, match="OP2 is agreed; the chair must reopen it first"):
        as_("MEX").propose(DOC, "OP2", "modify", text="Another text.")


def test_an_insertion_does_not_break_its_anchors_silence(svc: Service, as_) -> None:
    as_("CHAIR").silence(DOC, ["OP3"], "+72h")
    as_("BRA").propose(DOC, "OP3", "insert", text="Protect witnesses and their families.")
    assert status_of(svc, "OP3")["status"] == Status.UNDER_SILENCE
    as_("BRA").propose(DOC, "OP3", "modify", text="Train officials, and fund them.")
    assert status_of(svc, "OP3")["status"] == Status.UNDER_NEGOTIATION  # this one breaks it


def test_cli_objection_to_an_agreed_paragraph_is_exit_1(tmp_path: Path) -> None:
    db, runner = tmp_path / "p.db", CliRunner()

    def wp(who: str, *args: str) -> tuple[int, str]:
        r = runner.invoke(cli, ["--db", str(db), "--as", who, *args])
        return r.exit_code, r.output

    assert wp("SECRETARIAT", "init", "--from-file", str(PLAN))[0] == 0
    assert wp("CHAIR", "agree", "OP1")[0] == 0
    code, out = wp("USA", "position", "OP1", "object")
    assert code == 1
    assert out.strip().splitlines() == [
        "workplan: OP1 is agreed: it takes no objection until the chair reopens it"
    ]


def test_a_closed_amendment_takes_no_position(svc: Service, as_) -> None:
    accepted = as_("CAN").propose(DOC, "OP2", "modify", text="Canada's new text.")
    as_("CHAIR").decide(DOC, accepted.id, "accept")
    withdrawn = as_("MEX").propose(DOC, "OP3", "delete")
    as_("MEX").withdraw(DOC, withdrawn.id)
    for am, was in ((accepted, "accepted"), (withdrawn, "withdrawn")):
        with pytest.raises(ProcedureError, match=f"{am.id} is {was}, no longer open"):
            as_("BRA").record_position(DOC, am.id, "object")
    assert [e for e in svc.events(DOC) if e.action == "position.recorded"] == []


def test_the_compilation_says_silence_once_in_the_groups_zone(svc: Service, as_) -> None:
    from workplan.formats.export import render_text

    svc.set_metadata(DOC, timezone="America/New_York")
    as_("CHAIR").silence(DOC, ["OP4"], "2027-03-05T17:00")
    text = render_text(svc.export_compilation(DOC))
    assert "Under silence until 2027-03-05 17:00 EST (22:00 UTC)." in text
    assert "Under silence. Under silence" not in text
