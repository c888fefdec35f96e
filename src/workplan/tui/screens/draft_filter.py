"""Filtering the outline: by status, by what a delegation says, by text; and the filter modal."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, SelectionList

from workplan.model.vocab import STATUS_LABELS
from workplan.tui.screens.filters import Filters
from workplan.tui.screens.pickers import Dialog
from workplan.tui.widgets.choices import MarkedSelectionList
from workplan.tui.widgets.positions_grid import STANCES

if TYPE_CHECKING:
    from workplan.model import Delegation


class FilterScreen(Dialog[Filters | None]):
    """Choose statuses, and a delegation with the stances to look for; ctrl+s applies."""

    DEFAULT_CSS = """
    FilterScreen {
        & Horizontal { height: auto; }
        & SelectionList { width: 1fr; height: auto; max-height: 10; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "apply", "Apply", id="filter-apply"),
        Binding("enter", "apply", "Apply", priority=True, show=False, id="filter-enter"),
    ]

    def __init__(self, current: Filters, delegations: list[Delegation]) -> None:
        super().__init__()
        self._current = current
        self._delegations = delegations

    def compose(self) -> ComposeResult:
        f = self._current
        with Vertical():
            yield Label("Filter the outline", classes="title")
            with Horizontal():
                yield MarkedSelectionList[str](
                    *[(label, str(s), str(s) in f.statuses) for s, label in STATUS_LABELS.items()],
                    id="statuses",
                )
                yield MarkedSelectionList[str](
                    *[(label, str(s), str(s) in f.stances) for s, (_, label, _) in STANCES.items()],
                    id="stances",
                )
            yield Input(f.delegation, placeholder="Delegation: code or name", id="delegation")
            yield Label("space toggles · Enter or ctrl+s applies · Escape cancels", classes="hint")

    def action_apply(self) -> None:
        """Return the chosen filter (keeping the text search)."""
        typed = self.query_one("#delegation", Input).value.strip()
        code = ""
        if typed:
            found = [
                d.code
                for d in self._delegations
                if typed.casefold()
                in (d.code.casefold(), d.name_en.casefold(), d.name_es.casefold())
            ]
            if not found:
                self.notify(f"No delegation {typed!r}", severity="error")
                return
            code = found[0]
        self.dismiss(
            Filters(
                statuses=frozenset(self.query_one("#statuses", SelectionList).selected),
                delegation=code,
                stances=frozenset(self.query_one("#stances", SelectionList).selected),
                search=self._current.search,
            )
        )
