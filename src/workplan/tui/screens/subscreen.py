"""The base of the full screens opened over the draft: dashboard, revisions and diffs.

Escape goes back to the draft; choosing a paragraph posts `ParagraphChosen`, which the App
turns into a jump on the draft screen (messages up, attributes down).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

if TYPE_CHECKING:
    from workplan.service import Service


class SubScreen(Screen[None]):
    """A screen about the open document; `reload()` reads the record again."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back to the draft", id="back"),
    ]

    class ParagraphChosen(Message):
        """The user asked to see a paragraph on the draft screen."""

        def __init__(self, uid: str) -> None:
            super().__init__()
            self.uid = uid
            """The paragraph's uid."""

    def __init__(self, service: Service, document_id: str) -> None:
        super().__init__()
        self.service = service
        """The one door to the record."""
        self.document_id = document_id
        """The document shown."""

    def name_screen(self, name: str) -> None:
        """Say in the header which screen this is, before the document's title (its symbol,
        revision and period follow as on the draft screen)."""
        self.title = " · ".join(x for x in (name, self.app.title) if x)

    def reload(self) -> None:
        """Read the record again, keeping the selection (subclasses fill in)."""

    def choose(self, uid: str) -> None:
        """Ask the App to show a paragraph on the draft screen."""
        self.post_message(self.ParagraphChosen(uid))

    def action_back(self) -> None:
        """Back to the screen below."""
        self.dismiss(None)
