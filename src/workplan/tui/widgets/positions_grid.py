"""Every active delegation's position on the selected paragraph, as a compact grid."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widget import Widget

from workplan.model.vocab import Stance

if TYPE_CHECKING:
    from workplan.model import Delegation
    from workplan.model.negotiation import Position

#: stance → (letter, label, style); the letter alone carries the meaning without colour.
STANCES: dict[str, tuple[str, str, str]] = {
    Stance.SUPPORT: ("S", "support", "bold $text-success"),
    Stance.JOIN: ("J", "can join", "$text-success"),
    Stance.RESERVE: ("R", "with reservation", "bold $text-secondary"),
    Stance.AD_REF: ("A", "ad referendum", "bold $text-primary"),
    Stance.OBJECT: ("O", "object", "bold reverse $text-error"),
    Stance.NONE: ("–", "no position", "$foreground-muted"),
}
CELL_GAP = "  "
"""Space between two cells."""


def legend() -> Content:
    """The letters and what they mean."""
    return Content(" · ").join(
        Content.assemble((letter, style), f"\u00a0{label}")
        for letter, label, style in STANCES.values()
    )


def cells(delegations: Iterable[Delegation], positions: Iterable[Position]) -> list[Content]:
    """One cell per delegation ("JAM O"), in roster order."""
    latest: dict[str, Position] = {}
    for p in sorted(positions, key=lambda p: p.at):
        latest[p.delegation] = p
    out = []
    for d in delegations:
        stance = latest[d.code].stance if d.code in latest else Stance.NONE
        letter, _, style = STANCES[stance]
        out.append(Content.assemble(f"{d.code} ", (letter, style)))
    return out


def grid(cells: list[Content], width: int) -> Content:
    """The cells in as many columns as fit in `width`."""
    cell = max((c.cell_length for c in cells), default=1) + len(CELL_GAP)
    per_row = max(1, (width + len(CELL_GAP)) // cell)
    rows = [cells[i : i + per_row] for i in range(0, len(cells), per_row)]
    return Content("\n").join(
        Content(CELL_GAP).join(c.pad_right(cell - len(CELL_GAP) - c.cell_length) for c in row)
        for row in rows
    )


def comments(positions: Iterable[Position]) -> list[Content]:
    """The comments given with the latest positions: "USA (object): needs consultation"."""
    latest: dict[str, Position] = {}
    for p in sorted(positions, key=lambda p: p.at):
        latest[p.delegation] = p
    return [
        Content.assemble((f"{p.delegation} ({STANCES[p.stance][1]}): ", "bold"), p.comment)
        for p in latest.values()
        if p.comment
    ]


def counts(positions: Iterable[Position]) -> str:
    """How many delegations hold each stance, e.g. "2 support, 1 object"."""
    tally: dict[str, int] = {}
    for p in positions:
        if p.stance != Stance.NONE:
            tally[STANCES[p.stance][1]] = tally.get(STANCES[p.stance][1], 0) + 1
    return ", ".join(f"{n} {label}" for label, n in tally.items()) or "no positions recorded"


class PositionsGrid(Widget):
    """Code + letter per active delegation; colour repeats the letter, never replaces it."""

    DEFAULT_CSS = """
    PositionsGrid {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._cells: list[Content] = []
        self._counts = ""
        self._comments: list[Content] = []

    def show(self, delegations: list[Delegation], positions: list[Position]) -> None:
        """Show the positions on one paragraph (`delegations`: the active roster)."""
        active = {d.code for d in delegations}
        mine = [p for p in positions if p.delegation in active]
        self._cells, self._counts = cells(delegations, mine), counts(mine)
        self._comments = comments(mine)
        self.refresh(layout=True)

    def render(self) -> Content:
        """Counts, the grid at the current width, the comments given, and the legend."""
        said = [Content(""), *self._comments] if self._comments else []
        return Content("\n").join(
            [
                Content.styled(self._counts, "bold"),
                grid(self._cells, self.content_size.width or 40),
                *said,
                Content(""),
                legend().stylize("$foreground-muted"),
            ]
        )
