"""The workplan terminal UI: a thin App that is given its service (or a door to the record)
and shows screens.

Started from a `Door` (the `tui` command), the app imports neither pydantic nor the write side
before its first frame: the draft screen draws the read path's outline, and the write side is
loaded in a worker after it (see `screens.draft`); until then the keys that need it say
"Loading the record…".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import ModalScreen, Screen

from workplan.service.policy import adoption_words
from workplan.tui.commands import DocumentCommands, ScreenCommands
from workplan.tui.door import Door
from workplan.tui.notices import Notifier
from workplan.tui.refresh import POLL_SECONDS, LiveRefresh
from workplan.tui.screens.draft import DraftScreen
from workplan.tui.screens.subscreen import SubScreen
from workplan.tui.widgets.outline import Outline

if TYPE_CHECKING:
    from workplan.files import ExportFolder
    from workplan.service import Service

DEFAULT_DOCUMENT = "third-work-plan"
MODAL_BLOCKED = frozenset(
    {"pick_document", "dashboard", "revisions", "record", "export", "help", "translation"}
)
"""Actions unavailable while a modal screen is open."""


class WorkplanApp(App[None]):
    """Negotiate a document paragraph by paragraph."""

    CSS_PATH = "app.tcss"
    TITLE = "workplan"
    COMMANDS = App.COMMANDS | {DocumentCommands, ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("o", "pick_document", "Open document", show=False, id="open-document"),
        Binding("d", "dashboard", "Dashboard", id="dashboard"),
        Binding("v", "revisions", "Revisions", id="revisions"),
        Binding("l", "record", "Record", id="record"),
        Binding("e", "export", "Export", id="export"),
        Binding("f1", "help", "Help", id="help"),
        Binding("question_mark", "toggle_keys", "Keys", show=False, id="keys"),
    ]

    def __init__(
        self,
        service: Service | None,
        document: str = DEFAULT_DOCUMENT,
        mode: str = "single-user",
        exports: ExportFolder | None = None,
        *,
        door: Door | None = None,
    ) -> None:
        super().__init__()
        self._service = service
        self.door = door if door is not None or service is None else Door.of(service)
        """Opens the record on a worker's own connection (None for an in-memory record)."""
        if self.door is None and service is None:
            raise ValueError("the app needs a service or a door to the record")
        self.exports = exports or export_folder_for(self._db_path())
        """The one folder exports are written into (by file name only)."""
        self.mode = mode
        """How the acting principal was decided: `single-user` (--as) or `roster` (pinned)."""
        self.document = document
        """The id of the document open (or being opened)."""
        self.notifier: Notifier
        """Tells the user what, in others' changes, concerns them (see `tui.notices`; set
        once the write side is loaded)."""
        self.live: LiveRefresh
        """Reloads the visible screen when another process changes the record (set once the
        write side is loaded)."""

    @property
    def service(self) -> Service:
        """The one door to the record, on the UI thread (once the write side is loaded)."""
        if self._service is None:
            raise RuntimeError("the record is still loading")
        return self._service

    @property
    def loaded(self) -> bool:
        """True once the write side is loaded."""
        return self._service is not None

    def _db_path(self) -> str:
        if self.door is not None:
            return str(self.door.db_path)
        return self.service.db_path()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification, never reading its text as markup: messages repeat what people
        typed (a filter, a name, another delegation's words), and `[@click=...]` in them must
        stay text, not become an action."""
        del markup  # always False, whatever the caller asked
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_mount(self) -> None:
        """Show the draft screen; watch the record for other users' changes (once loaded)."""
        self.push_screen(DraftScreen(self._service, self.document, self.door))
        if self._service is not None:
            self._watch(self._service)

    def on_ready(self) -> None:
        """The first frame is drawn: the draft screen loads the write side after it."""
        self.call_after_refresh(self.draft_screen.load_after_frame)

    def on_draft_screen_loaded(self, message: DraftScreen.Loaded) -> None:
        """The write side is loaded (after the first frame): watch the record from now."""
        self._service = message.service
        self._watch(message.service)
        self.refresh_bindings()

    def _watch(self, service: Service) -> None:
        self.notifier = Notifier(self, service, lambda: self.document)
        self.live = LiveRefresh(self, service.data_version, self.notifier.check)
        self.set_interval(POLL_SECONDS, self.live.poll, name="live-refresh")

    @property
    def draft_screen(self) -> DraftScreen:
        """The draft screen (the home screen, at the bottom of the stack)."""
        return next(s for s in self.screen_stack if isinstance(s, DraftScreen))

    def on_draft_screen_document_opened(self, message: DraftScreen.DocumentOpened) -> None:
        """Name the open document in the header: title, then symbol with revision and period."""
        doc = message.document
        self.document = doc.id
        self.title = doc.title or f"{doc.id} (no title yet)"
        # An adopted text says so first, where 80 columns still show it.
        adopted = f"read only, adopted {adoption_words(doc.adopted)}" if doc.adopted else ""
        self.sub_title = " · ".join(x for x in (adopted, message.symbol, doc.period) if x)

    @cached_property
    def acting(self) -> str:
        """Who is acting, as the header says it: "Acting as: Canada (CAN) · single-user" (read
        once: the principal is fixed for the app's life)."""
        if self.door is not None:
            principal, on_behalf_of = self.door.principal, self.door.on_behalf_of
            names = self.door.reading().delegation_names()
        else:
            svc = self.service
            principal, on_behalf_of = svc.principal, svc.on_behalf_of
            names = {d.code: d.name_en for d in svc.delegations()}
        who = principal.id
        shown = f"{names[who]} ({who})" if who in names else who.title()
        if on_behalf_of:
            shown += f" for {names.get(on_behalf_of, on_behalf_of)}"
        return f"Acting as: {shown} · {self.mode}"

    def format_title(self, title: str, sub_title: str) -> Content:
        """The header: who is acting first (it must stay visible at 80 columns), then the
        document's title (a sub-screen's name before it), then its symbol with its revision
        and period, which is what a narrow terminal cuts."""
        parts: list[Content | tuple[str, str]] = [(self.acting, "bold")]
        if title:
            parts += [(" │ ", "dim"), Content(title)]
        if sub_title:
            parts += [(" │ ", "dim"), Content(sub_title).stylize("dim")]
        return Content.assemble(*parts)

    def open_document(self, document: str) -> None:
        """Show another document (or reload this one) on the draft screen."""
        self.back_to_draft()
        self.draft_screen.show_document(document)

    def back_to_draft(self) -> DraftScreen:
        """Close every screen over the draft screen."""
        draft = self.draft_screen
        while self.screen is not draft:
            self.pop_screen()
        return draft

    def show_over_draft(self, make: Callable[[Service, str], Screen[None]]) -> None:
        """Open a screen about the open document over the draft screen (replacing another)."""
        self.back_to_draft()
        self.push_screen(make(self.service, self.document))

    def on_sub_screen_paragraph_chosen(self, message: SubScreen.ParagraphChosen) -> None:
        """Show the chosen paragraph on the draft screen (clearing a filter that hides it)."""
        outline = self.back_to_draft().query_one(Outline)
        if not outline.move_to(message.uid):
            self.draft_screen.action_clear_filters()
            if not outline.move_to(message.uid):
                self.notify("That paragraph is not in the working draft", severity="warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The one place that decides what is available: nothing once quitting (a key
        typed after `q` must not open a screen on an app shutting down), no new modal over a
        modal."""
        del parameters  # what is available depends on the action alone
        if self.return_code is not None:
            return False
        if action in MODAL_BLOCKED and action != "help" and not self.loaded:
            return None  # shown, not available until the record is loaded
        return not (action in MODAL_BLOCKED and isinstance(self.screen, ModalScreen))

    def unsaved(self) -> str | None:
        """The question to ask before quitting, when an open editor holds unsaved typing."""
        from workplan.tui.screens.pickers import Dialog

        for screen in reversed(self.screen_stack):
            if isinstance(screen, Dialog) and (question := screen.unsaved()):
                return question
        return None

    async def action_quit(self) -> None:
        """Quit (q, ctrl+q, the palette's Quit); ask first when typing would be lost."""
        from workplan.tui.screens.pickers import ConfirmScreen

        question = self.unsaved()
        if question is None or isinstance(self.screen, ConfirmScreen):
            self.exit()
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.exit()

        self.push_screen(ConfirmScreen(question), answered)

    def action_pick_document(self) -> None:
        """Ask which document to open."""
        from workplan.tui.screens.open_document import OpenDocumentScreen

        docs = [(d.id, d.title or "(no title yet)") for d, _ in self.service.documents()]

        def chosen(document: str | None) -> None:
            if document:
                self.open_document(document)

        self.push_screen(OpenDocumentScreen(docs, self.document), chosen)

    def action_dashboard(self) -> None:
        """Show the consensus dashboard."""
        from workplan.tui.screens.dashboard import DashboardScreen

        self.show_over_draft(DashboardScreen)

    def action_translation(self) -> None:
        """Show the paragraph on the draft screen in the original and in another language."""
        from workplan.tui.screens.translation import TranslationScreen

        uid = self.draft_screen.query_one(Outline).current_uid
        self.show_over_draft(lambda svc, doc: TranslationScreen(svc, doc, uid))

    def action_revisions(self) -> None:
        """Show the revisions and compare two of them."""
        from workplan.tui.screens.revisions import RevisionsScreen

        self.show_over_draft(RevisionsScreen)

    def action_record(self) -> None:
        """Show the event log and check the record's chain."""
        from workplan.tui.screens.record import RecordScreen

        self.show_over_draft(RecordScreen)

    def action_export(self) -> None:
        """Export the open document (clean, compilation or redline) to a file."""
        from workplan.tui.screens.export import ExportScreen

        self.push_screen(ExportScreen(self.service, self.document, self.exports))

    def action_help(self) -> None:
        """List every key of this screen and of the app, with what it does."""
        from workplan.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen.active_bindings))

    def action_toggle_keys(self) -> None:
        """Show or hide the panel listing the keys."""
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen (the palette's "Screenshot"); any file name or folder
        passed (say by a link in text) is ignored: see `deliver_screenshot`."""
        del filename, path  # never where a link asks
        self.deliver_screenshot()

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """An SVG of the screen, offered as a download in a browser, else written into the
        export folder under a name of our own: Textual's default would write anywhere."""
        del filename, path, time_format  # our own name, in our own folder
        from datetime import datetime

        from workplan.errors import WorkplanError

        name = f"screenshot-{datetime.now():%Y%m%dT%H%M%S}.svg"
        if self.is_web:
            return super().deliver_screenshot(name)
        try:
            written = self.exports.write(name, self.export_screenshot())
        except WorkplanError as exc:
            self.notify(exc.message, title="Screenshot not saved", severity="error")
        else:
            self.notify(f"Screenshot written: {written}", title="Screenshot")
        return None


def export_folder_for(db_path: str, chosen: str | Path | None = None) -> ExportFolder:
    """The export folder for the record at `db_path` ("" in memory): `chosen`,
    `$WORKPLAN_EXPORT_DIR` or `exports` beside the database; the database, its side files and
    the roster are never export names."""
    from workplan.files import ExportFolder
    from workplan.paths import export_dir
    from workplan.service.identity import roster_path_for

    db = Path(db_path)
    protected = (db, roster_path_for(db)) if db_path else ()
    return ExportFolder(export_dir(db, chosen), protected)


def make_app(
    service: Service,
    document: str = DEFAULT_DOCUMENT,
    mode: str = "single-user",
    export_dir: str | Path | None = None,
) -> WorkplanApp:
    """Build the app; the CLI and the tests both start here. `export_dir` is the operator's
    choice of export folder (see `export_folder_for`)."""
    exports = export_folder_for(service.db_path(), export_dir)
    return WorkplanApp(service, document=document, mode=mode, exports=exports)


def make_lazy_app(
    door: Door,
    document: str = DEFAULT_DOCUMENT,
    mode: str = "single-user",
    export_dir: str | Path | None = None,
) -> WorkplanApp:
    """Build the app over a door to the record: its first frame comes from the read path, the
    write side is loaded after it (the `tui` command starts here)."""
    exports = export_folder_for(str(door.db_path), export_dir)
    return WorkplanApp(None, document=document, mode=mode, exports=exports, door=door)
