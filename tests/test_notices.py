"""Notices: each open TUI is told what, in others' actions, concerns its user: silence broken,
a new amendment on a paragraph its delegation has a position on, its own amendment needing a
rebase or decided. Nothing it did itself; nothing to observers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import Clock

from workplan.model import Event, Principal, Role
from workplan.service import Service
from workplan.service.notices import AmendmentInfo, Viewer, notices
from workplan.store import connect

DOC = "third-work-plan"
OP2_TEXT = "Train border officials to recognise the signs of trafficking."


def event(n: int, action: str, actor: str, behalf: str | None = None, **payload: Any) -> Event:
    """An event as the record holds it (hashes do not matter to the rules)."""
    return Event(
        id=n,
        at=datetime(2026, 3, 2, tzinfo=UTC),
        actor=actor,
        on_behalf_of=behalf,
        action=action,
        document=DOC,
        payload=payload,
        prev_hash="0" * 64,
        hash="1" * 64,
    )


REFS = {"u1": "OP1", "u2": "OP2", "u3": "OP2 bis"}
AMENDMENTS = {
    "A1": AmendmentInfo("u1", "modify", "MEX", ("MEX", "CAN")),
    "A2": AmendmentInfo("u2", "insert", "MEX", ("MEX",), result_uid="u3"),
    "A3": AmendmentInfo("u2", "modify", "USA", ("USA",)),
}


def viewer(who: str, role: Role = Role.DELEGATION, **kw: Any) -> Viewer:
    delegation = who if role == Role.DELEGATION else kw.pop("delegation", None)
    return Viewer(who, role, delegation, amendments=AMENDMENTS, refs=REFS, **kw)


# -- the rules, on events alone ---------------------------------------------------------------
def test_silence_broken_reaches_everyone_but_observers_and_the_one_who_broke_it() -> None:
    broken = event(
        7, "silence.broken", "USA", uid="u2", ref="OP2", by="USA", why="objection on OP2"
    )
    (jam,) = notices([broken], viewer("JAM"))
    assert (jam.kind, jam.ref, jam.severity) == ("silence-broken", "OP2", "information")
    assert jam.message == "Silence on OP2 broken by USA (objection on OP2)"
    (chair,) = notices([broken], viewer("CHAIR", Role.CHAIR))
    assert chair.severity == "warning"
    assert chair.event == 7
    assert len(notices([broken], viewer("SECRETARIAT", Role.SECRETARIAT))) == 1
    assert notices([broken], viewer("OBSERVER", Role.OBSERVER)) == []
    assert notices([broken], viewer("USA")) == []  # its own action


def test_a_new_amendment_reaches_the_delegations_interested_in_its_paragraph() -> None:
    proposed = event(3, "amendment.proposed", "USA", amendment="A3", kind="modify", uid="u2")
    (jam,) = notices([proposed], viewer("JAM", interests=frozenset({"u2"})))
    assert (jam.kind, jam.ref, jam.message) == (
        "new-amendment",
        "OP2",
        "A3 by USA on OP2 (new text)",
    )
    assert notices([proposed], viewer("CAN", interests=frozenset({"u1"}))) == []
    assert notices([proposed], viewer("CHAIR", Role.CHAIR)) == []  # the chair holds no position
    # recorded by the secretariat for USA: USA's TUI is told, the proposer named is USA
    for_usa = event(
        4, "amendment.proposed", "SECRETARIAT", "USA", amendment="A3", kind="delete", uid="u2"
    )
    (jam,) = notices([for_usa], viewer("JAM", interests=frozenset({"u2"})))
    assert jam.message == "A3 by USA on OP2 (deletion)"
    # an insertion is not about its anchor
    insert = event(5, "amendment.proposed", "MEX", amendment="A2", kind="insert", uid="u2")
    assert notices([insert], viewer("JAM", interests=frozenset({"u2"}))) == []


def test_decisions_and_rebases_reach_the_sponsors() -> None:
    rebase = event(8, "amendment.needs-rebase", "CHAIR", amendment="A1", failed=["x"])
    (mex,) = notices([rebase], viewer("MEX"))
    assert (mex.kind, mex.severity) == ("needs-rebase", "warning")
    assert mex.message == "A1 no longer applies to the new text of OP1: revise it"
    (can,) = notices([rebase], viewer("CAN"))  # the co-sponsor
    assert can.message == "A1 no longer applies to the new text of OP1: MEX must revise it"
    assert notices([rebase], viewer("USA")) == []
    decided = [
        event(9, "amendment.accepted", "CHAIR", amendment="A2", kind="insert", uid="u2"),
        event(10, "amendment.rejected", "CHAIR", amendment="A1"),
        event(11, "amendment.superseded", "CHAIR", amendment="A1", by="A3"),
        event(12, "amendment.withdrawn", "MEX", amendment="A1"),
        event(13, "amendment.rebased", "CHAIR", amendment="A1"),
    ]
    to_mex = notices(decided, viewer("MEX"))
    assert [(n.kind, n.message) for n in to_mex] == [
        ("accepted", "A2 accepted: new paragraph OP2 bis"),
        ("rejected", "A1 on OP1 rejected"),
        ("superseded", "A1 on OP1 superseded by A3"),
        # its own withdrawal is not notified back to it
        ("rebased", "A1 re-applied to the new text of OP1"),
    ]
    to_can = notices(decided, viewer("CAN"))
    assert ("withdrawn", "A1 on OP1 withdrawn by MEX") in [(n.kind, n.message) for n in to_can]
    deleted = event(
        14,
        "paragraph.deleted",
        "CHAIR",
        uid="u1",
        ref="OP1",
        changes=[
            {"t": "paragraphs", "op": "update", "key": {"uid": "u1"}, "cols": {}},
            {
                "t": "amendments",
                "op": "update",
                "key": {"document": DOC, "id": "A1"},
                "cols": {"status": "superseded"},
            },
        ],
    )
    (can,) = notices([deleted], viewer("CAN"))
    assert (can.kind, can.ref, can.message) == (
        "superseded",
        "OP1",
        "A1 superseded: OP1 deleted by the chair",
    )
    assert notices([deleted], viewer("USA")) == []


# -- the service: what a viewer is interested in, from the record -------------------------------
def test_the_service_reads_the_viewers_interests_and_the_events_since(svc: Service, as_) -> None:
    jam, can, mex = as_("JAM"), as_("CAN"), as_("MEX")
    jam.record_position(DOC, "OP2", "support")
    can.reserve(DOC, ["OP3"], text="Canada reads this paragraph in the light of its law.")
    seen = {who: as_(who).last_event_id() for who in ("JAM", "CAN", "MEX", "BRA", "OBSERVER")}
    a1 = mex.propose(DOC, "OP2", "modify", text=OP2_TEXT.replace("border", "consular"))
    mex.propose(DOC, "OP3", "delete")
    as_("BRA").propose(DOC, "OP2", "insert", text="Protect witnesses and their families.")

    def told(who: str) -> list[str]:
        last, found = as_(who).notices_since(DOC, seen[who])
        assert last == svc.last_event_id()
        return [n.message for n in found]

    assert told("JAM") == ["A1 by MEX on OP2 (new text)"]  # not BRA's insertion after OP2
    assert told("CAN") == ["A2 by MEX on OP3 (deletion)"]  # its reservation is on OP3
    assert told("MEX") == []
    assert told("BRA") == []
    assert told("OBSERVER") == []
    # JAM's position on A1 makes OP2 its concern too; the secretariat acting for it is JAM
    assert as_("SECRETARIAT", "JAM").viewer(DOC).interests >= {a1.target}
    assert svc.events_since(svc.last_event_id()) == []


def test_a_rebase_and_the_chairs_decisions_reach_the_sponsors(svc: Service, as_) -> None:
    can = as_("CAN").propose(
        DOC, "OP2", "modify", text=OP2_TEXT.replace("border", "border and immigration")
    )
    bra = as_("BRA").propose(
        DOC,
        "OP2",
        "modify",
        text="Train customs agents to recognise the signs of trafficking.",
        cosponsors=["MEX"],
    )
    usa = as_("USA").propose(DOC, "OP4", "modify", text="Support member states on request.")
    seen = svc.last_event_id()
    chair = as_("CHAIR")
    chair.decide(DOC, can.id, "accept")
    chair.decide(DOC, usa.id, "reject")
    _, bra_told = as_("BRA").notices_since(DOC, seen)
    assert [(n.kind, n.ref, n.severity) for n in bra_told] == [("needs-rebase", "OP2", "warning")]
    _, mex_told = as_("MEX").notices_since(DOC, seen)
    assert [n.message for n in mex_told] == [
        f"{bra.id} no longer applies to the new text of OP2: BRA must revise it"
    ]
    _, can_told = as_("CAN").notices_since(DOC, seen)
    assert [n.message for n in can_told] == [f"{can.id} on OP2 accepted"]
    _, usa_told = as_("USA").notices_since(DOC, seen)
    assert [n.message for n in usa_told] == [f"{usa.id} on OP4 rejected"]
    _, chair_told = chair.notices_since(DOC, seen)
    assert chair_told == []  # nothing of the chair's own; no silence was broken


def test_silence_broken_by_an_objection_tells_the_chair(svc: Service, as_, clock: Clock) -> None:
    chair = as_("CHAIR")
    chair.silence(DOC, ["OP4"], clock.now + timedelta(days=3))
    seen = svc.last_event_id()
    as_("USA").record_position(DOC, "OP4", "object", "needs consultation")
    _, told = chair.notices_since(DOC, seen)
    assert [(n.kind, n.ref, n.severity) for n in told] == [("silence-broken", "OP4", "warning")]
    assert told[0].message == "Silence on OP4 broken by USA (objection on OP4)"
    assert [n.kind for n in as_("JAM").notices_since(DOC, seen)[1]] == ["silence-broken"]
    assert as_("USA").notices_since(DOC, seen)[1] == []
    assert as_("OBSERVER").notices_since(DOC, seen)[1] == []
    assert as_("JAM").notices_since("first-plan", seen)[1] == []  # another document's events


# -- the TUI: a toast in the open app when another process records ------------------------------
@pytest.mark.usefixtures("svc")
async def test_an_open_tui_notifies_what_concerns_its_user(db_path: Path, clock: Clock) -> None:
    from workplan.tui.app import make_app

    Service(connect(db_path), Principal.parse("JAM"), clock=clock).record_position(
        DOC, "OP2", "support"
    )
    chair = Service(connect(db_path), Principal.parse("CHAIR"), clock=clock)
    chair.silence(DOC, ["OP3", "OP4"], clock.now + timedelta(days=3))
    app = make_app(Service(connect(db_path), Principal.parse("JAM"), clock=clock), document=DOC)
    mex = Service(connect(db_path), Principal.parse("MEX"), clock=clock)  # another process
    usa = Service(connect(db_path), Principal.parse("USA"), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.notifier.shown == []  # nothing from before it started
        mex.propose(DOC, "OP2", "modify", text=OP2_TEXT.replace("border", "consular"))
        usa.record_position(DOC, "OP4", "object")
        mex.propose(DOC, "OP1", "delete")  # JAM has no position on OP1
        app.live.poll()  # what the app does every second
        await pilot.pause()
        assert [(n.title, n.message) for n in app.notifier.shown] == [
            ("New amendment", "A1 by MEX on OP2 (new text)"),
            ("Silence broken", "Silence on OP4 broken by USA (objection on OP4)"),
        ]
        toasts = [str(n.message) for n in app._notifications]
        assert "A1 by MEX on OP2 (new text)" in toasts
        # its own action is not notified back: JAM itself breaks the silence on OP3
        app.service.record_position(DOC, "OP3", "object")
        mex.propose(DOC, "FU1", "delete")  # a change by another, so the app looks again
        app.live.poll()
        await pilot.pause()
        assert len(app.notifier.shown) == 2
    broken = [n.ref for n in chair.notices_since(DOC, 0)[1] if n.kind == "silence-broken"]
    assert broken == ["OP4", "OP3"]  # the chair is told of both
