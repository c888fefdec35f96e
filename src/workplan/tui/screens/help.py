"""Help: every key available where the user was, with what it does, read from the bindings.

Nothing here is hard-coded: the rows come from the screen's active bindings (the focused
widget's, the screen's and the App's), so remapped keys and new actions show up by themselves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

if TYPE_CHECKING:
    from textual.app import App
    from textual.binding import ActiveBinding


def where(binding: ActiveBinding, app: App[object]) -> str:
    """Where a key works: "everywhere" (the App), or the screen or widget defining it."""
    return "everywhere" if binding.node is app else type(binding.node).__name__


def help_rows(bindings: dict[str, ActiveBinding], app: App[Any]) -> list[tuple[str, ...]]:
    """(key, what it does, where, binding id) per key: the nearest first, the App's last."""
    rows = []
    for active in bindings.values():
        b = active.binding
        what = b.description or b.action
        if not active.enabled:
            what += " (not available now)"
        rows.append((app.get_key_display(b), what, where(active, app), b.id or ""))
    return sorted(rows, key=lambda r: (r[2] == "everywhere", r[2], r[1].casefold()))


class HelpScreen(ModalScreen[None]):
    """A table of keys; Escape, F1 or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > Vertical {
            width: 100;
            max-width: 100%;
            height: 90%;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        & .title { text-style: bold; }
        & .hint { color: $text-muted; }
        & DataTable { height: 1fr; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1,question_mark", "close", "Close help", id="help-close"),
    ]

    def __init__(self, bindings: dict[str, ActiveBinding]) -> None:
        """`bindings` are the active bindings of the screen the help is about."""
        super().__init__()
        self._shown = bindings

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Keys", classes="title")
            table: DataTable[Text] = DataTable(cursor_type="row", id="keys")
            table.add_columns("Key", "What it does", "Where", "Binding id")
            for row in help_rows(self._shown, self.app):
                table.add_row(*[Text(cell) for cell in row])
            yield table
            yield Label(
                "Every action is also in the command palette (ctrl+p) · Escape closes",
                classes="hint",
            )

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
