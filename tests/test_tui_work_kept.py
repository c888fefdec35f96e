"""Work is never lost, and the screen reads at 80×24 (issue 12), driven by keys.

Quitting or Escape with unsaved typing asks first; a delegation revises its own amendment in
the editor (seeing what failed a re-base); the header, the editor, the dashboard, the filter
and positions with a comment as they look on an 80×24 terminal. The app opens the third plan
of tests/fixtures/plan_small.md (tests/conftest.py `svc`); other principals act through their
own services, as other users would.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner
from tests.conftest import PLAN
from tests.test_tui_negotiation import app_as, goto
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, RadioSet, TextArea

from workplan.cli import cli
from workplan.service import Service
from workplan.tui.app import WorkplanApp, make_app
from workplan.tui.commands import ScreenCommands
from workplan.tui.screens.amendment_editor import AmendmentEditor
from workplan.tui.screens.dashboard import DashboardScreen
from workplan.tui.screens.draft_filter import FilterScreen
from workplan.tui.screens.help import HelpScreen, help_rows
from workplan.tui.screens.pickers import ConfirmScreen, PositionPrompt, TextPrompt
from workplan.tui.widgets.amendments_list import AmendmentsList
from workplan.tui.widgets.choices import CHECKED, UNCHECKED, MarkedSelectionList
from workplan.tui.widgets.positions_grid import PositionsGrid

DOC = "third-work-plan"
SMALL = (80, 24)
Make = Callable[..., Service]


def visible(widget: Widget) -> str:
    """The text a widget shows on screen (as cut to its width), line by line."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text for line in lines)


def on_screen(app: WorkplanApp, widget: Widget) -> bool:
    """True when the widget is drawn, inside the terminal, and not hidden under another."""
    region = widget.region
    if not widget.display or not region or not app.screen.region.contains_region(region):
        return False
    found, _ = app.screen.get_widget_at(region.x, region.y)
    return found is widget


# -- quitting and Escape ask before typing is lost ---------------------------------------------
async def test_ctrl_q_with_unsaved_amendment_text_asks_first(svc: Service, as_: Make) -> None:
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Promptly ")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Discard your unsaved amendment text?" in visible(app.screen.query_one("Label"))
        await pilot.press("n")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, AmendmentEditor)
        assert editor.typed.startswith("Promptly ")
        assert app.return_code is None
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.return_code == 0
    assert svc.negotiation(DOC).amendments == []


async def test_the_palettes_quit_asks_too_and_nothing_typed_quits_at_once(as_: Make) -> None:
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"New words ")
        await pilot.press("ctrl+p", *"quit")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # no: keep typing
        await pilot.pause()
        assert isinstance(app.screen, AmendmentEditor)
        assert app.return_code is None
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+q")  # the editor is open, but nothing was typed
        await pilot.pause()
        assert app.return_code == 0


