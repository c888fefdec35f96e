"""The reservations attached to the selected paragraph, and where else each one is attached;
then the notes of the document it calls (read only)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from workplan.model.negotiation import Reservation
    from workplan.model.note import Note


def describe(
    reservations: list[Reservation],
    uid: str,
    refs: dict[str, str],
    notes: list[Note] | None = None,
) -> Content:
    """Each reservation: id and delegation, its text, then the other paragraphs it is on;
    then each note of the document the paragraph calls, the same way."""
    shown = describe_reservations(reservations, uid, refs)
    if not notes:
        return shown
    blocks = [shown, Content.styled("Notes of the document", "bold underline")]
    for n in notes:
        elsewhere = [refs.get(u) or u for u in n.paragraphs if u != uid]
        where = f"also on {', '.join(elsewhere)}" if elsewhere else "only here"
        blocks.append(
            Content.assemble(
                (f"{n.id} (secretariat)", "bold"), (f" · {where}\n", "$foreground-muted"), n.text
            )
        )
    return Content("\n\n").join(blocks)


def describe_reservations(
    reservations: list[Reservation], uid: str, refs: dict[str, str]
) -> Content:
    """Each reservation: id and delegation, its text, then the other paragraphs it is on."""
    if not reservations:
        return Content.styled("No reservations.", "$foreground-muted")
    blocks = []
    for r in reservations:
        elsewhere = [refs.get(u) or u for u in r.paragraphs if u != uid]
        where = f"also on {', '.join(elsewhere)}" if elsewhere else "only here"
        blocks.append(
            Content.assemble(
                (f"{r.id} {r.delegation or '(no delegation)'}", "bold"),
                (f" · {where}\n", "$foreground-muted"),
                r.text,
            )
        )
    return Content("\n\n").join(blocks)


class ReservationsList(Static):
    """Reservation texts, shown literally (never read as markup)."""

    DEFAULT_CSS = """
    ReservationsList {
        height: auto;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", markup=False, id=id, classes=classes)

    def show(
        self,
        reservations: list[Reservation],
        uid: str,
        refs: dict[str, str],
        notes: list[Note] | None = None,
    ) -> None:
        """Show the reservations attached to paragraph `uid`, then the notes it calls."""
        self.update(describe(reservations, uid, refs, notes))
