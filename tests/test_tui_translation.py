"""The translations screen: a paragraph in the original and in another language side by side,
with its stale flag and the word diff of what changed since it was translated; a filter for
the stale paragraphs, per language."""

from __future__ import annotations

from tests.conftest import FIXTURES
from tests.test_tui_negotiation import goto
from tests.test_tui_screens import SIZE, acting, app_on, record, settle
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from workplan.service import Service
from workplan.tui.screens.draft import DraftScreen
from workplan.tui.screens.translation import TranslationScreen
from workplan.tui.widgets.side_by_side import SideBySide

__all__ = ["record"]  # the fixture, shared with the other screens' tests

DOC = "first-plan"
NEW_OP2 = "Train border and consular officials to recognise the signs of trafficking."


def translated(record: Service) -> None:
    """The small plan declared English, translated into Spanish from a file; then an amendment
    to OP2 accepted (its Spanish is stale) and OP4 retranslated by hand."""
    record.set_metadata(DOC, original_language="English")
    acting(record, "LCA").reserve(DOC, ["OP2"], text="Saint Lucia applies it its own way.")
    acting(record, "PRY").reserve(DOC, ["PP2", "OP3"], text="Paraguay reads it under its law.")
    spanish = FIXTURES / "translations" / "plan_es.txt"
    assert record.import_translation(spanish, DOC, "es")["unaligned"] == []
    am = acting(record, "CAN").propose(DOC, "OP2", "modify", text=NEW_OP2)
    acting(record, "CHAIR").decide(DOC, am.id, "accept")


def text_of(screen: TranslationScreen, selector: str) -> str:
    """A Static's text on the side-by-side pane."""
    return str(screen.query_one(SideBySide).query_one(selector, Static).render())


async def test_side_by_side_with_the_stale_flag_and_what_changed(record: Service) -> None:
    translated(record)
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await goto(pilot, app, "OP2")
        await pilot.press("L")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TranslationScreen)
        assert screen.language == "es"
        assert "OP2 in Spanish (español): ◐ stale" in text_of(screen, "#sbs-state")
        assert text_of(screen, "#sbs-original") == NEW_OP2
        assert text_of(screen, "#sbs-translation").startswith("Capacitar a los funcionarios")
        changed = screen.query_one("#sbs-changed", Static).render()
        assert isinstance(changed, Content)
        assert "Changed in the original since the translation was made" in str(changed)
        # The word diff: "and consular" put in (underlined), nothing taken out.
        spans = [
            str(changed)[s.start : s.end] for s in changed.spans if "underline" in str(s.style)
        ]
        assert spans == ["and consular "]
        bar = str(screen.query_one("#tr-bar", Static).render())
        assert bar.startswith("Spanish (español): 7 current, 1 stale, 0 missing")

        await pilot.press("s")  # only the stale ones
        await settle(pilot)
        assert [r["ref"] for r in screen.rows] == ["OP2"]
        assert screen.query_one(OptionList).option_count == 1

        await pilot.press("n")  # French: nothing translated, nothing stale
        await settle(pilot)
        assert screen.language == "fr"
        assert screen.rows == []
        await pilot.press("s", "down")  # every paragraph again
        await settle(pilot)
        assert len(screen.rows) == 8
        assert "○ missing" in text_of(screen, "#sbs-state")
        assert "(no translation yet)" in text_of(screen, "#sbs-translation")
        assert text_of(screen, "#sbs-changed") == ""

        await pilot.press("enter")  # back to the draft, on that paragraph
        await settle(pilot)
        assert isinstance(app.screen, DraftScreen)


async def test_the_key_is_offered_on_the_draft_screen_only(record: Service) -> None:
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.active_bindings["L"].binding.action == "app.translation"
        await pilot.press("d")
        await settle(pilot)
        assert "L" not in app.screen.active_bindings


def test_snapshot_translation_screen(record: Service, snap_compare) -> None:
    translated(record)

    async def opened(pilot: Pilot[None]) -> None:
        await goto(pilot, pilot.app, "OP2")  # type: ignore[arg-type]
        await pilot.press("L")
        await settle(pilot)

    assert snap_compare(app_on(record), terminal_size=SIZE, run_before=opened)


async def test_a_language_outside_the_table_is_shown_as_text(record: Service) -> None:
    # An imported text keeps an `Original:` it does not know as printed: in the pane's border
    # title it must stay text, never markup (a stray closing tag would end the session, an
    # `@click` would become an action).
    record.set_metadata(DOC, original_language="[@click=app.quit]Klingon[/] [/x]")
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TranslationScreen)
        original = screen.query_one("#sbs-original", Static)
        assert original.border_title is not None
        assert "[/x]" in Content.from_markup(original.border_title).plain
        assert "@click" in Content.from_markup(original.border_title).plain
