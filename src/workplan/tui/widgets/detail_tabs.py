"""Tabs under the selected paragraph: its amendments, positions, reservations and history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane

from workplan.tui.widgets.amendments_list import AmendmentsList
from workplan.tui.widgets.history_list import HistoryList
from workplan.tui.widgets.positions_grid import PositionsGrid
from workplan.tui.widgets.reservations_list import ReservationsList

if TYPE_CHECKING:
    from workplan.model import Delegation, Event
    from workplan.model.negotiation import Amendment, Position, Reservation
    from workplan.model.note import Note
    from workplan.service.pages import DraftPage


@dataclass
class ParagraphDetail:
    """What the tabs show for one paragraph; the screen builds it from the service's models."""

    uid: str
    """The paragraph's uid."""
    text: str
    """Its current text (the base of the inline diffs)."""
    amendments: list[Amendment] = field(default_factory=list)
    """Amendments targeting it, any status."""
    positions: list[Position] = field(default_factory=list)
    """Delegations' latest positions on it."""
    amendment_positions: dict[str, list[Position]] = field(default_factory=dict)
    """Positions on each of its amendments, by amendment id."""
    delegations: list[Delegation] = field(default_factory=list)
    """The active roster, in order."""
    reservations: list[Reservation] = field(default_factory=list)
    """Active reservations attached to it."""
    notes: list[Note] = field(default_factory=list)
    """The document's notes it calls (shown under its reservations)."""
    refs: dict[str, str] = field(default_factory=dict)
    """uid → printed ref, to say where else a reservation is attached."""
    history: list[Event] = field(default_factory=list)
    """Events mentioning it, newest first."""

    @classmethod
    def build(
        cls,
        page: DraftPage,
        uid: str,
        roster: list[Delegation],
        history: list[Event],
        notes: list[Note] | None = None,
        positions: dict[str, list[Position]] | None = None,
    ) -> ParagraphDetail:
        """The detail of paragraph `uid` from a page, with the `positions` read on it and on
        its amendments (target → positions)."""
        amendments = list(page.by_target.get(uid, ()))
        held = positions or {}
        return cls(
            uid=uid,
            text=page.draft.by_uid[uid].text,
            amendments=amendments,
            positions=list(held.get(uid, [])),
            amendment_positions={a.id: list(held.get(a.id, [])) for a in amendments},
            delegations=roster,
            reservations=page.reservations_on(uid),
            notes=list(notes or []),
            refs=page.draft.refs,
            history=history,
        )


class DetailTabs(Widget):
    """Amendments, Positions, Reservations and History of one paragraph, as tabs.

    The tabs fill the height left under the paragraph, and each list scrolls inside it: a
    height that followed the content would change at every cursor move, and Textual then lays
    the whole screen out a second time (what made a move cost ~30 ms).
    """

    DEFAULT_CSS = """
    DetailTabs {
        height: 1fr;
        & TabbedContent, & ContentSwitcher, & TabPane {
            height: 1fr;
        }
        & TabPane {
            padding: 0;
            overflow-y: auto;
        }
        & AmendmentsList, & HistoryList {
            height: 1fr;
            max-height: 100%;
        }
    }
    """

    def compose(self) -> ComposeResult:
        with TabbedContent():
            with TabPane("Amendments", id="amendments-tab"):
                yield AmendmentsList(id="amendments")
            with TabPane("Positions", id="positions-tab"):
                yield PositionsGrid(id="positions")
            with TabPane("Reservations", id="reservations-tab"):
                yield ReservationsList(id="reservations")
            with TabPane("History", id="history-tab"):
                yield HistoryList(id="history")

    @property
    def active(self) -> str:
        """The id of the tab shown."""
        return self.query_one(TabbedContent).active

    @active.setter
    def active(self, pane: str) -> None:
        self.query_one(TabbedContent).active = pane

    TABS = ("amendments-tab", "positions-tab", "reservations-tab", "history-tab")
    """The tabs' ids, in order."""

    def cycle(self, step: int) -> None:
        """Show the tab `step` places after (or before) the one shown."""
        at = self.TABS.index(self.active) if self.active in self.TABS else 0
        self.active = self.TABS[(at + step) % len(self.TABS)]

    @property
    def selected_amendment(self) -> str | None:
        """The id of the amendment highlighted in the Amendments tab, or None."""
        return self.query_one(AmendmentsList).selected_id

    def show(self, detail: ParagraphDetail | None) -> None:
        """Show one paragraph's negotiation (or nothing)."""
        d = detail or ParagraphDetail(uid="", text="")
        self.query_one(AmendmentsList).show(d.text, d.amendments, d.refs, d.amendment_positions)
        self.query_one(PositionsGrid).show(d.delegations, d.positions)
        self.query_one(ReservationsList).show(d.reservations, d.uid, d.refs, d.notes)
        self.query_one(HistoryList).show(d.history)
