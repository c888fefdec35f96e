"""Revisions and diffs: list the revisions, pick any two sides, see the diff engine's result.

Sides are the predecessor plan (the plan this one was started from), each frozen revision, and
the working draft. Space marks side A, then side B; Enter (or `c`) compares them (default: the
last revision against the working draft); `s` shows them side by side, `u` the unchanged
too. Enter on an entry of the diff shows that paragraph on the draft screen.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Vertical
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from workplan.diff_render import summary_text
from workplan.errors import WorkplanError
from workplan.tui.screens.subscreen import SubScreen
from workplan.tui.widgets.diff_view import DiffView

if TYPE_CHECKING:
    from workplan.service import Service

DRAFT = "draft"
"""The spec of the working draft (as `Service.compare` reads it)."""


@dataclass(frozen=True)
class SideRow:
    """One side that can be compared."""

    spec: str
    """What `Service.compare` takes: "draft", a revision number, or another document's id."""
    label: str
    """How it is named (rev. 3, working draft, predecessor plan)."""
    symbol: str = ""
    """The document symbol (with rev. N)."""
    at: str = ""
    """When it was frozen (UTC)."""
    head: str = ""
    """The record's chain head when it was frozen (shortened)."""
    foreign: bool = False
    """It is another document (its uids are not this draft's)."""


