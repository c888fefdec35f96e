"""The draft screen (home): the outline on the left, the selected paragraph on the right."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header

from workplan.model import Draft
from workplan.tui.widgets.outline import Outline
from workplan.tui.widgets.paragraph_view import ParagraphInfo, ParagraphView

if TYPE_CHECKING:
    from workplan.service import Service


class DraftScreen(Screen[None]):
    """Read a document paragraph by paragraph."""

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="cursor-down"),
        Binding("k", "cursor_up", "Up", show=False, id="cursor-up"),
    ]

    document_id: reactive[str] = reactive("", init=False)
    """The id of the document shown."""

    def __init__(self, service: Service, document_id: str) -> None:
        super().__init__()
        self.service = service
        self._initial = document_id
        self.draft: Draft | None = None
        self.statuses: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield Outline(id="outline")
            with VerticalScroll(id="detail"):
                yield ParagraphView(id="paragraph")
        yield Footer()

    def on_mount(self) -> None:
        """Load the first document."""
        self.document_id = self._initial
        self.query_one(Outline).focus()

    def watch_document_id(self, document_id: str) -> None:
        """Load a document whenever the id changes."""
        self.reload()

    def reload(self) -> None:
        """Read the document again from the record and redraw."""
        outline = self.query_one(Outline)
        keep = outline.current_uid
        self.draft = self.service.draft(self.document_id)
        status = self.service.status(self.document_id)
        self.statuses = {row["uid"]: row["status"] for row in status["paragraphs"]}
        doc = self.draft.document
        self.app.title = doc.title
        self.app.sub_title = " · ".join(x for x in (doc.symbol, doc.period) if x)
        outline.show_draft(self.draft, self.statuses, keep=keep)
        uid = outline.current_uid
        if uid:
            self.show_paragraph(uid)

    def show_paragraph(self, uid: str) -> None:
        """Show one paragraph in the detail pane."""
        assert self.draft is not None
        p = self.draft.by_uid[uid]
        section = " › ".join(s.title for s in self.draft.section_path(p.section))
        self.query_one(ParagraphView).info = ParagraphInfo(
            uid=uid,
            ref=self.draft.refs.get(uid, ""),
            kind=str(p.kind),
            section=section,
            lineage=self._lineage(p.lineage.document, p.lineage.uid) if p.lineage else "",
            status=self.statuses.get(uid, ""),
            text=p.text,
            version=p.version,
        )

    def _lineage(self, document: str, uid: str) -> str:
        try:
            source = self.service.draft(document)
        except Exception:  # noqa: BLE001 - a source outside this record is named as stored
            return f"from {document} {uid}"
        ref = source.refs.get(uid) or uid
        return f"from {source.document.title} {ref}"

    def on_outline_paragraph_highlighted(self, message: Outline.ParagraphHighlighted) -> None:
        """The outline's cursor moved."""
        self.show_paragraph(message.uid)

    def action_cursor_down(self) -> None:
        """Move down the outline."""
        self.query_one(Outline).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Move up the outline."""
        self.query_one(Outline).action_cursor_up()
