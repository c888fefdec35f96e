"""The permission matrix: every action × every role, allowed or refused as the policy says."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from tests.conftest import FIXTURES, PLAN

from workplan.errors import PermissionDenied
from workplan.model import Role
from workplan.service import Service
from workplan.service.policy import POLICY

DOC = "third-work-plan"

ACTIONS: dict[str, Callable[[Service], object]] = {
    "document.import": lambda s: s.import_draft(_renamed_plan(), "copy-of-plan"),
    "document.new": lambda s: s.new_document("fourth", DOC),
    "document.meta": lambda s: s.set_metadata(DOC, symbol="CP/CSH-9/22"),
    "amendment.propose": lambda s: s.propose(DOC, "OP3", "modify", text="New words."),
    "amendment.cosponsor": lambda s: s.cosponsor(DOC, "A1"),
    "amendment.withdraw": lambda s: s.withdraw(DOC, "A2"),
    "amendment.revise": lambda s: s.revise_amendment(DOC, "A2", "Revised words."),
    "amendment.decide": lambda s: s.decide(DOC, "A1", "reject"),
    "position.record": lambda s: s.record_position(DOC, "OP1", "support"),
    "reservation.attach": lambda s: s.reserve(DOC, ["OP4"], reuse="R1"),
    "reservation.detach": lambda s: s.unreserve(DOC, "R1", ["OP2"]),
    "reservation.edit": lambda s: s.edit_reservation(DOC, "R1", "Edited."),
    "reservation.withdraw": lambda s: s.unreserve(DOC, "R1"),
    "paragraph.agree": lambda s: s.agree(DOC, ["OP4"]),
    "paragraph.delete": lambda s: s.delete_paragraph(DOC, ["OP4"]),
    "paragraph.reopen": lambda s: s.reopen(DOC, ["PP2"]),
    "paragraph.silence": lambda s: s.silence(DOC, ["OP4"], "2030-01-01T00:00Z"),
    "revision.freeze": lambda s: s.revise(DOC),
    "note.add": lambda s: s.add_note(DOC, ["OP3"], "A note of the document."),
    "note.edit": lambda s: s.edit_note(DOC, "N1", "Changed."),
    "note.remove": lambda s: s.remove_note(DOC, "N1"),
    "translation.set": lambda s: s.translate(DOC, "OP1", "fr", "Adopter des plans."),
    "translation.import": lambda s: s.import_translation(
        FIXTURES / "translations" / "plan_fr.txt", DOC, "fr", force=True
    ),
}

_TMP: dict[str, Path] = {}


def _renamed_plan() -> Path:
    text = PLAN.read_text(encoding="utf-8").replace("{#fp-", "{#cp-")
    path = _TMP["dir"] / "copy.md"
    path.write_text(text, encoding="utf-8")
    return path


ROLES = {
    Role.DELEGATION: ("CAN", None),
    Role.SECRETARIAT: ("SECRETARIAT", "CAN"),
    Role.CHAIR: ("CHAIR", None),
    Role.OBSERVER: ("OBSERVER", None),
}


def test_every_policy_action_is_exercised() -> None:
    assert set(ACTIONS) == set(POLICY)


@pytest.mark.parametrize("role", list(ROLES), ids=str)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_permission_matrix(action: str, role: Role, svc: Service, as_, tmp_path: Path) -> None:
    _TMP["dir"] = tmp_path
    as_("MEX").propose(DOC, "OP1", "modify", text="Mexico's words.")
    as_("CAN").propose(DOC, "OP2", "modify", text="Canada's words.")
    as_("CAN").reserve(DOC, ["OP1", "OP2"], text="Canada's reservation.")
    as_("CHAIR").agree(DOC, ["PP2"])
    as_("SECRETARIAT").add_note(DOC, ["OP1"], "The secretariat's note.")
    who, behalf = ROLES[role]
    actor = as_(who, behalf)
    before = len(svc.events())
    if role in POLICY[action]:
        ACTIONS[action](actor)
        assert len(svc.events()) > before
        assert svc.events()[-1].action != "permission.refused"
    else:
        with pytest.raises(PermissionDenied):
            ACTIONS[action](actor)
        events = svc.events()
        assert [e.action for e in events[before:]] == ["permission.refused"]
        assert events[-1].payload["action"] == action
    assert svc.verify() == []


def test_delegation_cannot_act_for_another(as_) -> None:
    with pytest.raises(PermissionDenied, match="only the secretariat"):
        as_("CAN", "MEX").record_position(DOC, "OP1", "support")
