"""The consensus dashboard: how far from a clean text, and what stands in the way.

Counts per status with a progress bar, paragraphs under silence with the time left, objections
and ad referendum by delegation, amendments waiting for a decision. Enter on a row shows that
paragraph on the draft screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal
from textual.widgets import DataTable, Footer, Header, ProgressBar, Static

from workplan.errors import WorkplanError
from workplan.service.zones import describe_short
from workplan.tui.screens.subscreen import SubScreen
from workplan.tui.widgets.consensus_summary import Summary, counts_line, progress_line, summarise
from workplan.tui.widgets.paragraph_view import time_left

if TYPE_CHECKING:
    from workplan.service import Service

SHOWN_REFS = 6
"""How many refs a delegation's cell lists before "+N more"."""


def _refs(uids: list[str], refs: dict[str, str]) -> Text:
    shown = ", ".join(refs.get(u, u) for u in uids[:SHOWN_REFS])
    more = f" +{len(uids) - SHOWN_REFS} more" if len(uids) > SHOWN_REFS else ""
    return Text(f"{len(uids)}: {shown}{more}" if uids else "–")


class DashboardScreen(SubScreen):
    """Where the open document stands; Enter on a row jumps to its paragraph."""

    DEFAULT_CSS = """
    DashboardScreen {
        & #progress-row { height: auto; padding: 0 1; }
        & #progress-text { width: auto; max-width: 70%; margin-right: 2; }
        & #progress { width: 1fr; }
        & #progress Bar { width: 1fr; }
        & #counts { padding: 0 1; color: $text; }
        & #tables { grid-size: 1; grid-gutter: 0 1; height: 1fr; }
        &.-wide #tables { grid-size: 3; }
        & DataTable {
            height: 1fr;
            border: round $foreground 30%;
            border-title-color: $foreground;
        }
        & DataTable:focus { border: round $border; border-title-color: $text-accent; }
    }
    """
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (120, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next table", show=False, id="next-table"),
        Binding("shift+tab", "app.focus_previous", "Previous table", show=False, id="prev-table"),
        Binding("enter", "open_row", "Show paragraph", id="dashboard-open"),
    ]

    def __init__(self, service: Service, document_id: str) -> None:
        super().__init__(service, document_id)
        self.summary: Summary | None = None
        """The figures shown (None until read)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="progress-row"):
            yield Static("", id="progress-text", markup=False)
            yield ProgressBar(show_eta=False, id="progress")
        yield Static("", id="counts", markup=False)
        with Grid(id="tables"):
            yield self._table("silence", "Under silence", "Ref", "Deadline", "Left")
            yield self._table("stands", "Objections and ad ref", "Delegation", "Objects", "Ad ref")
            yield self._table(
                "pending", "Amendments to decide", "Id", "Paragraph", "Kind", "Sponsors", "Rebase"
            )
        yield Footer()

    @staticmethod
    def _table(table_id: str, title: str, *columns: str) -> DataTable[Text]:
        table: DataTable[Text] = DataTable(cursor_type="row", id=table_id)
        table.border_title = title
        table.add_columns(*columns)
        return table

    def on_mount(self) -> None:
        """Fill the figures; focus the first table."""
        self.name_screen("Consensus dashboard")
        self.reload()
        self.query_one("#silence", DataTable).focus()

    def reload(self) -> None:
        """Read the record again; every table keeps its cursor on the same row."""
        try:
            neg = self.service.negotiation(self.document_id)
        except WorkplanError as exc:
            self.notify(exc.message, severity="error")
            return
        now = self.service.now()
        tz = self.service.time_zone(self.document_id)
        self.summary = summary = summarise(neg, now)
        refs = neg.draft.refs
        self.query_one("#progress-text", Static).update(progress_line(summary))
        self.query_one("#progress", ProgressBar).update(
            total=max(summary.live, 1), progress=summary.agreed
        )
        self.query_one("#counts", Static).update(counts_line(summary))
        self._fill(
            "silence",
            [
                (
                    s.uid,
                    [
                        s.ref,
                        describe_short(s.until, tz),
                        time_left(s.until, now).removesuffix(" left"),
                    ],
                )
                for s in summary.silence
            ],
        )
        self._fill(
            "stands",
            [
                (s.code, [s.code, _refs(s.objects, refs), _refs(s.ad_ref, refs)])
                for s in summary.stands
            ],
        )
        self._fill(
            "pending",
            [
                (
                    p.id,
                    [p.id, p.ref, p.kind, ", ".join(p.sponsors), "needs" * p.needs_rebase],
                )
                for p in summary.pending
            ],
        )

    def _fill(self, table_id: str, rows: list[tuple[str, list[str | Text]]]) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        keep = table.cursor_row
        table.clear()
        for key, cells in rows:
            table.add_row(*[c if isinstance(c, Text) else Text(c) for c in cells], key=key)
        if rows:
            table.move_cursor(row=min(keep, len(rows) - 1), animate=False)

    def target(self, table_id: str, key: str) -> str | None:
        """The paragraph a row points at."""
        summary = self.summary
        if summary is None:
            return None
        if table_id == "silence":
            return key
        if table_id == "pending":
            return next((p.uid for p in summary.pending if p.id == key), None)
        stand = next((s for s in summary.stands if s.code == key), None)
        return None if stand is None else (stand.objects + stand.ad_ref)[0]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a row: show its paragraph on the draft screen."""
        event.stop()
        if event.row_key.value is not None and event.data_table.id:
            uid = self.target(event.data_table.id, event.row_key.value)
            if uid is not None:
                self.choose(uid)

    def action_open_row(self) -> None:
        """Show the paragraph of the row under the cursor of the focused table."""
        table = self.focused
        if isinstance(table, DataTable) and table.row_count:
            table.action_select_cursor()
