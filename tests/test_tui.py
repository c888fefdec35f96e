"""TUI tests with Textual's Pilot, and SVG snapshots."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import PLAN, Clock

from workplan.model import Principal
from workplan.service import Service
from workplan.store import connect
from workplan.tui.app import WorkplanApp, make_app
from workplan.tui.widgets.outline import Outline
from workplan.tui.widgets.paragraph_view import ParagraphView


@pytest.fixture
def service(tmp_path: Path) -> Service:
    svc = Service(connect(tmp_path / "tui.db"), Principal(id="SECRETARIAT"), clock=Clock())
    svc.initialise(PLAN)
    return svc


def view(app: WorkplanApp) -> ParagraphView:
    return app.screen.query_one(ParagraphView)


async def test_opens_on_the_third_work_plan(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        assert app.title.startswith("Third Work Plan")
        assert "2022–2027" in app.sub_title
        outline = app.screen.query_one(Outline)
        draft = service.draft("third-work-plan")
        assert outline.uids == [p.uid for p in draft.paragraphs]
        assert view(app).uid == draft.paragraphs[0].uid


async def test_cursor_moves_and_view_shows_lineage(service: Service) -> None:
    app = make_app(service)
    draft = service.draft("third-work-plan")
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("down", "j")
        await pilot.pause()
        shown = view(app)
        assert shown.uid == draft.paragraphs[2].uid
        assert shown.info is not None
        assert shown.info.lineage == "from First Test Plan against Trafficking in Persons OP1"
        assert shown.info.ref == "OP1"
        await pilot.press("k")
        await pilot.pause()
        assert view(app).uid == draft.paragraphs[1].uid


async def test_open_document_modal(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("up", "enter")
        await pilot.pause()
        assert app.draft_screen.document_id == "first-plan"
        assert app.title.startswith("First Test Plan")
        assert view(app).uid == "fp-pp1"


async def test_markup_in_text_is_shown_literally(service: Service) -> None:
    as_can = Service(service.db, Principal(id="CAN"), clock=Clock())
    as_can.propose("third-work-plan", "PP1", "modify", text="[bold]not bold[/bold] text")
    Service(service.db, Principal(id="CHAIR"), clock=Clock()).decide(
        "third-work-plan", "A1", "accept"
    )
    app = make_app(service)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        rendered = str(view(app).render())
        assert "[bold]not bold[/bold] text" in rendered


def test_snapshot_draft_screen(service: Service, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = make_app(service, document="first-plan")
    assert snap_compare(app, terminal_size=(110, 28), press=["down", "down"])


def test_snapshot_open_document(service: Service, snap_compare) -> None:  # type: ignore[no-untyped-def]
    app = make_app(service, document="first-plan")
    assert snap_compare(app, terminal_size=(110, 28), press=["o"])