class RevisionsScreen(SubScreen):
    """Pick two sides and read what changed between them."""

    DEFAULT_CSS = """
    RevisionsScreen {
        & #panes { layout: vertical; height: 1fr; }
        & #sides { height: auto; max-height: 9; border: round $border-blurred; }
        & #sides:focus { border: round $border; }
        & #diff-pane { height: 1fr; }
        & #diff-summary { padding: 0 1; height: auto; }
        &.-wide #panes { layout: horizontal; }
        &.-wide #sides { width: 86; max-width: 45%; height: 1fr; max-height: 100%; }
    }
    """
    # Textual declares it on Screen as an instance attribute (a ClassVar here is refused).
    HORIZONTAL_BREAKPOINTS = [  # noqa: RUF012
        (0, "-narrow"),
        (140, "-wide"),
    ]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "mark", "Mark A/B", id="mark-side"),
        Binding("c", "compare", "Compare", id="compare-sides"),
        Binding("u", "toggle_unchanged", "Unchanged too", id="toggle-unchanged"),
        Binding("s", "toggle_side_by_side", "Side by side", id="toggle-side-by-side"),
        Binding("tab", "app.focus_next", "Next pane", show=False, id="next-pane"),
    ]

    def __init__(self, service: Service, document_id: str) -> None:
        super().__init__(service, document_id)
        self.sides: list[SideRow] = []
        """The sides listed, oldest first."""
        self.marks: dict[str, str] = {}
        """"A" and "B" → the spec of the side marked."""
        self.compared: tuple[str, str] | None = None
        """The specs of the sides of the diff shown."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="panes"):
            table: DataTable[Text] = DataTable(cursor_type="row", id="sides")
            table.border_title = "Sides (space marks A, B · Enter or c compares)"
            table.add_columns("", "Side", "Symbol", "Frozen (UTC)", "Chain head")
            yield table
            with Vertical(id="diff-pane"):
                yield Static("", id="diff-summary", markup=False)
                yield DiffView(id="diff")
        yield Footer()

    def on_mount(self) -> None:
        """List the sides and compare the default pair."""
        self.name_screen("Revisions and diffs")
        self._list_sides()
        if len(self.sides) >= 2:
            a = self.sides[-2].spec
            self.marks = {"A": a, "B": DRAFT}
            self._show_marks()
            self.compare(a, DRAFT)
        else:
            self._summary(Content("Nothing to compare yet: freeze a revision first (F)."))
        self.query_one("#sides", DataTable).focus()

    def _list_sides(self) -> None:
        try:
            revisions = self.service.revisions(self.document_id)
            document = self.service.draft(self.document_id).document
        except WorkplanError as exc:
            self.notify(exc.message, severity="error")
            return
        sides = []
        if document.derived_from:
            sides.append(SideRow(document.derived_from, "predecessor plan", foreign=True))
        sides += [
            SideRow(
                str(r.number),
                f"rev. {r.number}",
                r.symbol,
                f"{r.at:%Y-%m-%d %H:%M}",
                r.chain_head[:32],
            )
            for r in revisions
        ]
        sides.append(SideRow(DRAFT, "working draft", document.symbol))
        self.sides = sides
        self._show_marks()

    def _show_marks(self) -> None:
        table = self.query_one("#sides", DataTable)
        keep = table.cursor_row
        table.clear()
        marks = dict(self.marks)
        if "A" in marks and "B" not in marks and marks["A"] != DRAFT:
            marks["B"] = DRAFT  # what `c` compares A with until B is marked
        for side in self.sides:
            mark = " ".join(k for k, v in sorted(marks.items()) if v == side.spec)
            cells = [mark, side.label, side.symbol, side.at, side.head]
            table.add_row(*[Text(c) for c in cells], key=side.spec)
        if self.sides:
            table.move_cursor(row=min(keep, len(self.sides) - 1), animate=False)

    def _summary(self, text: Content) -> None:
        self.query_one("#diff-summary", Static).update(text)

    def _row_spec(self) -> str | None:
        table = self.query_one("#sides", DataTable)
        if not self.sides or table.cursor_row >= len(self.sides):
            return None
        return self.sides[table.cursor_row].spec

    def action_mark(self) -> None:
        """Mark the side under the cursor as A, then as B (a third mark starts again)."""
        spec = self._row_spec()
        if spec is None:
            return
        if "A" not in self.marks or "B" in self.marks:
            self.marks = {"A": spec}
        elif self.marks["A"] != spec:
            self.marks["B"] = spec
        self._show_marks()

    def action_compare(self) -> None:
        """Compare A with B (A alone: against the working draft; none: the row and the draft)."""
        a = self.marks.get("A") or self._row_spec()
        if a is None:
            return
        b = self.marks.get("B", DRAFT)
        if a == b:
            self.notify("Mark two different sides (space)", severity="warning")
            return
        self.marks = {"A": a, "B": b}
        self._show_marks()
        self.compare(a, b)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter in the list of sides compares."""
        event.stop()
        self.action_compare()

    def action_toggle_unchanged(self) -> None:
        """Show or hide the unchanged paragraphs."""
        view = self.query_one(DiffView)
        view.show_diff(view.diff, context=not view.context)

    def action_toggle_side_by_side(self) -> None:
        """Show A and B in two columns, or one inline word diff."""
        view = self.query_one(DiffView)
        view.show_diff(view.diff, side_by_side=not view.side_by_side)

    @work(exclusive=True, group="compare")
    async def compare(self, a: str, b: str) -> None:
        """Run the diff engine on two sides and show the result."""
        view = self.query_one(DiffView)
        view.loading = True
        await asyncio.sleep(0)  # let the indicator draw; the record is read on this thread
        try:
            side_a, side_b, diff = self.service.compare(self.document_id, a, b)
        except WorkplanError as exc:
            self.notify(exc.message, severity="error")
            return
        finally:
            view.loading = False
        self.compared = (a, b)
        view.show_diff(diff)
        self._summary(
            Content.assemble(
                (side_a.label, "bold"), " → ", (side_b.label, "bold"), f": {summary_text(diff)}"
            )
        )

    def reload(self) -> None:
        """Another user changed the record: list the sides again; redo a diff of the draft."""
        self._list_sides()
        if self.compared is not None and DRAFT in self.compared:
            self.compare(*self.compared)

    def on_diff_view_entry_chosen(self, event: DiffView.EntryChosen) -> None:
        """Enter on an entry: show the paragraph on the draft screen (this document's side)."""
        foreign = {s.spec for s in self.sides if s.foreign}
        a, b = self.compared or ("", "")
        entry = event.entry
        uid = entry.b_uid if b not in foreign and entry.b_uid else None
        uid = uid or (entry.a_uid if a not in foreign else None)
        if uid is None:
            self.notify("That paragraph is not in this document", severity="warning")
            return
        self.choose(uid)
