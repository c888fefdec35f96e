"""Service tests of the negotiation: amendments, positions, consensus, silence, reservations."""

from __future__ import annotations

from datetime import timedelta

import pytest

from workplan.errors import ConflictError, InputError, PermissionDenied, ProcedureError, UsageError
from workplan.model.negotiation import AmendmentStatus, Status
from workplan.service import Service

DOC = "third-work-plan"


def status_of(svc: Service, ref: str) -> dict:
    rows = svc.status(DOC)["paragraphs"]
    return next(r for r in rows if r["ref"] == ref)


def test_amend_object_join_accept_agree(svc: Service, as_) -> None:
    assert status_of(svc, "OP1")["status"] == Status.NOT_DISCUSSED
    am = as_("CAN").propose(
        DOC,
        "OP1",
        "modify",
        text="Adopt and fund national action plans.",
        cosponsors=["MEX"],
        justification="Funding matters.",
    )
    assert am.id == "A1"
    assert am.cosponsors == ["MEX"]
    assert am.patch
    as_("USA").record_position(DOC, "OP1", "object", "needs consultation")
    row = status_of(svc, "OP1")
    assert row["status"] == Status.UNDER_NEGOTIATION
    assert row["objecting"] == ["USA"]
    assert row["open_amendments"] == ["A1"]
    chair = as_("CHAIR")
    with pytest.raises(ProcedureError, match="USA objects"):
        chair.agree(DOC, ["OP1"])
    as_("USA").record_position(DOC, "OP1", "join")
    with pytest.raises(ProcedureError, match="amendment A1 is open"):
        chair.agree(DOC, ["OP1"])
    chair.decide(DOC, "A1", "accept")
    assert svc.draft(DOC).resolve("OP1").text == "Adopt and fund national action plans."
    chair.agree(DOC, ["OP1"])
    assert status_of(svc, "OP1")["status"] == Status.AGREED
    assert svc.verify() == []


def test_amend_an_agreed_paragraph_is_refused(as_) -> None:
    as_("CHAIR").agree(DOC, ["OP2"])
    with pytest.raises(ProcedureError, match="reopen"):
        as_("CAN").propose(DOC, "OP2", "modify", text="Other text.")
    as_("CHAIR").reopen(DOC, ["OP2"])
    as_("CAN").propose(DOC, "OP2", "modify", text="Other text.")


def test_rebase_clean_and_conflicting(svc: Service, as_) -> None:
    base = svc.draft(DOC).resolve("OP2").text
    assert base == "Train border officials to recognise the signs of trafficking."
    a1 = as_("CAN").propose(
        DOC,
        "OP2",
        "modify",
        text="Train and equip border and immigration officials to recognise the signs of"
        " trafficking.",
    )
    a2 = as_("MEX").propose(
        DOC,
        "OP2",
        "modify",
        text="Train border officials to recognise the signs of trafficking in persons.",
    )
    a3 = as_("BRA").propose(
        DOC,
        "OP2",
        "modify",
        text="Train customs agents to recognise the signs of trafficking.",
    )
    as_("CHAIR").decide(DOC, a1.id, "accept")
    neg = svc.negotiation(DOC)
    clean, conflict = neg.amendment(a2.id), neg.amendment(a3.id)
    assert not clean.needs_rebase
    assert clean.text == (
        "Train and equip border and immigration officials to recognise the signs of"
        " trafficking in persons."
    )
    assert conflict.needs_rebase
    assert conflict.rebase_failures
    assert conflict.text == "Train customs agents to recognise the signs of trafficking."
    assert conflict.status == AmendmentStatus.PROPOSED
    with pytest.raises(ProcedureError, match="must revise it first"):
        as_("CHAIR").decide(DOC, a3.id, "accept")
    as_("BRA").revise_amendment(DOC, a3.id, "Instruct and equip border officials.")
    as_("CHAIR").decide(DOC, a3.id, "accept")
    assert svc.draft(DOC).resolve("OP2").text == "Instruct and equip border officials."
    actions = [e.action for e in svc.events(DOC)]
    assert "amendment.rebased" in actions
    assert "amendment.needs-rebase" in actions
    assert svc.verify() == []


def test_insert_delete_move(svc: Service, as_) -> None:
    before = svc.draft(DOC)
    op1, op2 = before.resolve("OP1").uid, before.resolve("OP2").uid
    ins = as_("CAN").propose(DOC, "OP1", "insert", text="A new operative paragraph.")
    dele = as_("USA").propose(DOC, "OP3", "delete")
    mov = as_("JAM").propose(DOC, "OP1", "move", anchor="OP2")
    chair = as_("CHAIR")
    chair.decide(DOC, ins.id, "accept")
    d = svc.draft(DOC)
    # Refs hold still until the next revision: the insertion after OP1 is OP1 bis.
    assert d.resolve("OP1 bis").text == "A new operative paragraph."
    assert d.resolve("OP2").uid == op2
    chair.decide(DOC, mov.id, "accept")
    d = svc.draft(DOC)
    assert [d.resolve(r).uid for r in ("OP1", "OP2")] == [op1, op2]  # moved, same numbers
    assert d.by_uid[op1].position > d.by_uid[op2].position
    chair.decide(DOC, dele.id, "accept")
    d = svc.draft(DOC)
    assert status_of(svc, "")  # deleted paragraphs lose their ref
    assert len([p for p in d.paragraphs if p.deleted]) == 1
    assert [p.position for p in d.paragraphs] == list(range(len(d.paragraphs)))
    assert svc.verify() == []