async def test_escape_and_quit_in_the_reservation_editor_ask_first(svc: Service, as_: Make) -> None:
    app, _ = app_as(as_, "JAM")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP2")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert app.screen is app.draft_screen
        await pilot.press("r")
        await pilot.pause()
        await pilot.press(*"The Government of Jamaica reserves")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Discard your unsaved reservation text?" in visible(app.screen.query_one("Label"))
        await pilot.press("n")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, TextPrompt)
        assert prompt.query_one(TextArea).text == "The Government of Jamaica reserves"
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert app.return_code is None
        await pilot.press("n", "escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.screen is app.draft_screen
    assert svc.negotiation(DOC).reservations == []


async def test_editing_a_reservation_asks_only_when_its_text_changed(as_: Make) -> None:
    as_("JAM").reserve(DOC, ["OP2"], text="Jamaica reserves its position.")
    app, _ = app_as(as_, "JAM")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP2")
        await pilot.press("E")
        await pilot.pause()
        await pilot.press("enter")  # the one reservation
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("escape")  # unchanged: closes at once
        await pilot.pause()
        assert app.screen is app.draft_screen


# -- a delegation revises its own amendment ----------------------------------------------------
def conflicting(svc: Service, as_: Make) -> str:
    """CAN's A1 on OP1 needs a re-base after MEX's A2, on the same words, is accepted."""
    text = svc.draft(DOC).resolve("OP1").text
    as_("CAN").propose(DOC, "OP1", "modify", text=text.replace("national", "regional"))
    as_("MEX").propose(DOC, "OP1", "modify", text=text.replace("national", "local"))
    as_("CHAIR").decide(DOC, "A2", "accept")
    assert svc.negotiation(DOC).amendment("A1").needs_rebase
    return text


async def highlight(pilot: Pilot[None], app: WorkplanApp, aid: str) -> None:
    """Focus the amendments list (m) and move its highlight onto `aid`."""
    await pilot.press("m")
    listed = app.draft_screen.query_one(AmendmentsList)
    for _ in range(listed.option_count):
        if listed.selected_id == aid:
            return
        await pilot.press("down")
    assert listed.selected_id == aid


async def test_the_proposer_revises_an_amendment_that_needs_a_rebase(
    svc: Service, as_: Make
) -> None:
    conflicting(svc, as_)
    app, told = app_as(as_, "CAN")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await highlight(pilot, app, "A1")
        await pilot.press("R")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, AmendmentEditor)
        assert editor.revising is not None
        assert editor.typed == "Adopt regional action plans that cover every form of exploitation."
        conflict = str(editor.query_one("#conflict").render())
        assert "A1 needs a re-base: OP1 changed since it was written (version 1, now 2)" in conflict
        assert "did not apply to the new text" in conflict
        assert "✗ replace" in conflict
        assert on_screen(app, editor.query_one("#hint"))  # at 80×24, with the failures shown
        assert "ctrl+s saves the revision" in visible(editor.query_one("#hint"))
        editor.query_one(TextArea).load_text("Adopt local and regional plans against exploitation.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is app.draft_screen
        assert told[-1][0] == "A1 revised"
    a1 = svc.negotiation(DOC).amendment("A1")
    assert a1.text == "Adopt local and regional plans against exploitation."
    assert (a1.needs_rebase, a1.base_version) == (False, 2)


async def test_only_the_proposer_or_the_secretariat_is_offered_the_revision(as_: Make) -> None:
    as_("CAN").propose(DOC, "OP1", "modify", text="Adopt regional action plans.")
    app, told = app_as(as_, "MEX")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await highlight(pilot, app, "A1")
        draft = app.draft_screen
        assert draft.check_action("revise_amendment", ()) is None  # shown, not available
        names = [name for name, _, _ in ScreenCommands(draft)._commands()]
        assert "Revise amendment (R)" not in names
        await pilot.press("R")
        await pilot.pause()
        assert app.screen is draft
        assert told[-1][0].startswith("A1 is CAN's amendment: only CAN may revise it")
        rows = help_rows(draft.active_bindings, app)
        assert ("R", "Revise amendment (not available now)") in [r[:2] for r in rows]
    app, told = app_as(as_, "CAN")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await highlight(pilot, app, "A1")
        names = [name for name, _, _ in ScreenCommands(app.draft_screen)._commands()]
        assert "Revise amendment (R)" in names
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        shown = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert "Revise amendment" in shown
    app, _ = app_as(as_, "CHAIR")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.draft_screen.check_action("revise_amendment", ()) is False


async def test_the_secretariat_revises_for_the_proposer(svc: Service, as_: Make) -> None:
    as_("CAN").propose(DOC, "OP1", "modify", text="Adopt regional action plans.")
    app, _ = app_as(as_, "SECRETARIAT")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await highlight(pilot, app, "A1")
        await pilot.press("R")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, AmendmentEditor)
        assert "Revise A1 (modify on OP1) · as CAN" in visible(editor.query_one(".title"))
        editor.query_one(TextArea).load_text("Adopt subregional action plans.")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert svc.negotiation(DOC).amendment("A1").text == "Adopt subregional action plans."
    event = svc.events(DOC)[-1]
    assert event.payload["summary"] == "A1 revised by CAN"
    assert (event.actor, event.on_behalf_of) == ("SECRETARIAT", "CAN")


