"""Reservation actions of the draft screen: attach (new text or reuse), detach, edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workplan.model.vocab import Role
from workplan.tui.screens.draft_actions import DraftActions

if TYPE_CHECKING:
    from workplan.model.negotiation import Reservation
    from workplan.service import Service

NEW = "+new"
"""The choice id for "a new reservation text" (never a reservation id)."""
SHOWN = 70
"""How much of a reservation's text a choice shows."""
DISCARD = "Discard your unsaved reservation text?"
"""Asked before a typed reservation text is thrown away (Escape, quitting)."""


def _choice(r: Reservation) -> tuple[str, str]:
    text = " ".join(r.text.split())
    who = r.delegation or "(no delegation)"
    return r.id, f"{r.id} {who}: {text[:SHOWN]}{'…' if len(text) > SHOWN else ''}"


class ReservationActions(DraftActions):
    """`r` attaches, `u` detaches, `E` edits a reservation on the selected paragraph."""

    def action_reserve(self) -> None:
        """Attach a new reservation, or reuse one of the delegation's texts, to the paragraph."""
        if (sel := self._selected()) is None or self.negotiation is None:
            return
        uid, ref, _ = sel
        neg = self.negotiation

        def attach(svc: Service, who: str) -> None:
            def new_text(text: str) -> None:
                self._run(
                    lambda: svc.reserve(self.document_id, [uid], text=text),
                    lambda r: f"{who} reservation {r.id} on {ref}",
                )

            def chosen(choice: str) -> None:
                if choice == NEW:
                    self._prompt_text(f"{who}'s reservation on {ref}", "", new_text, DISCARD)
                else:
                    self._run(
                        lambda: svc.reserve(self.document_id, [uid], reuse=choice),
                        lambda r: f"{who} reservation {r.id} now also on {ref}",
                    )

            reusable = [
                _choice(r)
                for r in neg.reservations
                if r.delegation == who and not r.withdrawn and uid not in r.paragraphs
            ]
            if reusable:
                self._choose(
                    f"{who}'s reservation on {ref}",
                    [(NEW, "A new reservation text…"), *reusable],
                    chosen,
                )
            else:
                self._prompt_text(f"{who}'s reservation on {ref}", "", new_text, DISCARD)

        self._acting(f"Reservation on {ref}: for which delegation?", attach)

    def _pick_reservation(self, verb: str, then: Callable[[Reservation, str, str], None]) -> None:
        """Pick one of the reservations on the paragraph the acting principal may change."""
        if (sel := self._selected()) is None or self.negotiation is None:
            return
        uid, ref, _ = sel
        mine = [
            r
            for r in self.negotiation.reservations_on(uid)
            if self.service.principal.role == Role.SECRETARIAT
            or r.delegation == self.service.principal.id
        ]
        if not mine:
            self.notify(f"No reservation on {ref} to {verb}.", severity="warning")
            return
        by_id = {r.id: r for r in mine}
        self._choose(
            f"{verb.capitalize()} which reservation on {ref}?",
            [_choice(r) for r in mine],
            lambda rid: then(by_id[rid], uid, ref),
        )

    def _owner(self, r: Reservation) -> Service | None:
        """The service to change `r` with: the secretariat acts for the reservation's owner."""
        if self.service.principal.role != Role.SECRETARIAT:
            return self.service
        if r.delegation is None:
            self.notify(f"{r.id} names no delegation: nobody can change it.", severity="error")
            return None
        return self.on_behalf(r.delegation)

    def action_unreserve(self) -> None:
        """Detach a reservation from the selected paragraph."""

        def detach(r: Reservation, uid: str, ref: str) -> None:
            if (svc := self._owner(r)) is None:
                return
            self._run(
                lambda: svc.unreserve(self.document_id, r.id, [uid]),
                lambda _: f"{r.id} detached from {ref}",
            )

        self._pick_reservation("detach", detach)

    def action_edit_reservation(self) -> None:
        """Change a reservation's text (everywhere it is attached)."""

        def edit(r: Reservation, uid: str, ref: str) -> None:
            if (svc := self._owner(r)) is None:
                return

            def save(text: str) -> None:
                self._run(
                    lambda: svc.edit_reservation(self.document_id, r.id, text),
                    lambda _: f"{r.id} edited",
                )

            self._prompt_text(f"Reservation {r.id} ({r.delegation})", r.text, save, DISCARD)

        self._pick_reservation("edit", edit)
