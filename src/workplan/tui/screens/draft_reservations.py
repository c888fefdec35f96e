"""Reservation actions of the draft screen: attach (new text or reuse), detach, edit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from workplan.model.vocab import Role
from workplan.tui.screens.draft_actions import SELF, DraftActions, For

if TYPE_CHECKING:
    from workplan.model.negotiation import Reservation

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
        if (sel := self._selected()) is None or self.page is None:
            return
        uid, ref, _ = sel
        page, doc = self.page, self.document_id

        def attach(for_: For, who: str) -> None:
            def new_text(text: str) -> None:
                self._run(
                    lambda svc: svc.reserve(doc, [uid], text=text),
                    lambda r: f"{who} reservation {r.id} on {ref}",
                    for_,
                )

            def chosen(choice: str) -> None:
                if choice == NEW:
                    self._prompt_text(f"{who}'s reservation on {ref}", "", new_text, DISCARD)
                else:
                    self._run(
                        lambda svc: svc.reserve(doc, [uid], reuse=choice),
                        lambda r: f"{who} reservation {r.id} now also on {ref}",
                        for_,
                    )

            reusable = [
                _choice(r)
                for r in page.reservations
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
        if (sel := self._selected()) is None or self.page is None:
            return
        uid, ref, _ = sel
        principal = self.principal
        mine = [
            r
            for r in self.page.reservations_on(uid)
            if principal.role == Role.SECRETARIAT or r.delegation == principal.id
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

    def _owner(self, r: Reservation) -> For | None:
        """Whom to change `r` for: the secretariat acts for the reservation's owner."""
        if self.principal.role != Role.SECRETARIAT:
            return SELF
        if r.delegation is None:
            self.notify(f"{r.id} names no delegation: nobody can change it.", severity="error")
            return None
        return For(r.delegation)

    def action_unreserve(self) -> None:
        """Detach a reservation from the selected paragraph."""

        def detach(r: Reservation, uid: str, ref: str) -> None:
            if (for_ := self._owner(r)) is None:
                return
            doc = self.document_id
            self._run(
                lambda svc: svc.unreserve(doc, r.id, [uid]),
                lambda _: f"{r.id} detached from {ref}",
                for_,
            )

        self._pick_reservation("detach", detach)

    def action_edit_reservation(self) -> None:
        """Change a reservation's text (everywhere it is attached)."""

        def edit(r: Reservation, _uid: str, _ref: str) -> None:
            if (for_ := self._owner(r)) is None:
                return
            doc = self.document_id

            def save(text: str) -> None:
                self._run(
                    lambda svc: svc.edit_reservation(doc, r.id, text),
                    lambda _: f"{r.id} edited",
                    for_,
                )

            self._prompt_text(f"Reservation {r.id} ({r.delegation})", r.text, save, DISCARD)

        self._pick_reservation("edit", edit)