def test_amendments_shows_where_a_move_and_an_insertion_go(tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "moves.db")

    def wp(who: str, *args: str) -> str:
        result = runner.invoke(cli, ["--db", db, "--as", who, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    wp("SECRETARIAT", "init", "--from-file", str(PLAN))
    wp("JAM", "amend", "OP1", "--move-after", "OP3")
    wp("BRA", "amend", "--insert-after", "OP2", "--text", "Protect the victims.")
    listed = wp("OBSERVER", "amendments").splitlines()
    assert listed[0].startswith("A1   move    OP1")
    assert listed[1] == "      move OP1 after OP3"
    assert listed[2].startswith("A2   insert  OP2")
    assert listed[3] == "      insert after OP2"
    assert listed[4] == "      Protect the victims."


# -- 80×24 -------------------------------------------------------------------------------------
async def test_the_header_keeps_the_title_and_cuts_the_symbol(as_: Make) -> None:
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        header = visible(app.screen.query_one("HeaderTitle"))
        assert "Acting as: Canada (CAN) · single-user │ Third Work Plan" in header
        assert "2022–2027" not in header  # the symbol and period are what is cut
        await pilot.press("d")
        await pilot.pause()
        header = visible(app.screen.query_one("HeaderTitle"))
        assert "Acting as: Canada (CAN) · single-user │ Consensus dashboard" in header


async def test_the_editors_hint_stays_visible_at_80x24(as_: Make) -> None:
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, AmendmentEditor)
        hint = editor.query_one("#hint")
        assert on_screen(app, hint)
        assert visible(hint).strip() == "ctrl+s proposes · ctrl+r re-bases · Escape cancels"
        await pilot.press("tab", "tab")  # down to the co-sponsors: the hint stays
        await pilot.pause()
        assert on_screen(app, hint)


async def test_dashboard_cells_fit_their_columns_at_80x24(as_: Make) -> None:
    refs = [f"OP{i}" for i in (1, 2, 3, 4)] + ["PP1", "PP2", "FU1", "FU2"]
    for code in ("USA", "MEX"):
        for ref in refs:
            as_(code).record_position(DOC, ref, "object")
    as_("CAN").propose(
        DOC, "OP1", "modify", text="Adopt plans.", cosponsors=["MEX", "BRA", "USA", "JAM", "PER"]
    )
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        for table in screen.query(DataTable):
            assert table.virtual_size.width <= table.scrollable_content_region.width, table.id
        stands = screen.query_one("#stands", DataTable)
        objects = [str(stands.get_row_at(i)[1]) for i in range(stands.row_count)]
        listed = re.compile(r"^8: (OP\d|PP\d|FU\d)(, (OP\d|PP\d|FU\d))*( \+\d+( more)?)?$")
        assert objects, objects
        assert all(listed.match(cell) for cell in objects), objects
        counts = visible(screen.query_one("#counts")).splitlines()
        assert all(not line.rstrip().endswith(("◑R", "◐U", "●A")) for line in counts), counts


async def test_enter_applies_the_filter_and_choices_show_a_check_mark(as_: Make) -> None:
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FilterScreen)
        statuses = dialog.query_one("#statuses", MarkedSelectionList)
        await pilot.press("space")  # "not yet discussed"
        await pilot.pause()
        assert f"▐{CHECKED}▌ not yet discussed" in statuses.render_line(0).text
        assert f"▐{UNCHECKED}▌ under negotiation" in statuses.render_line(1).text
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.draft_screen
        assert app.draft_screen.filters.statuses == {"not-discussed"}


async def test_a_position_takes_an_optional_comment(svc: Service, as_: Make) -> None:
    app, told = app_as(as_, "USA")
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP3")
        await pilot.press("1")  # the fast path: recorded at once, no question asked
        await pilot.pause()
        assert app.screen is app.draft_screen
        assert told[-1][0] == "USA: support on OP3"
        await pilot.press("p")
        await pilot.pause()
        prompt: object = app.screen  # not narrowed by the `is app.draft_screen` above
        assert isinstance(prompt, PositionPrompt)
        buttons = list(prompt.query_one(RadioSet).query("RadioButton"))
        shown = [visible(b) for b in buttons]
        assert shown[0].startswith(f"▐{CHECKED}▌ S support")  # the current stance
        assert all(s.startswith(f"▐{UNCHECKED}▌") for s in shown[1:])
        await pilot.press("down", "down", "down", "down", "enter")  # object
        await pilot.press(*"needs consultation", "enter")
        await pilot.pause()
        assert app.screen is app.draft_screen
        assert told[-1][0] == "USA: object on OP3 (needs consultation)"
        await pilot.press("t")  # the Positions tab
        await pilot.pause()
        grid = str(app.draft_screen.query_one(PositionsGrid).render())
        assert "USA (object): needs consultation" in grid
        await pilot.press("p")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PositionPrompt)
        assert prompt.stance == "object"
        assert prompt.query_one("#comment", Input).value == "needs consultation"
    op3 = svc.draft(DOC).resolve("OP3").uid
    (pos,) = [p for p in svc.negotiation(DOC).positions_on.get(op3, []) if p.delegation == "USA"]
    assert (pos.stance, pos.comment) == ("object", "needs consultation")


def test_snapshot_amendment_editor_at_80x24(as_: Make, snap_compare) -> None:
    async def editing(pilot: Pilot[None]) -> None:
        await pilot.press("j", "j", "j", "a")
        await pilot.pause()
        await pilot.press("end", *" with partners")
        await pilot.pause()

    assert snap_compare(make_app(as_("CAN")), terminal_size=SMALL, run_before=editing)
