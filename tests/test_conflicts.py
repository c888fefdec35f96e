"""The exit-75 conflict message names, in words, the change that bumped the paragraph's version."""

from __future__ import annotations

import pytest

from workplan.errors import ConflictError
from workplan.service import Service

DOC = "third-work-plan"


def test_conflict_names_the_accepted_amendment_not_the_rebase(svc: Service, as_) -> None:
    a1 = as_("CAN").propose(
        DOC,
        "OP1",
        "modify",
        text="Adopt and fund national action plans that cover every form of exploitation.",
    )
    a2 = as_("MEX").propose(
        DOC,
        "OP1",
        "modify",
        text="Adopt national action plans that cover every form of exploitation and abuse.",
    )
    as_("CHAIR").decide(DOC, a1.id, "accept")
    actions = [e.action for e in svc.events(DOC)]
    assert actions[-1] == "amendment.rebased"  # the last event on OP1 is not what changed it
    with pytest.raises(ConflictError) as caught:
        as_("USA").propose(DOC, "OP1", "delete", expect_version=1)
    message = caught.value.message
    assert message.startswith("OP1 changed since version 1 (now version 2, after ")
    assert "A1 accepted by CHAIR at 2026-03-02 14:00Z" in message
    assert "rebased" not in message
    assert "reload" not in message
    assert message.endswith("act on version 2")
    assert a2.id not in message


def test_conflict_names_the_chairs_decision_and_who_it_was_for(as_, clock) -> None:
    as_("CHAIR").agree(DOC, ["OP2"])
    clock.advance(minutes=5)
    with pytest.raises(
        ConflictError, match=r"after OP2 \(p-[0-9a-f]+\) agreed by CHAIR at 2026-03-02 14:00Z"
    ):
        as_("CHAIR").reopen(DOC, ["OP2"], expect_version=1)
    as_("CHAIR").silence(DOC, ["OP3"], "2026-03-09T17:00Z")
    as_("SECRETARIAT", "PER").record_position(DOC, "OP3", "object")
    with pytest.raises(ConflictError) as caught:
        as_("CHAIR").reopen(DOC, ["OP3"], expect_version=2)
    # The record names the paragraph by its ref at the time and its uid.
    uid = as_("CHAIR").draft(DOC).resolve("OP3").uid
    assert f"after silence broken (objection on OP3 ({uid})) by PER at 2026-03-02 14:05Z" in str(
        caught.value
    )


def test_a_version_from_the_future_says_so(as_) -> None:
    with pytest.raises(ConflictError, match=r"^OP1 is at version 1, not 7;"):
        as_("CAN").propose(DOC, "OP1", "delete", expect_version=7)
