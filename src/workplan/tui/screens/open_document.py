"""Pick a document to open: a modal returning its id (or None)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class OpenDocumentScreen(ModalScreen[str | None]):
    """Lists the documents in the record; Enter opens one, Escape cancels."""

    DEFAULT_CSS = """
    OpenDocumentScreen {
        align: center middle;
    }
    OpenDocumentScreen > Vertical {
        width: 80;
        height: auto;
        max-height: 80%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    OpenDocumentScreen .hint {
        color: $text-muted;
    }
    OpenDocumentScreen OptionList {
        height: auto;
        max-height: 20;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
    ]

    def __init__(self, documents: list[tuple[str, str]], current: str) -> None:
        """`documents` are (id, title) pairs; the cursor starts on `current`."""
        super().__init__()
        self._documents = documents
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Open document")
            yield OptionList(
                *[Option(f"{title}  ({doc_id})", id=doc_id) for doc_id, title in self._documents],
                markup=False,
                id="documents",
            )
            yield Label("Enter opens · Escape cancels", classes="hint")

    def on_mount(self) -> None:
        """Put the cursor on the current document."""
        options = self.query_one(OptionList)
        ids = [d for d, _ in self._documents]
        if self._current in ids:
            options.highlighted = ids.index(self._current)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Return the chosen document's id."""
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