def test_withdraw_only_by_proposer_and_cosponsor(svc: Service, as_) -> None:
    am = as_("CAN").propose(DOC, "OP1", "delete")
    with pytest.raises(PermissionDenied, match="only CAN"):
        as_("MEX").withdraw(DOC, am.id)
    as_("MEX").cosponsor(DOC, am.id)
    with pytest.raises(ProcedureError, match="already sponsors"):
        as_("MEX").cosponsor(DOC, am.id)
    as_("SECRETARIAT", "CAN").withdraw(DOC, am.id)
    assert svc.negotiation(DOC).amendment(am.id).status == AmendmentStatus.WITHDRAWN
    events = svc.events(DOC)
    assert events[-1].actor == "SECRETARIAT"
    assert events[-1].on_behalf_of == "CAN"


def test_secretariat_must_name_the_delegation(as_) -> None:
    with pytest.raises(UsageError, match="--for"):
        as_("SECRETARIAT").record_position(DOC, "OP1", "support")
    with pytest.raises(PermissionDenied, match="not an active delegation"):
        as_("SECRETARIAT", "NIC").record_position(DOC, "OP1", "support")


def test_optimistic_concurrency(svc: Service, as_) -> None:
    v = svc.draft(DOC).resolve("OP1").version
    a1 = as_("CAN").propose(DOC, "OP1", "modify", text="Text one.", expect_version=v)
    as_("CHAIR").decide(DOC, a1.id, "accept", expect_version=v)
    with pytest.raises(ConflictError, match=r"OP1 changed since version 1 \(now version 2"):
        as_("MEX").propose(DOC, "OP1", "modify", text="Text two.", expect_version=v)


def test_ad_referendum_then_confirmed(svc: Service, as_) -> None:
    as_("PER").record_position(DOC, "OP4", "ad-ref")
    with pytest.raises(ProcedureError, match="no delegation is ad referendum"):
        as_("CHAIR").agree(DOC, ["OP3"], ad_ref=True)
    as_("CHAIR").agree(DOC, ["OP4"])
    row = status_of(svc, "OP4")
    assert row["status"] == Status.AGREED_AD_REF
    assert row["ad_ref"] == ["PER"]
    as_("PER").record_position(DOC, "OP4", "join")
    assert status_of(svc, "OP4")["status"] == Status.AGREED


def test_silence_broken_and_unbroken(svc: Service, as_, clock) -> None:
    chair = as_("CHAIR")
    chair.silence(DOC, ["OP1", "OP2"], "2026-03-05T17:00Z")
    assert status_of(svc, "OP1")["status"] == Status.UNDER_SILENCE
    as_("ARG").record_position(DOC, "OP2", "object")
    assert status_of(svc, "OP2")["status"] == Status.UNDER_NEGOTIATION
    broken = [e for e in svc.events(DOC) if e.action == "silence.broken"]
    assert broken[-1].payload["by"] == "ARG"
    clock.advance(days=4)
    assert status_of(svc, "OP1")["status"] == Status.AGREED
    assert svc.events(DOC)[-1].action == "silence.ended"
    with pytest.raises(InputError, match="in the past"):
        chair.silence(DOC, ["OP3"], "2026-03-01T00:00Z")
    until = chair.silence(DOC, ["OP3"], "+72h")  # a delay from now, as the TUI offers
    assert until == svc.now() + timedelta(hours=72)
    with pytest.raises(InputError, match=r"ISO 8601 time .* or a delay from now"):
        chair.silence(DOC, ["OP4"], "tomorrow")


def test_new_amendment_breaks_silence(svc: Service, as_) -> None:
    as_("CHAIR").silence(DOC, ["OP3"], "2026-03-09T12:00Z")
    as_("CHL").propose(DOC, "OP3", "modify", text="A different text.")
    assert status_of(svc, "OP3")["status"] == Status.UNDER_NEGOTIATION


