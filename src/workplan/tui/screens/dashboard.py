"""The consensus dashboard: how far from a clean text, and what stands in the way.

Counts per status with a progress bar, paragraphs under silence with the time left, objections
and ad referendum by delegation, amendments waiting for a decision. Enter on a row shows that
paragraph on the draft screen.
"""

from __future__ import annotations

from datetime import UTC, tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal
from textual.widgets import DataTable, Footer, Header, ProgressBar, Static

from workplan.errors import WorkplanError
from workplan.service.zones import describe_short
from workplan.tui.screens.subscreen import SubScreen
from workplan.tui.widgets.consensus_summary import (
    Summary,
    counts_line,
    fit_list,
    progress_line,
    summarise,
)
from workplan.tui.widgets.paragraph_view import time_left

if TYPE_CHECKING:
    from workplan.service import Service

SHOWN_REFS = 6
"""How many refs a delegation's cell lists at most before "+N more"."""
CELL_PADDING = 2
"""Cells a DataTable column adds around its text."""
FRAME = 4
"""Cells a table's border and scroll bar take from its width."""


def _refs(uids: list[str], refs: dict[str, str], width: int) -> Text:
    """ "8: OP1, OP2 +6 more", as many refs as fit in `width` (never a ref cut in two)."""
    if not uids:
        return Text("–")
    shown = [refs.get(u, u) for u in uids]
    return Text(fit_list(shown, width, f"{len(uids)}: ", SHOWN_REFS))


class DashboardScreen(SubScreen):
    """Where the open document stands; Enter on a row jumps to its paragraph."""

    DEFAULT_CSS = """
    DashboardScreen {
        & #progress-row { height: auto; padding: 0 1; }
        & #progress-text { width: auto; max-width: 70%; margin-right: 2; }
        & #progress { width: 1fr; }
        & #progress Bar { width: 1fr; }
        & #counts { padding: 0 1; color: $text; }
        & #translations { padding: 0 1; color: $text-muted; }
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
    # Textual declares it on Screen as an instance attribute (a ClassVar here is refused).
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-narrow"),
        (160, "-wide"),
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
        self._refs: dict[str, str] = {}
        self._now = service.now()
        self._tz: tzinfo = UTC
        self._translated: dict[str, dict[str, int]] = {}
        """Per language: paragraphs whose translation is current, stale, missing."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="progress-row"):
            yield Static("", id="progress-text", markup=False)
            yield ProgressBar(show_eta=False, id="progress")
        yield Static("", id="counts", markup=False)
        yield Static("", id="translations", markup=False)
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
        self._now = self.service.now()
        self._tz = self.service.time_zone(self.document_id)
        self.summary = summarise(neg, self._now)
        self._refs = neg.draft.refs
        self._translated = self.service.translation_counts(self.document_id)
        self._draw()

    def on_resize(self) -> None:
        """Fit the cells to the tables' new widths (once they are laid out)."""
        self.call_after_refresh(self._draw)

    def _width(self, table_id: str) -> int:
        """The cells a table's columns share (the screen's width before the first layout)."""
        table = self.query_one(f"#{table_id}", DataTable)
        return (table.size.width or self.size.width or 80) - FRAME

    def _draw(self) -> None:
        """Show the figures read last, fitted to the space each table has: a long list is
        shortened to what fits with "+N more", never cut in the middle of a ref."""
        summary, refs, now, tz = self.summary, self._refs, self._now, self._tz
        if summary is None:
            return
        self.query_one("#progress-text", Static).update(progress_line(summary))
        self.query_one("#progress", ProgressBar).update(
            total=max(summary.live, 1), progress=summary.agreed
        )
        counts = self.query_one("#counts", Static)
        counts.update(counts_line(summary, (counts.size.width or self.size.width or 80) - 2))
        self.query_one("#translations", Static).update(translations_line(self._translated))
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
        # Delegation (its header is the widest), then the two lists: ad ref (often short)
        # takes what it needs of half the room, the objections the rest.
        room = self._width("stands") - 10 - 3 * CELL_PADDING
        ad_ref = {s.code: _refs(s.ad_ref, refs, max(room // 2, 8)) for s in summary.stands}
        used = max([len("Ad ref"), *(t.cell_len for t in ad_ref.values())])
        objects = max(room - used, 8)
        self._fill(
            "stands",
            [
                (s.code, [s.code, _refs(s.objects, refs, objects), ad_ref[s.code]])
                for s in summary.stands
            ],
        )
        # Id, Paragraph (header), Kind, Rebase (header) take their width; sponsors the rest.
        fixed = 3 + 9 + 6 + 6 + 5 * CELL_PADDING
        sponsors = max(self._width("pending") - fixed, 8)
        self._fill(
            "pending",
            [
                (
                    p.id,
                    [
                        p.id,
                        p.ref,
                        p.kind,
                        fit_list(p.sponsors, sponsors),
                        "needs" * p.needs_rebase,
                    ],
                )
                for p in summary.pending
            ],
        )

    def _fill(self, table_id: str, rows: list[tuple[str, list[str | Text]]]) -> None:
        table = self.query_one(f"#{table_id}", DataTable)
        keep = table.cursor_row
        table.clear()
        for column in table.columns.values():  # columns shrink again when their cells do
            if column.auto_width:
                column.content_width = column.label.cell_len
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


def translations_line(counts: dict[str, dict[str, int]]) -> str:
    """The paragraphs' translations per language: `Translations: es 70 current, 2 stale, 6
    missing · fr ...` (the stale ones are the translators' work: `L` shows them)."""
    if not counts:
        return ""
    said = [
        f"{lang} {n['current']} current, {n['stale']} stale, {n['missing']} missing"
        for lang, n in counts.items()
    ]
    return "Translations: " + " · ".join(said)
