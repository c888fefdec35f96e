"""The workplan terminal UI: a thin App that gets its service and shows screens."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from workplan.tui.commands import DocumentCommands
from workplan.tui.screens.draft import DraftScreen
from workplan.tui.screens.open_document import OpenDocumentScreen

if TYPE_CHECKING:
    from workplan.service import Service


class WorkplanApp(App[None]):
    """Negotiate a document paragraph by paragraph."""

    CSS_PATH = "app.tcss"
    TITLE = "workplan"
    COMMANDS = App.COMMANDS | {DocumentCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("o", "pick_document", "Open", id="open-document"),
    ]

    def __init__(self, service: Service, document: str = "third-work-plan") -> None:
        super().__init__()
        self.service = service
        self.document = document

    def on_mount(self) -> None:
        """Show the draft screen."""
        self.push_screen(DraftScreen(self.service, self.document))

    @property
    def draft_screen(self) -> DraftScreen:
        """The draft screen (always at the bottom of the stack)."""
        return next(s for s in self.screen_stack if isinstance(s, DraftScreen))

    def open_document(self, document: str) -> None:
        """Show another document."""
        self.document = document
        self.draft_screen.document_id = document

    def action_pick_document(self) -> None:
        """Ask which document to open."""
        docs = [(d.id, d.title) for d, _ in self.service.documents()]

        def chosen(document: str | None) -> None:
            if document:
                self.open_document(document)

        self.push_screen(OpenDocumentScreen(docs, self.document), chosen)


def make_app(service: Service, document: str = "third-work-plan") -> WorkplanApp:
    """Build the app for the CLI and for tests."""
    return WorkplanApp(service, document)
