"""The chair's actions on the draft screen, and freezing a revision (chair or secretariat).

Bindings live in `DraftActions`; `check_action` hides them from everyone the policy refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from workplan.service.zones import describe, zone_key
from workplan.tui.screens.draft_actions import DraftActions

if TYPE_CHECKING:
    from workplan.model.negotiation import ParagraphState


class ChairActions(DraftActions):
    """Accept or reject amendments; declare agreed, ad ref, deleted; silence; reopen; freeze."""

    def _decide(self, decision: str) -> None:
        if (am := self._amendment()) is None or self.page is None:
            return
        aid, doc = am.id, self.document_id
        version = self.page.draft.by_uid[am.target].version
        ref = self.page.draft.ref(am.target)
        sponsors = ", ".join(am.sponsors)
        self._confirmed(
            f"{decision.capitalize()} {aid} ({am.kind} of {ref}, {sponsors})?",
            lambda: self._run(
                lambda svc: svc.decide(doc, aid, decision, expect_version=version),
                lambda a: f"{a.id} {a.status}",
            ),
        )

    def action_accept(self) -> None:
        """Accept the highlighted amendment (applies it to the draft)."""
        self._decide("accept")

    def action_reject(self) -> None:
        """Reject the highlighted amendment."""
        self._decide("reject")

    def action_agree(self) -> None:
        """Declare the selected paragraph agreed (ad referendum when delegations are)."""
        self._agree(ad_ref=False)

    def action_agree_ad_ref(self) -> None:
        """Declare the selected paragraph agreed ad referendum."""
        self._agree(ad_ref=True)

    def _agree(self, *, ad_ref: bool) -> None:
        if (sel := self._selected()) is None:
            return
        uid, ref, version = sel
        doc = self.document_id

        def said(states: list[ParagraphState]) -> str:
            pending = states[0].ad_ref if states else []
            return f"{ref} agreed" + (f" ad referendum ({', '.join(pending)})" if pending else "")

        self._run(
            lambda svc: svc.agree(doc, [uid], ad_ref=ad_ref, expect_version=version),
            said,
        )

    def _confirmed(self, question: str, then: Callable[[], object]) -> None:
        from workplan.tui.screens.pickers import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                then()

        self.app.push_screen(ConfirmScreen(question), answered)

    def action_delete_paragraph(self) -> None:
        """Declare the selected paragraph deleted (after confirming)."""
        if (sel := self._selected()) is None:
            return
        uid, ref, version = sel
        doc = self.document_id
        self._confirmed(
            f"Declare {ref} deleted?",
            lambda: self._run(
                lambda svc: svc.delete_paragraph(doc, [uid], expect_version=version),
                lambda _: f"{ref} deleted",
            ),
        )

    def action_silence(self) -> None:
        """Put the selected paragraph under silence until a deadline typed by the chair."""
        from workplan.tui.screens.pickers import DeadlinePrompt

        if (sel := self._selected()) is None:
            return
        uid, ref, version = sel
        doc = self.document_id

        def until(deadline: datetime | None) -> None:
            if deadline is not None:
                self._run(
                    lambda svc: svc.silence(doc, [uid], deadline, expect_version=version),
                    lambda d: f"{ref} under silence until {describe(d, tz)}",
                )

        tz = self.page.time_zone if self.page is not None else self.service.time_zone(doc)
        prompt = DeadlinePrompt(
            f"Silence on {ref} until? (+72h, or a time in {zone_key(tz)})", self.now(), tz
        )
        self.app.push_screen(prompt, until)

    def action_reopen(self) -> None:
        """Reopen the selected paragraph for negotiation."""
        if (sel := self._selected()) is None:
            return
        uid, ref, version = sel
        doc = self.document_id
        self._run(
            lambda svc: svc.reopen(doc, [uid], expect_version=version),
            lambda _: f"{ref} reopened",
        )

    def _next_revision(self) -> str:
        """What the next freeze makes: `CP/CSH/… rev. 3 (rev. 3 of the record)`, or just "a
        new revision" when the record cannot say."""
        from workplan.errors import WorkplanError
        from workplan.service.revisions import revision_symbol

        try:
            document = self.service.document(self.document_id)
            number = len(self.service.revisions(self.document_id)) + 1
        except WorkplanError:
            return "a new revision"
        symbol = revision_symbol(document.symbol, document.revision_number(number))
        plain = f"rev. {number}"
        return plain if symbol == plain else f"{symbol} ({plain} of the record)"

    def action_freeze(self) -> None:
        """Freeze the current draft as the next revision (after confirming)."""
        doc = self.document_id
        self._confirmed(
            f"Freeze the draft as {self._next_revision()}?",
            lambda: self._run(
                lambda svc: svc.revise(doc),
                lambda rev: f"{rev.symbol} frozen",
            ),
        )
