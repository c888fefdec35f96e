"""The record: the event log of the open document, filterable, and the chain check.

Newest events first. Typing in the filter narrows the log to events whose action, actor,
delegation or summary contains the words typed (all of them, any case). `c` checks the whole
record as `workplan verify` does (the hash chain, the whole schema, SQLite's integrity check, and
that the tables equal what replaying the events gives), on a connection of its own in a thread
so the screen stays responsive; the result stays on screen with the time it was checked.
Enter on an event about a paragraph shows that paragraph on the draft screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Input, Static

from workplan.errors import WorkplanError
from workplan.tui.screens.subscreen import SubScreen

if TYPE_CHECKING:
    from workplan.model import Event
    from workplan.service import Service


@dataclass(frozen=True)
class LogRow:
    """One event as the log shows it."""

    id: int
    """The event's sequence number."""
    at: str
    """When, UTC, to the minute."""
    who: str
    """The actor, with the delegation recorded for (`SECRETARIAT for MEX`)."""
    action: str
    """The action, e.g. `position.recorded`."""
    summary: str
    """The event's own one-line summary (or its payload's ref)."""
    uid: str | None
    """The paragraph it concerns, if any."""


def log_row(event: Event) -> LogRow:
    """How one event is shown."""
    payload = event.payload
    who = event.actor + (f" for {event.on_behalf_of}" if event.on_behalf_of else "")
    summary = str(
        payload.get("summary")
        or (f"refused {payload['action']}: {payload['reason']}" if "reason" in payload else "")
        or payload.get("ref")
        or ", ".join(f"{k} {v}" for k, v in payload.items() if k != "changes" and v)
    )
    uid = payload.get("uid") or payload.get("target")
    return LogRow(
        id=event.id,
        at=f"{event.at:%Y-%m-%d %H:%M}",
        who=who,
        action=event.action,
        summary=summary,
        uid=uid if isinstance(uid, str) else None,
    )


def matches(row: LogRow, query: str) -> bool:
    """True when every word of `query` is in the row's action, actor or summary."""
    hay = f"{row.action} {row.who} {row.summary}".casefold()
    return all(word in hay for word in query.casefold().split())


def check_line(problems: list[str], at: str) -> Text:
    """The chain check's result in one line."""
    if not problems:
        return Text(f"✓ Record intact (checked {at} UTC): chain, schema, tables", "bold green")
    more = f" (+{len(problems) - 1} more)" if len(problems) > 1 else ""
    return Text(f"✕ Record check FAILED ({at} UTC): {problems[0]}{more}", "bold red")


class RecordScreen(SubScreen):
    """The event log of the open document, newest first, and the chain check."""

    DEFAULT_CSS = """
    RecordScreen {
        & #log-filter { margin: 0 1; }
        & #check { padding: 0 1; height: auto; }
        & DataTable { height: 1fr; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "check", "Check the chain", id="record-check"),
        Binding("slash", "focus_filter", "Filter", id="record-filter"),
        Binding("enter", "open_row", "Show paragraph", show=False, id="record-open"),
    ]

    def __init__(self, service: Service, document_id: str) -> None:
        super().__init__(service, document_id)
        self.rows: list[LogRow] = []
        """Every event of the document, newest first."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter: words of the action, actor or summary", id="log-filter")
        yield Static(
            Text("Press c to check the record's chain and tables.", "dim"),
            id="check",
        )
        table: DataTable[Text] = DataTable(cursor_type="row", id="log")
        table.add_columns("#", "UTC", "Who", "Action", "Summary")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        """Read the log; the table has focus."""
        self.name_screen("Record")
        self.reload()
        self.query_one(DataTable).focus()

    @property
    def shown(self) -> list[LogRow]:
        """The rows matching the filter."""
        query = self.query_one("#log-filter", Input).value.strip()
        return [r for r in self.rows if matches(r, query)] if query else self.rows

    def reload(self) -> None:
        """Read the events again, keeping the cursor on the same event."""
        try:
            events = self.service.events(self.document_id)
        except WorkplanError as exc:
            self.notify(exc.message, severity="error")
            return
        self.rows = [log_row(e) for e in reversed(events)]
        self._fill()

    def _fill(self) -> None:
        table = self.query_one(DataTable)
        keep = None
        if table.row_count:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        shown = self.shown
        for r in shown:
            cells = (str(r.id), r.at, r.who, r.action, r.summary)
            table.add_row(*(Text(c) for c in cells), key=str(r.id))
        keys = [str(r.id) for r in shown]
        if keep in keys:
            table.move_cursor(row=keys.index(keep), animate=False)
        table.border_title = f"{len(shown)} of {len(self.rows)} events"

    def on_input_changed(self, event: Input.Changed) -> None:
        """Narrow the log as the filter is typed."""
        event.stop()
        self._fill()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the filter goes to the log."""
        event.stop()
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        """Type a filter."""
        self.query_one("#log-filter", Input).focus()

    def action_check(self) -> None:
        """Check the whole record (in a thread: it replays every event)."""
        self.query_one("#check", Static).update(Text("Checking the record…", "italic"))
        self.check(self.service.db_path())

    @work(thread=True, exclusive=True, group="record-check")
    def check(self, path: str) -> None:
        """Verify on a connection of this thread's own, then show the result."""
        from workplan.service import open_service

        try:
            service = open_service(path)
            try:
                problems = service.verify()
                at = f"{service.now():%Y-%m-%d %H:%M:%S}"
            finally:
                service.close()
        except WorkplanError as exc:
            problems, at = [exc.message], "now"
        self.app.call_from_thread(self._checked, problems, at)

    def _checked(self, problems: list[str], at: str) -> None:
        self.query_one("#check", Static).update(check_line(problems, at))
        if problems:
            self.notify(problems[0], title="The record fails its check", severity="error")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an event about a paragraph: show it on the draft screen."""
        event.stop()
        row = next((r for r in self.rows if str(r.id) == event.row_key.value), None)
        if row is None or row.uid is None:
            return
        self.choose(row.uid)

    def action_open_row(self) -> None:
        """Show the paragraph of the event under the cursor."""
        table = self.query_one(DataTable)
        if table.row_count:
            table.action_select_cursor()
