"""Adopted texts are read only: every negotiating action is refused, in the service, the CLI
and the TUI, until the secretariat lifts the adoption with `meta --adopted none` (recorded).

The small plan (tests/fixtures/plan_small.md, `first-plan`) was adopted on 5 December 2014.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from tests.conftest import FIXTURES, PLAN

from workplan.cli import cli
from workplan.errors import InputError, ProcedureError
from workplan.service import Service
from workplan.service.imports import header_date
from workplan.service.policy import NEGOTIATING_ACTIONS, read_only_reason
from workplan.tui.app import make_app
from workplan.tui.widgets.outline import Outline

ADOPTED = "first-plan"
WHY = (
    "first-plan was adopted on 5 December 2014: it is read only;"
    " the secretariat may lift it with `meta first-plan --adopted none`"
)
Make = Callable[..., Service]


@pytest.fixture
def negotiated(svc: Service, as_: Make) -> Service:
    """The adopted plan with an amendment (A1, CAN's) and a reservation (R1, JAM's) made while
    its adoption was lifted, then adopted again."""
    svc.set_metadata(ADOPTED, adopted="none")
    as_("CAN").propose(ADOPTED, "OP1", "modify", text="Adopt national plans.")
    as_("JAM").reserve(ADOPTED, ["OP2"], text="Jamaica reserves.")
    svc.set_metadata(ADOPTED, adopted="2014-12-05")
    return svc


#: Every negotiating action (policy name → the call that takes it on the adopted plan).
ACTIONS: dict[str, Callable[[Make], Any]] = {
    "amendment.propose": lambda as_: as_("CAN").propose(
        ADOPTED, "OP2", "modify", text="Something else."
    ),
    "amendment.cosponsor": lambda as_: as_("MEX").cosponsor(ADOPTED, "A1"),
    "amendment.withdraw": lambda as_: as_("CAN").withdraw(ADOPTED, "A1"),
    "amendment.revise": lambda as_: as_("CAN").revise_amendment(ADOPTED, "A1", "Adopt plans."),
    "amendment.decide": lambda as_: as_("CHAIR").decide(ADOPTED, "A1", "accept"),
    "position.record": lambda as_: as_("USA").record_position(ADOPTED, "OP1", "support"),
    "reservation.attach": lambda as_: as_("JAM").reserve(ADOPTED, ["OP3"], reuse="R1"),
    "reservation.detach": lambda as_: as_("JAM").unreserve(ADOPTED, "R1", ["OP2"]),
    "reservation.withdraw": lambda as_: as_("JAM").unreserve(ADOPTED, "R1"),
    "reservation.edit": lambda as_: as_("JAM").edit_reservation(ADOPTED, "R1", "Changed."),
    "paragraph.agree": lambda as_: as_("CHAIR").agree(ADOPTED, ["OP3"]),
    "paragraph.delete": lambda as_: as_("CHAIR").delete_paragraph(ADOPTED, ["OP3"]),
    "paragraph.reopen": lambda as_: as_("CHAIR").reopen(ADOPTED, ["OP3"]),
    "paragraph.silence": lambda as_: as_("CHAIR").silence(ADOPTED, ["OP3"], "+72h"),
    "revision.freeze": lambda as_: as_("SECRETARIAT").revise(ADOPTED),
    "note.add": lambda as_: as_("SECRETARIAT").add_note(ADOPTED, ["OP1"], "A note."),
    "note.edit": lambda as_: as_("SECRETARIAT").edit_note(ADOPTED, "N1", "Changed."),
    "note.remove": lambda as_: as_("CHAIR").remove_note(ADOPTED, "N1"),
}


def test_the_table_names_every_negotiating_action() -> None:
    assert set(ACTIONS) == NEGOTIATING_ACTIONS


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_every_negotiating_action_is_refused_naming_the_adoption(
    negotiated: Service, as_: Make, action: str
) -> None:
    head = negotiated.head()
    with pytest.raises(ProcedureError) as refused:
        ACTIONS[action](as_)
    assert refused.value.message == WHY
    assert negotiated.head() == head  # nothing written, not even a refusal
    assert negotiated.verify() == []


def test_lifting_is_explicit_and_recorded_then_negotiation_resumes(
    negotiated: Service, as_: Make
) -> None:
    lifted = negotiated.set_metadata(ADOPTED, adopted="none")
    assert lifted.adopted is None
    event = negotiated.events(ADOPTED)[-1]
    assert event.action == "document.metadata-changed"
    assert event.payload["fields"] == {"adopted": None}
    assert event.payload["summary"] == (
        "adoption of first-plan (on 5 December 2014) lifted: open to negotiation again"
    )
    as_("USA").record_position(ADOPTED, "OP1", "support")
    again = negotiated.set_metadata(ADOPTED, adopted="2015-01-20")
    assert again.adopted == "2015-01-20"
    assert negotiated.events(ADOPTED)[-1].payload["summary"] == (
        "first-plan marked adopted on 20 January 2015: read only"
    )
    with pytest.raises(ProcedureError, match="adopted on 20 January 2015"):
        as_("USA").record_position(ADOPTED, "OP1", "object")
    assert negotiated.verify() == []


def test_an_adoption_date_is_an_iso_date_or_none(svc: Service) -> None:
    with pytest.raises(InputError, match=r"YYYY-MM-DD \(or `none` to lift it\), not '5.12.2014'"):
        svc.set_metadata(ADOPTED, adopted="5.12.2014")
    assert svc.document(ADOPTED).adopted == "2014-12-05"


def test_only_the_chair_or_the_secretariat_lifts_an_adoption(svc: Service, as_: Make) -> None:
    from workplan.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        as_("CAN").set_metadata(ADOPTED, adopted="none")
    assert svc.document(ADOPTED).adopted == "2014-12-05"


def test_reading_an_adopted_text_still_works(svc: Service) -> None:
    assert svc.status(ADOPTED)["paragraphs"]
    assert svc.export_draft(ADOPTED) == PLAN.read_text(encoding="utf-8")
    assert read_only_reason(svc.document("third-work-plan")) is None


def test_the_header_date_of_an_oas_text() -> None:
    assert header_date(["OEA/Ser.G", "CP/CSH-2100/25 rev. 4", "3 March 2026"]) == "2026-03-03"
    assert header_date(["December 5, 2014"]) == "2014-12-05"
    assert header_date(["2014-12-05", "Original: Spanish"]) == "2014-12-05"
    assert header_date(["31 February 2014", "OEA/Ser.G"]) is None
    assert header_date([]) is None


def test_import_agreed_sets_the_adoption_from_the_header_or_today(svc: Service, as_: Make) -> None:
    dated = svc.import_file(FIXTURES / "oas_clean.txt", "clean", agreed=True)
    assert dated["adopted"] == "2026-03-03"
    undated = svc.import_file(FIXTURES / "oas_sample.txt", "sample", agreed=True)
    assert undated["adopted"] == "2026-03-02"  # the clock's today
    plain = svc.import_file(FIXTURES / "oas_sample.txt", "not-adopted")
    assert plain["adopted"] is None
    assert svc.document("sample").adopted == "2026-03-02"
    with pytest.raises(ProcedureError, match="sample was adopted on 2 March 2026"):
        as_("CHAIR").agree("sample", ["OP1"])


def test_import_agreed_of_a_draft_file_agrees_it_and_keeps_its_date(svc: Service) -> None:
    report = svc.import_file(FIXTURES / "draft_small.md", "small", agreed=True)
    assert report["adopted"] == "2026-03-02"
    statuses = {p["status"] for p in svc.status("small")["paragraphs"]}
    assert "agreed" in statuses
    assert statuses <= {"agreed", "agreed-ad-ref", "deleted"}
    dated = svc.import_file(FIXTURES / "plan_redline.md", agreed=True)
    assert dated["adopted"] == "2018-11-20"  # the date its front matter gives


def _cli(db: Path, who: str, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--db", str(db), "--as", who, *args])


def test_cli_refuses_in_one_line_with_exit_1_and_meta_lifts(tmp_path: Path) -> None:
    db = tmp_path / "wg.db"
    assert _cli(db, "SECRETARIAT", "init", "--from-file", str(PLAN)).exit_code == 0
    r = _cli(db, "USA", "position", "--doc", ADOPTED, "OP1", "object")
    assert r.exit_code == 1
    assert r.output == f"workplan: {WHY}\n"
    r = _cli(db, "CHAIR", "silence", "--doc", ADOPTED, "OP1", "--until", "+72h")
    assert (r.exit_code, r.output) == (1, f"workplan: {WHY}\n")
    r = _cli(db, "SECRETARIAT", "meta", ADOPTED, "--adopted", "none")
    assert r.exit_code == 0
    assert "first-plan is not adopted: open to negotiation" in r.output
    assert _cli(db, "USA", "position", "--doc", ADOPTED, "OP1", "support").exit_code == 0
    r = _cli(db, "SECRETARIAT", "meta", ADOPTED, "--adopted", "2014-12-05", "--json")
    assert '"adopted": "2014-12-05"' in r.output
    r = _cli(db, "SECRETARIAT", "meta", ADOPTED, "--adopted", "yesterday")
    assert r.exit_code == 65
    r = _cli(db, "SECRETARIAT", "import", str(FIXTURES / "oas_clean.txt"), "--agreed")
    assert "Adopted on 3 March 2026: read only" in r.output
    assert "adoption of first-plan" in _cli(db, "OBSERVER", "log", ADOPTED).output


SIZE = (120, 40)


async def test_tui_says_read_only_and_offers_no_negotiating_key(
    negotiated: Service, as_: Make
) -> None:
    app = make_app(as_("CHAIR"), document=ADOPTED)
    told: list[str] = []
    original = app.notify

    def notify(message: str, **kw: Any) -> None:
        told.append(message)
        original(message, **kw)

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.sub_title.startswith("read only, adopted 5 December 2014 · ")
        assert app.draft_screen.query_one(Outline).current_uid is not None
        offered = {b.binding.action for b in app.active_bindings.values()}
        assert not offered & {"agree", "accept", "silence", "reopen", "freeze", "propose"}
        assert "dashboard" in offered
        assert "export" in offered
        head = negotiated.head()
        await pilot.press("g", "F")
        await pilot.pause()
        assert told[-2:] == [f"{WHY} (F1 lists the keys you can use)"] * 2
        assert negotiated.head() == head
        app.open_document("third-work-plan")
        await pilot.pause()
        assert "read only" not in app.sub_title
        offered = {b.binding.action for b in app.active_bindings.values()}
        assert {"agree", "silence", "freeze"} <= offered


async def test_tui_delegation_on_an_adopted_text_has_no_position_keys(as_: Make) -> None:
    app = make_app(as_("CAN"), document=ADOPTED)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        offered = {b.binding.action for b in app.active_bindings.values()}
        assert not {a for a in offered if a.startswith("position") or a == "reserve"}
