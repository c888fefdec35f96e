"""The draft screen (home): the outline on the left, the selected paragraph and its tabs beside it.

The actions that change the record are in the base classes (`draft_actions`, `draft_chair`,
`draft_reservations`); this module loads and shows, filters and searches.

What it shows is read into plain read objects: a `DraftPage` (`service.pages`) for the
document, the positions of the paragraph shown when it is shown. Started without a service
(from a `Door`), the first frame is the read path's outline (`Reading.outline`: no pydantic,
no write side); a worker then imports the write side and reads the page on its own
connection, and the screen swaps to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, tzinfo
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Footer, Header, Static

from workplan.errors import NotFoundError, WorkplanError
from workplan.service.zones import describe
from workplan.tui.screens.draft_chair import ChairActions
from workplan.tui.screens.draft_reservations import ReservationActions
from workplan.tui.screens.filters import Filters, filter_draft
from workplan.tui.widgets.outline import Outline
from workplan.tui.widgets.paragraph_view import ParagraphInfo, ParagraphView

if TYPE_CHECKING:
    from textual.widgets import Input, TabbedContent

    from workplan.model import Delegation, Document, Draft, Lineage
    from workplan.model.views import OutlinePage
    from workplan.service import Service
    from workplan.service.pages import DraftPage
    from workplan.tui.door import Door
    from workplan.tui.widgets.detail_tabs import DetailTabs, ParagraphDetail
    from workplan.tui.widgets.history_list import EventIndex


FIRST_ROWS = 200
"""How many paragraphs the first frame's outline holds (the whole outline comes with the write
side): the first frame costs the same at 100 and at 10,000 paragraphs."""


class DraftScreen(ChairActions, ReservationActions):
    """Read and negotiate a document paragraph by paragraph."""

    DEFAULT_CSS = """
    DraftScreen {
        & #search { display: none; }
        &.-searching #search { display: block; }
        & #filter-bar { display: none; height: 1; padding: 0 1; background: $boost; }
        &.-filtered #filter-bar { display: block; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next paragraph", show=False, id="cursor-down"),
        Binding("k", "cursor_up", "Previous paragraph", show=False, id="cursor-up"),
        Binding("slash", "search", "Search", id="search-text"),
        Binding("f", "filter", "Filter", id="filter-outline"),
        Binding("escape", "clear_filters", "Clear filter", show=False, id="clear-filter"),
        Binding("m", "focus_amendments", "Amendments", show=False, id="focus-amendments"),
        Binding("t", "next_tab", "Next tab", show=False, id="next-detail-tab"),
        Binding("T", "previous_tab", "Previous tab", show=False, id="previous-detail-tab"),
        Binding("L", "app.translation", "Translations", show=False, id="translations"),
    ]

    class DocumentOpened(Message):
        """A document was loaded onto the screen."""

        def __init__(self, document: Document, symbol: str) -> None:
            super().__init__()
            self.document = document
            """The document's metadata."""
            self.symbol = symbol
            """Its symbol with the last revision frozen ("CP/CSH-2001/22 rev. 2")."""

    def __init__(self, service: Service | None, document_id: str, door: Door | None = None) -> None:
        super().__init__(service, door)
        self.draft: Draft | None = None
        """The draft shown."""
        self.filters = Filters()
        """What the outline is narrowed to."""
        self._first = document_id
        self._statuses: Mapping[str, str] = {}
        self._first_frame: OutlinePage | None = None
        self._waiting: str | None = None
        self._tabs_shown: DetailTabs | None = None
        self._sources: dict[str, tuple[str, dict[str, str]] | None] = {}
        self._roster: list[Delegation] | None = None
        self._events: EventIndex | None = None
        self.time_zone: tzinfo = UTC
        """The document's time zone: deadlines are shown in it, with UTC beside."""
        self._pending: str | None = None
        self._scrolled_for: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            yield Outline(id="outline")
            with Vertical(id="detail"):
                with VerticalScroll(id="paragraph-pane"):
                    yield ParagraphView(clock=self.now, id="paragraph")
                if self._service is None:  # the tabs come with the write side
                    yield Static("Loading the record…", id="tabs-loading", markup=False)
                else:
                    from workplan.tui.widgets.detail_tabs import DetailTabs

                    yield DetailTabs(id="tabs")
        yield Static("", id="filter-bar", markup=False)
        if self._service is not None:  # the keys come with the write side
            yield Footer()

    def on_mount(self) -> None:
        """Load the first document (from the read path first, when the write side is not
        loaded yet)."""
        if self._service is None:
            self._show_first_frame(self._first)
        else:
            self.show_document(self._first)
        self.query_one(Outline).focus()

    # -- loading ----------------------------------------------------------------------------
    def _show_first_frame(self, document_id: str) -> None:
        """Show the outline from the read path, then load the rest in a worker."""
        assert self.door is not None
        try:
            page = self.door.reading().outline(
                document_id, limit=FIRST_ROWS, derived=self.size.height or 50
            )
        except WorkplanError as exc:
            self.notify(str(exc), title="Cannot open document", severity="error")
            return
        self._first_frame = page
        self.document_id = document_id
        outline = self.query_one(Outline)
        outline.show_rows(page.sections, page.rows, page.refs, page.statuses)
        self.app.title = page.document.title or f"{document_id} (no title yet)"
        self._show_light(outline.current_uid)
        self._waiting = document_id  # loaded once the first frame is drawn: `load_after_frame`

    def load_after_frame(self) -> None:
        """Load what the first frame left out, in a worker (the App calls this once its first
        frame is drawn, so that the worker's imports never delay it)."""
        if self._waiting is not None:
            document_id, self._waiting = self._waiting, None
            self._load(document_id)

    def _show_light(self, uid: str | None) -> None:
        """The first frame's paragraph: its text, ref, kind and status (no detail yet)."""
        page = self._first_frame
        row = next((r for r in page.rows if r.uid == uid), None) if page else None
        if page is None or row is None:
            return
        titles = {s.id: s for s in page.sections}
        path: list[str] = []
        at = row.section
        while at is not None and at in titles and titles[at].title not in path:
            path.insert(0, titles[at].title)
            at = titles[at].parent
        self.query_one(ParagraphView).info = ParagraphInfo(
            uid=row.uid,
            ref=row.ref,
            kind=row.kind,
            section=" › ".join(path),
            lineage="",
            status=row.status,
            text=row.text,
            version=0,
        )

    def _load(self, document_id: str, keep: str | None = None) -> None:
        """Read the document's page in a worker, on a connection of its own (importing the
        write side the first time); the screen shows it when the worker is done."""
        door = self.door
        assert door is not None
        first = self._service is None

        def work() -> None:
            svc = door.open()
            try:
                page = svc.draft_page(document_id)
            except WorkplanError as exc:
                self.app.call_from_thread(self._not_opened, exc)
                return
            finally:
                svc.close()
            self.app.call_from_thread(self.call_next, self._loaded, document_id, page, first, keep)

        self.run_worker(work, thread=True, group="load", exclusive=True, exit_on_error=False)

    def _not_opened(self, exc: WorkplanError) -> None:
        self.notify(str(exc), title="Cannot open document", severity="error")

    async def _loaded(
        self, document_id: str, page: DraftPage, first: bool, keep: str | None
    ) -> None:
        """The page was read in a worker: the first time, open the UI thread's service (the
        write side is imported by now) and put the tabs in place; then show the page."""
        if self._gone():
            return
        if first and self._service is None:
            from workplan.tui.widgets.detail_tabs import DetailTabs

            assert self.door is not None
            self._service = self.door.open()
            await self.query_one("#tabs-loading").remove()
            await self.query_one("#detail").mount(DetailTabs(id="tabs"))
            await self.mount(Footer())
            self.app.post_message(self.Loaded(self._service))
        self._first_frame = None
        if first:
            keep = self.current_uid
        self._show_page(document_id, page, keep)

    class Loaded(Message):
        """The write side is loaded: the UI thread's service is open."""

        def __init__(self, service: Service) -> None:
            super().__init__()
            self.service = service
            """The service of the UI thread."""

    def show_document(self, document_id: str) -> bool:
        """Load a document from the record and show it; on failure say why and keep the old one."""
        if self._service is None:
            return False
        same = document_id == self.document_id
        keep = self.current_uid if same else None
        try:
            page = self.service.draft_page(document_id)
        except WorkplanError as exc:
            self.notify(str(exc), title="Cannot open document", severity="error")
            return False
        self._show_page(document_id, page, keep)
        return True

    def _show_page(self, document_id: str, page: DraftPage, keep: str | None) -> None:
        same = document_id == self.document_id
        self.page, self.draft = page, page.draft
        self._statuses = page.statuses
        self.time_zone = page.time_zone
        self._sources, self._events = {}, None
        if not same:
            self._set_filters(Filters())
        self.document_id = document_id
        self.refresh_bindings()  # an adopted document offers no negotiating key
        self._show_outline(keep)
        self.post_message(self.DocumentOpened(page.draft.document, page.symbol))

    def reload(self, page: DraftPage | None = None) -> None:
        """Show `page` (read after an action), or read the shown document again: in a worker
        when the record has a file; the cursor stays where it was."""
        if not self.loaded:
            return
        if page is not None:
            self._show_page(self.document_id, page, self.current_uid)
        elif self.door is not None:
            self._load(self.document_id, self.current_uid)
        else:
            self.show_document(self.document_id)

    @property
    def roster(self) -> list[Delegation]:
        """The active delegations, read once."""
        if self._roster is None:
            self._roster = [d for d in self.service.delegations() if d.active]
        return self._roster

    @property
    def current_uid(self) -> str | None:
        """The uid under the outline's cursor."""
        return self.query_one(Outline).current_uid

    def amendment_target(self, focused_only: bool) -> str | None:
        """The highlighted amendment; with `focused_only`, only while its list has focus."""
        from workplan.tui.widgets.amendments_list import AmendmentsList

        amendments = self.query_one(AmendmentsList)
        if focused_only and self.focused is not amendments:
            return None
        return amendments.selected_id

    def _show_outline(self, keep: str | None) -> None:
        if self.draft is None or self.page is None:
            return
        outline, f = self.query_one(Outline), self.filters
        shown = filter_draft(self.page, self._statuses, f) if f.active else self.draft
        outline.show_draft(shown, self._statuses, keep=keep)
        self.show_paragraph(outline.current_uid)

    def show_paragraph(self, uid: str | None) -> None:
        """Show one paragraph (or none) in the detail pane."""
        if self._first_frame is not None or (tabs := self._tabs()) is None:
            self._show_light(uid)
            return
        view = self.query_one(ParagraphView)
        if self.draft is None or uid not in self.draft.by_uid:
            view.info = None
            tabs.show(None)
            return
        p = self.draft.by_uid[uid]
        page = self.page
        state = page.state(p, self.now()) if page else None
        view.info = ParagraphInfo(
            uid=uid,
            ref=self.draft.refs.get(uid, ""),
            formerly=page.formerly.get(uid, "") if page else "",
            kind=str(p.kind),
            section=" › ".join(s.title for s in self.draft.section_path(p.section)),
            lineage=self._lineage(p.lineage) if p.lineage else "",
            status=self._statuses.get(uid, ""),
            text=p.text,
            version=p.version,
            silence_until=state.silence_until if state else None,
            deadline=describe(state.silence_until, self.time_zone)
            if state and state.silence_until
            else "",
            open_amendments=len(state.open_amendments) if state else 0,
            insertions=len(state.insertions) if state else 0,
            reservations=len(page.reservations_on(uid)) if page else 0,
        )
        tabs.show(self._detail(uid))
        if view.uid != self._scrolled_for:
            self._scrolled_for = view.uid
            self.query_one("#paragraph-pane", VerticalScroll).scroll_home(animate=False)

    def _detail(self, uid: str) -> ParagraphDetail | None:
        page = self.page
        if page is None:
            return None
        history = []
        if (tabs := self._tabs()) is not None and tabs.active == "history-tab":
            if self._events is None:
                from workplan.tui.widgets.history_list import EventIndex

                self._events = EventIndex(
                    self.service.events(self.document_id),
                    page.draft.by_uid,
                    {a.id: a.target for a in page.amendments},
                )
            history = self._events.for_paragraph(uid)
        notes = [n for n in page.notes if uid in n.paragraphs]
        targets = [uid, *(a.id for a in page.by_target.get(uid, ()))]
        positions = self.service.positions_on(self.document_id, targets)
        from workplan.tui.widgets.detail_tabs import ParagraphDetail

        return ParagraphDetail.build(page, uid, self.roster, history, notes, positions)

    def _tabs(self) -> DetailTabs | None:
        """The tabs under the paragraph (None until the write side is loaded)."""
        from workplan.tui.widgets.detail_tabs import DetailTabs

        if self._tabs_shown is None and (found := self.query(DetailTabs)):
            self._tabs_shown = found.first()  # kept once there: a move asks for it each time
        return self._tabs_shown

    def _lineage(self, lineage: Lineage) -> str:
        """Where a paragraph came from, e.g. "from Second Work Plan OP12" (each source's title
        and refs read once, without its text)."""
        if lineage.document not in self._sources:
            try:
                source = self.service.document(lineage.document)
                self._sources[lineage.document] = (source.title, self.service.refs(source.id))
            except NotFoundError:
                self._sources[lineage.document] = None
        known = self._sources[lineage.document]
        if known is None:
            return f"from {lineage.document} {lineage.uid}"
        title, refs = known
        return f"from {title} {refs.get(lineage.uid) or lineage.uid}"

    def on_outline_paragraph_highlighted(self, message: Outline.ParagraphHighlighted) -> None:
        """The outline's cursor moved onto a paragraph: the cursor is drawn at once, the
        detail pane after that frame; moves faster than frames (a held key) show only the
        paragraph the cursor stops on."""
        if self._pending is None:
            self.call_after_refresh(self._show_pending)
        self._pending = message.uid

    def _show_pending(self) -> None:
        uid, self._pending = self._pending, None
        if uid is not None and uid == self.current_uid:
            with self.app.batch_update():
                self.show_paragraph(uid)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        """The History tab loads the record only when shown."""
        if event.pane.id == "history-tab":
            self.show_paragraph(self.current_uid)

    # -- filters and search -----------------------------------------------------------------
    def _set_filters(self, filters: Filters) -> None:
        self.filters = filters
        self.set_class(filters.active, "-filtered")
        self.query_one("#filter-bar", Static).update(
            f"Showing: {filters.describe()} · Escape clears" if filters.active else ""
        )

    def _refilter(self, filters: Filters) -> None:
        self._set_filters(filters)
        self._show_outline(self.current_uid)

    async def action_search(self) -> None:
        """Open the search field (made the first time); the outline narrows as you type."""
        from textual.widgets import Input

        if not self.query("#search"):
            field = Input(placeholder="Search the text (Enter keeps, Escape clears)", id="search")
            await self.mount(field, before="#filter-bar")
        self.add_class("-searching")
        self.query_one("#search", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        """Narrow the outline to paragraphs containing the typed text."""
        if event.input.id == "search":
            self._refilter(replace(self.filters, search=event.value.strip()))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter keeps the search and goes back to the outline."""
        if event.input.id == "search":
            self.query_one(Outline).focus()

    def action_filter(self) -> None:
        """Filter the outline by status and by what a delegation says."""
        from workplan.tui.screens.draft_filter import FilterScreen

        def chosen(filters: Filters | None) -> None:
            if filters is not None:
                self._refilter(filters)

        self.app.push_screen(FilterScreen(self.filters, self.roster), chosen)

    def action_clear_filters(self) -> None:
        """Show every paragraph again and close the search field."""
        from textual.widgets import Input

        self.remove_class("-searching")
        for search in self.query("#search").results(Input):
            with search.prevent(Input.Changed):
                search.value = ""
        self._refilter(Filters())
        self.query_one(Outline).focus()

    # -- moving -----------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        """Move to the next paragraph."""
        self.query_one(Outline).action_cursor_down()

    def action_cursor_up(self) -> None:
        """Move to the previous paragraph."""
        self.query_one(Outline).action_cursor_up()

    def action_focus_amendments(self) -> None:
        """Show the Amendments tab and focus its list (positions then target the amendment)."""
        from workplan.tui.widgets.amendments_list import AmendmentsList

        if (tabs := self._tabs()) is not None:
            tabs.active = "amendments-tab"
            self.query_one(AmendmentsList).focus()

    def action_next_tab(self) -> None:
        """Show the next of the Amendments, Positions, Reservations and History tabs."""
        if (tabs := self._tabs()) is not None:
            tabs.cycle(1)

    def action_previous_tab(self) -> None:
        """Show the previous tab."""
        if (tabs := self._tabs()) is not None:
            tabs.cycle(-1)
