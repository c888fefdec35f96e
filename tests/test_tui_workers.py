"""The TUI's start and its workers: a first frame from the read path, the write side loaded
after it, and actions that run off the UI thread (a busy record never freezes the screen)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from workplan.model.vocab import Principal, Stance
from workplan.service import Service
from workplan.tui.app import make_app, make_lazy_app
from workplan.tui.door import Door
from workplan.tui.widgets.outline import Outline

DOC = "third-work-plan"
SIZE = (120, 40)
WRITE_SIDE = ("pydantic", "workplan.service.front", "workplan.service.core", "workplan.store.rows")


@pytest.mark.usefixtures("svc")
def test_the_first_frame_imports_neither_pydantic_nor_the_write_side(db_path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from workplan.model.vocab import Principal\n"
        "from workplan.tui.app import make_lazy_app\n"
        "from workplan.tui.door import Door\n"
        "import workplan.tui.screens.draft\n"
        f"door = Door(Path(sys.argv[1]), Principal('CAN'))\n"
        f"page = door.reading().outline({DOC!r})\n"
        "assert page.rows, 'no outline'\n"
        "make_lazy_app(door)\n"
        f"print([m for m in {WRITE_SIDE!r} if m in sys.modules])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(db_path)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


async def test_the_draft_screen_starts_on_the_read_path_then_loads_the_rest(
    svc: Service, db_path: Path, clock
) -> None:
    app = make_lazy_app(Door(db_path, Principal.parse("CAN"), clock=clock))
    async with app.run_test(size=SIZE) as pilot:
        screen = app.draft_screen
        outline = screen.query_one(Outline)
        # the first frame: the outline from the read path, actions not yet available
        assert not app.loaded
        assert outline.uids == [p.uid for p in svc.draft(DOC).paragraphs]
        assert "Loading the record" in str(screen.query_one("#tabs-loading", Static).render())
        assert screen.check_action("position", ()) is None  # shown, not available yet
        assert app.check_action("dashboard", ()) is None
        assert not screen.query("Footer")  # the keys come with the write side
        await pilot.pause()  # the worker has loaded the write side and the page
        assert app.loaded
        assert screen.page is not None
        assert app.title == svc.document(DOC).title
        assert not screen.query("#tabs-loading")
        assert screen.query("Footer")
        assert screen.check_action("position", ()) is True
        first = outline.current_uid
        assert first is not None
        await pilot.press("1")  # support, in a worker on its own connection
        await pilot.pause()
        held = svc.negotiation(DOC).positions_on[first]
        assert [(p.delegation, p.stance) for p in held] == [("CAN", Stance.SUPPORT)]
        assert screen.page.stances[first] == [("CAN", "support")]


async def test_an_action_on_a_busy_record_never_freezes_the_screen(
    svc: Service, as_, db_path: Path
) -> None:
    app = make_app(as_("CAN"))
    app.pause_waits_for_workers = False  # type: ignore[attr-defined]
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        outline = app.draft_screen.query_one(Outline)
        first = outline.current_uid
        assert first is not None
        holder = sqlite3.connect(db_path, isolation_level=None)  # another process, writing
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("1")  # support: its worker waits for the write lock
            (worker,) = [w for w in app.workers if w.group == "actions"]
            await pilot.press("j")  # the screen still answers keys meanwhile
            assert outline.current_uid != first
            assert worker.is_running
            assert svc.negotiation(DOC).positions_on[first] == []
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        await app.workers.wait_for_complete()
        held = svc.negotiation(DOC).positions_on[first]
        assert [(p.delegation, p.stance) for p in held] == [("CAN", Stance.SUPPORT)]


async def test_proposing_on_a_busy_record_never_freezes_the_editor(
    svc: Service, as_, db_path: Path
) -> None:
    from workplan.tui.screens.amendment_editor import AmendmentEditor

    app = make_app(as_("CAN"))
    app.pause_waits_for_workers = False  # type: ignore[attr-defined]
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, AmendmentEditor)
        await pilot.press(*"Promptly ")
        holder = sqlite3.connect(db_path, isolation_level=None)  # another process, writing
        holder.execute("BEGIN IMMEDIATE")
        try:
            await pilot.press("ctrl+s")  # its worker waits for the write lock
            (worker,) = [w for w in editor.workers if w.group == "save"]
            await pilot.press("ctrl+s")  # a second save while the first waits: none started
            assert [w.group for w in editor.workers] == ["save"]
            assert app.screen is editor  # still open, still answering
            assert worker.is_running
            assert svc.negotiation(DOC).amendments == []
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        for _ in range(200):  # the worker saves once the lock is free, then the editor closes
            if app.screen is app.draft_screen:
                break
            await pilot.pause(0.05)
        (am,) = svc.negotiation(DOC).amendments
        assert am.proposer == "CAN"
        assert am.text.startswith("Promptly ")
        assert app.screen is app.draft_screen
