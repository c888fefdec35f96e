"""The draft screen (home): the outline on the left, the selected paragraph on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header

from workplan.errors import NotFoundError, WorkplanError
from workplan.model import Document, Draft, Lineage
from workplan.tui.widgets.outline import Outline
from workplan.tui.widgets.paragraph_view import ParagraphInfo, ParagraphView

if TYPE_CHECKING:
    from workplan.service import Service


class DraftScreen(Screen[None]):
    """Read a document paragraph by paragraph."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next paragraph", show=False, id="cursor-down"),
        Binding("k", "cursor_up", "Previous paragraph", show=False, id="cursor-up"),
    ]

    document_id: reactive[str] = reactive("", init=False)
    """The id of the document shown ("" until one is loaded)."""

    class DocumentOpened(Message):
        """A document was loaded onto the screen."""

        def __init__(self, document: Document) -> None:
            super().__init__()
            self.document = document
            """The document's metadata."""

    def __init__(self, service: Service, document_id: str) -> None:
        super().__init__()
        self.service = service
        self.draft: Draft | None = None
        """The draft shown."""
        self._first = document_id
        self._statuses: dict[str, str] = {}
        self._sources: dict[str, Draft | None] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield Outline(id="outline")
            with VerticalScroll(id="detail"):
                yield ParagraphView(id="paragraph")
        yield Footer()

    def on_mount(self) -> None:
        """Load the first document."""
        self.show_document(self._first)
        self.query_one(Outline).focus()

    def show_document(self, document_id: str) -> bool:
        """Load a document from the record and show it; on failure say why and keep the old one."""
        outline = self.query_one(Outline)
        keep = outline.current_uid if document_id == self.document_id else None
        try:
            draft = self.service.draft(document_id)
            status = self.service.status(document_id)
        except WorkplanError as exc:
            self.notify(str(exc), title="Cannot open document", severity="error")
            return False
        self.draft = draft
        self._statuses = {row["uid"]: row["status"] for row in status["paragraphs"]}
        self._sources = {}
        self.document_id = document_id
        outline.show_draft(draft, self._statuses, keep=keep)
        self.show_paragraph(outline.current_uid)
        self.post_message(self.DocumentOpened(draft.document))
        return True

    def reload(self) -> None:
        """Read the shown document again, keeping the cursor where it was."""
        self.show_document(self.document_id)

    def show_paragraph(self, uid: str | None) -> None:
        """Show one paragraph (or none) in the detail pane."""
        view = self.query_one(ParagraphView)
        if self.draft is None or uid not in self.draft.by_uid:
            view.info = None
            return
        p = self.draft.by_uid[uid]
        view.info = ParagraphInfo(
            uid=uid,
            ref=self.draft.refs.get(uid, ""),
            kind=str(p.kind),
            section=" › ".join(s.title for s in self.draft.section_path(p.section)),
            lineage=self._lineage(p.lineage) if p.lineage else "",
            status=self._statuses.get(uid, ""),
            text=p.text,
            version=p.version,
        )

    def _lineage(self, lineage: Lineage) -> str:
        """Where a paragraph came from, e.g. "from Second Work Plan OP12" (sources read once)."""
        if lineage.document not in self._sources:
            try:
                self._sources[lineage.document] = self.service.draft(lineage.document)
            except NotFoundError:
                self._sources[lineage.document] = None
        source = self._sources[lineage.document]
        if source is None:
            return f"from {lineage.document} {lineage.uid}"
        return f"from {source.document.title} {source.ref(lineage.uid)}"

    def on_outline_paragraph_highlighted(self, message: Outline.ParagraphHighlighted) -> None:
        """The outline's cursor moved onto a paragraph."""
        self.show_paragraph(message.uid)

    def action_cursor_down(self) -> None:
        """Move to the next paragraph."""
        self.query_one(Outline).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Move to the previous paragraph."""
        self.query_one(Outline).action_cursor_up()
