"""The workplan terminal UI: a thin App that is given its service and shows screens."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen

from workplan.tui.commands import DocumentCommands
from workplan.tui.screens.draft import DraftScreen
from workplan.tui.screens.open_document import OpenDocumentScreen

if TYPE_CHECKING:
    from workplan.service import Service

DEFAULT_DOCUMENT = "third-work-plan"
MODAL_BLOCKED = frozenset({"pick_document"})
"""Actions unavailable while a modal screen is open."""


class WorkplanApp(App[None]):
    """Negotiate a document paragraph by paragraph."""

    CSS_PATH = "app.tcss"
    TITLE = "workplan"
    COMMANDS = App.COMMANDS | {DocumentCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("o", "pick_document", "Open document", id="open-document"),
        Binding("question_mark", "toggle_keys", "Keys", id="keys"),
    ]

    def __init__(self, service: Service, document: str = DEFAULT_DOCUMENT) -> None:
        super().__init__()
        self.service = service
        """The one door to the record."""
        self.document = document
        """The id of the document open (or being opened)."""

    def on_mount(self) -> None:
        """Show the draft screen."""
        self.push_screen(DraftScreen(self.service, self.document))

    @property
    def draft_screen(self) -> DraftScreen:
        """The draft screen (the home screen, at the bottom of the stack)."""
        return next(s for s in self.screen_stack if isinstance(s, DraftScreen))

    def on_draft_screen_document_opened(self, message: DraftScreen.DocumentOpened) -> None:
        """Name the open document in the header: title, then symbol and period."""
        doc = message.document
        self.document = doc.id
        self.title = doc.title
        self.sub_title = " · ".join(x for x in (doc.symbol, doc.period) if x)

    def open_document(self, document: str) -> None:
        """Show another document (or reload this one) on the draft screen."""
        self.draft_screen.show_document(document)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The one place that decides what is available: no new modal over a modal."""
        return not (action in MODAL_BLOCKED and isinstance(self.screen, ModalScreen))

    def action_pick_document(self) -> None:
        """Ask which document to open."""
        docs = [(d.id, d.title) for d, _ in self.service.documents()]

        def chosen(document: str | None) -> None:
            if document:
                self.open_document(document)

        self.push_screen(OpenDocumentScreen(docs, self.document), chosen)

    def action_toggle_keys(self) -> None:
        """Show or hide the panel listing the keys."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()


def make_app(service: Service, document: str = DEFAULT_DOCUMENT) -> WorkplanApp:
    """Build the app; the CLI and the tests both start here."""
    return WorkplanApp(service, document=document)