def test_reservation_one_text_many_places(svc: Service, as_) -> None:
    jam = as_("JAM")
    r = jam.reserve(DOC, ["PP1", "OP3"], text="Jamaica joins on the understanding of its laws.")
    assert r.id == "R1"
    assert len(r.paragraphs) == 2
    assert status_of(svc, "OP3")["reserving"] == ["JAM"]
    jam.reserve(DOC, ["OP4"], reuse="R1")
    jam.edit_reservation(DOC, "R1", "Jamaica joins, mindful of its Constitution.")
    neg = svc.negotiation(DOC)
    assert neg.reservation("R1").text == "Jamaica joins, mindful of its Constitution."
    assert len(neg.reservation("R1").paragraphs) == 3
    with pytest.raises(PermissionDenied, match="JAM's reservation"):
        as_("LCA").reserve(DOC, ["OP1"], reuse="R1")
    assert svc.events()[-1].action == "permission.refused"
    jam.unreserve(DOC, "R1", ["OP4"])
    assert len(svc.negotiation(DOC).reservation("R1").paragraphs) == 2
    jam.unreserve(DOC, "R1")
    assert svc.negotiation(DOC).reservation("R1").withdrawn
    assert svc.negotiation(DOC).reservation("R1").paragraphs == []
    assert svc.verify() == []


def test_revision_is_an_immutable_snapshot(svc: Service, as_) -> None:
    as_("CAN").propose(DOC, "OP1", "modify", text="Changed text.")
    rev = as_("SECRETARIAT").revise(DOC)
    assert rev.number == 1
    assert rev.symbol.endswith(" rev. 1")
    as_("CHAIR").decide(DOC, "A1", "accept")
    frozen = svc.revision(DOC, 1).snapshot
    op1 = next(p for p in frozen["paragraphs"] if p["ref"] == "OP1")
    assert op1["text"] == "Adopt national action plans that cover every form of exploitation."
    assert op1["open_amendments"][0]["id"] == "A1"
    assert as_("CHAIR").revise(DOC).number == 2


def test_unknown_things(as_) -> None:
    with pytest.raises(Exception, match="no amendment A9"):
        as_("CAN").withdraw(DOC, "A9")
    with pytest.raises(Exception, match="unknown position"):
        as_("CAN").record_position(DOC, "OP1", "maybe")


def test_positions_are_read_per_target_inside_an_action_then_all_at_once() -> None:
    from workplan.service.negotiation_base import PositionsByTarget

    at = "2026-03-02T14:00:00+00:00"
    n = PositionsByTarget.BULK_AFTER + 40
    rows = {
        f"u{i}": [("CAN", "object", "too vague", at), ("MEX", "none", "", at)] for i in range(n)
    }
    reads: list[str] = []

    def all_stances() -> dict[str, list[tuple[str, str]]]:
        reads.append("*")
        return {t: [(d, s) for d, s, _, _ in r if s != "none"] for t, r in rows.items()}

    def one(target: str) -> list[tuple[str, str, str, str]]:
        reads.append(target)
        return rows.get(target, [])

    positions = PositionsByTarget(DOC, all_stances, one)
    assert positions.stances("u1") == [("CAN", "object")]  # `none` is no stance
    assert positions["u1"][0].comment == "too vague"
    assert [p.delegation for p in positions["u1"]] == ["CAN", "MEX"]
    assert positions.get("nobody") == []  # no KeyError: a target without positions has none
    assert reads == ["u1", "nobody"]
    for i in range(n):  # a listing asks about every target: one bulk read past the threshold
        assert positions.stances(f"u{i}") == [("CAN", "object")]
    assert reads.count("*") == 1
    assert len(reads) == PositionsByTarget.BULK_AFTER + 1
    assert len(positions) == n
    assert positions[f"u{n - 1}"][1].stance == "none"  # full rows are still read when shown
    assert positions.get("nobody-else") == []  # known to have none
    assert reads[-1] == f"u{n - 1}"


def test_an_action_sees_the_positions_recorded_before_it(svc: Service, as_) -> None:
    as_("USA").record_position(DOC, "OP2", "object")
    with pytest.raises(ProcedureError, match="USA objects"):
        as_("CHAIR").agree(DOC, ["OP2"])
    as_("USA").record_position(DOC, "OP2", "support")
    as_("CHAIR").agree(DOC, ["OP2"])
    assert status_of(svc, "OP2")["status"] == Status.AGREED


def test_rebase_failures_keep_the_words_spacing(svc: Service, as_) -> None:
    chair = as_("CHAIR")
    base = "Member states shall strengthen our mechanisms now and always."
    first = as_("CAN").propose(DOC, "OP1", "modify", text=base)
    chair.decide(DOC, first.id, "accept")
    mine = as_("MEX").propose(
        DOC, "OP1", "modify", text=base.replace("strengthen our mechanisms", "our")
    )
    theirs = as_("USA").propose(DOC, "OP1", "modify", text="Member states must act now and always.")
    chair.decide(DOC, theirs.id, "accept")
    flagged = svc.negotiation(DOC).amendment(mine.id)
    assert flagged.needs_rebase
    assert flagged.rebase_failures == ["replace “strengthen our mechanisms” with “our”"]
