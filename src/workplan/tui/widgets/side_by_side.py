"""One paragraph in the original and in a translation, side by side, with the translation's
state and, when it is stale, the word diff of what changed in the original since it was made."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from workplan.tui.widgets.amendments_list import diff_content

#: How each state reads, with a glyph so it reads without colour.
STATE_BADGES: dict[str, tuple[str, str]] = {
    "current": ("● current", "$text-success"),
    "stale": ("◐ stale", "bold $text-warning"),
    "missing": ("○ missing", "$text-error"),
}


def state_badge(state: str) -> Content:
    """`◐ stale`, styled."""
    text, style = STATE_BADGES[state]
    return Content.styled(text, style)


def changed_since(row: dict[str, Any]) -> Content:
    """What changed in the original since the translation was made, word by word (struck:
    taken out, underlined: put in); empty unless the translation is stale."""
    if row["state"] != "stale" or row["source_text"] is None:
        return Content("")
    return Content.assemble(
        ("Changed in the original since the translation was made:\n", "bold"),
        diff_content(row["source_text"], row["original"]),
    )


class SideBySide(Widget):
    """The original on the left, the translation on the right, what changed below."""

    DEFAULT_CSS = """
    SideBySide {
        height: 1fr;
        & #sbs-state { height: auto; padding: 0 1; }
        & #sbs-columns { height: auto; }
        & .sbs-column {
            width: 1fr;
            height: auto;
            padding: 0 1;
            border: round $foreground 30%;
            border-title-color: $foreground;
        }
        & #sbs-changed { height: auto; padding: 1 1 0 1; }
    }
    """

    def __init__(self, original_name: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.original_name = original_name
        """The original's language, as the left column's title says it."""

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="sbs-state", markup=False)
            with Horizontal(id="sbs-columns"):
                yield Static("", id="sbs-original", classes="sbs-column", markup=False)
                yield Static("", id="sbs-translation", classes="sbs-column", markup=False)
            yield Static("", id="sbs-changed", markup=False)

    def show(self, row: dict[str, Any] | None, language: str) -> None:
        """Show one paragraph's row (from `Service.translated_paragraphs`), or nothing."""
        original = self.query_one("#sbs-original", Static)
        translation = self.query_one("#sbs-translation", Static)
        # border titles are read as markup: the original's language may be any name an
        # imported text printed (`Original: ...`), so both are given as text
        original.border_title = Content(f"Original ({self.original_name})")
        translation.border_title = Content(language)
        if row is None:
            self.query_one("#sbs-state", Static).update("No paragraph to show.")
            original.update("")
            translation.update("")
            self.query_one("#sbs-changed", Static).update("")
            return
        self.query_one("#sbs-state", Static).update(
            Content.assemble(
                (f"{row['ref']} ", "bold"), f"in {language}: ", state_badge(row["state"])
            )
        )
        original.update(row["original"])
        translation.update(
            row["translation"]
            if row["translation"] is not None
            else Content.styled("(no translation yet)", "italic $text-muted")
        )
        self.query_one("#sbs-changed", Static).update(changed_since(row))
