"""The draft screen's negotiation actions: ask what is needed, call the service, reload, say so.

`DraftActions` is the base of `DraftScreen`: it holds every action that changes the record,
with its key binding. Each action runs as the app's principal; the secretariat first picks
the delegation it records for. Refusals are shown with the service's own message.

An action runs in a worker thread, on a service of its own connection (`tui.door`), and reads
the page again there: a record busy with another process's write keeps the worker waiting,
never the screen. The result (a toast, the page reloaded) is shown when the worker finishes.
An in-memory record (tests) has no second connection: its actions run on the UI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, NamedTuple, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.screen import Screen

from workplan.errors import ConflictError, WorkplanError
from workplan.model.vocab import AmendmentKind, Role
from workplan.service.policy import allowed, read_only_reason, refusal

if TYPE_CHECKING:
    from workplan.model import Delegation
    from workplan.model.negotiation import Amendment
    from workplan.model.vocab import Principal
    from workplan.service import Service
    from workplan.service.pages import DraftPage
    from workplan.tui.door import Door

R = TypeVar("R")
POSITION = Binding.Group("Position", compact=True)
#: screen action → the service policy action it takes (what `check_action` asks about).
POLICY_OF = {
    "propose": "amendment.propose",
    "position": "position.record",
    "position_with_comment": "position.record",
    "cosponsor": "amendment.cosponsor",
    "withdraw": "amendment.withdraw",
    "revise_amendment": "amendment.revise",
    "reserve": "reservation.attach",
    "unreserve": "reservation.detach",
    "edit_reservation": "reservation.edit",
    "accept": "amendment.decide",
    "reject": "amendment.decide",
    "agree": "paragraph.agree",
    "agree_ad_ref": "paragraph.agree",
    "delete_paragraph": "paragraph.delete",
    "silence": "paragraph.silence",
    "reopen": "paragraph.reopen",
    "freeze": "revision.freeze",
}


class For(NamedTuple):
    """Whom an action records for: the app's principal itself (`code` None), or the delegation
    the secretariat records for."""

    code: str | None = None


SELF = For()
"""The app's principal, recording for itself."""


NEEDS_PAGE = frozenset({"filter", "search", "focus_amendments", "next_tab", "previous_tab"})
"""Screen actions that wait for the page (shown, not available while the record loads)."""


def _position(key: str, stance: str, label: str) -> Binding:
    return Binding(key, f"position('{stance}')", label, id=f"position-{stance}", group=POSITION)


class DraftActions(Screen[None]):
    """Actions on the selected paragraph (or amendment); see `DraftScreen` for the view."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "propose", "Amend", id="propose-amendment"),
        _position("1", "support", "Support"),
        _position("2", "join", "Can join"),
        _position("3", "reserve", "Join with reservation"),
        _position("4", "ad-ref", "Ad referendum"),
        _position("5", "object", "Object"),
        _position("0", "none", "No position"),
        Binding(
            "p",
            "position_with_comment",
            "Position with comment",
            show=False,
            id="position-with-comment",
            tooltip="Choose a stance and add a comment (1-5 and 0 record one at once)",
        ),
        Binding("c", "cosponsor", "Co-sponsor amendment", show=False, id="cosponsor-amendment"),
        Binding("w", "withdraw", "Withdraw amendment", show=False, id="withdraw-amendment"),
        Binding(
            "R",
            "revise_amendment",
            "Revise amendment",
            show=False,
            id="revise-amendment",
            tooltip="Revise the text of your highlighted amendment (shows what failed a re-base)",
        ),
        Binding("r", "reserve", "Reserve", id="attach-reservation"),
        Binding("u", "unreserve", "Detach reservation", show=False, id="detach-reservation"),
        Binding("E", "edit_reservation", "Edit reservation", show=False, id="edit-reservation"),
        Binding("A", "accept", "Accept", id="accept-amendment"),
        Binding("X", "reject", "Reject", id="reject-amendment"),
        Binding("g", "agree", "Agree", id="declare-agreed"),
        Binding("G", "agree_ad_ref", "Agree ad ref", show=False, id="declare-ad-ref"),
        Binding("D", "delete_paragraph", "Delete", show=False, id="declare-deleted"),
        Binding("s", "silence", "Silence", show=False, id="put-under-silence"),
        Binding("O", "reopen", "Reopen", show=False, id="reopen-paragraph"),
        Binding("F", "freeze", "Freeze rev.", id="freeze-revision"),
    ]

    document_id: reactive[str] = reactive("", init=False)
    """The id of the document shown ("" until one is loaded)."""

    def __init__(self, service: Service | None, door: Door | None = None) -> None:
        super().__init__()
        self._service = service
        self.door = door
        """Opens the record on a worker's own connection (None for an in-memory record)."""
        self.page: DraftPage | None = None
        """The document's draft and everything negotiated on it, as last read."""
        self._last_delegation: str | None = None
        self._revisable_shown: bool | None = True

    # -- what the view provides -------------------------------------------------------------
    @property
    def current_uid(self) -> str | None:
        """The selected paragraph's uid."""
        raise NotImplementedError

    def amendment_target(self, focused_only: bool) -> str | None:
        """The highlighted amendment (only while the Amendments tab has focus, if asked)."""
        raise NotImplementedError

    def reload(self, page: DraftPage | None = None) -> None:
        """Show `page` (read after an action), or read the document again; the selection
        is kept."""
        raise NotImplementedError

    @property
    def roster(self) -> list[Delegation]:
        """The active delegations."""
        raise NotImplementedError

    @property
    def loaded(self) -> bool:
        """True once the write side is loaded (until then the screen shows the read path's
        first frame, and actions say they are loading)."""
        return self._service is not None and self.page is not None

    @property
    def service(self) -> Service:
        """The service of the UI thread (reads for what is shown; actions of an in-memory
        record). Only once `loaded`."""
        if self._service is None:
            raise RuntimeError("the record is still loading")
        return self._service

    @property
    def principal(self) -> Principal:
        """Who acts (known before the write side is loaded)."""
        if self.door is not None:
            return self.door.principal
        return self.service.principal

    # -- plumbing ---------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer an action only to the roles the service's policy lets take it, and no
        negotiating action at all on an adopted (read only) document; revising an amendment
        only to its proposer (or the secretariat), while it is highlighted, open and has a text
        (None: shown, but not available now)."""
        del parameters  # what is available depends on the action alone
        policy = POLICY_OF.get(action)
        if policy is None:
            return None if action in NEEDS_PAGE and not self.loaded else True
        if not allowed(self.principal.role, policy) or self.read_only is not None:
            return False
        if not self.loaded:
            return None
            return False
        if action == "revise_amendment":
            return True if self._revisable() is None else None
        return True

    @property
    def read_only(self) -> str | None:
        """Why the document shown takes no negotiating action (adopted), or None."""
        page = self.page
        return read_only_reason(page.draft.document) if page is not None else None

    def _highlighted(self) -> Amendment | None:
        """The amendment highlighted in the Amendments tab, if any (no warning)."""
        try:
            aid = self.amendment_target(focused_only=False)
        except NoMatches:
            return None
        if aid is None or self.page is None:
            return None
        return next((a for a in self.page.amendments if a.id == aid), None)

    def _revisable(self) -> str | None:
        """Why the highlighted amendment cannot be revised by this principal (None: it can)."""
        am, principal = self._highlighted(), self.principal
        if am is None:
            return "Highlight an amendment in the Amendments tab (m) first"
        if principal.role != Role.SECRETARIAT and am.proposer != principal.id:
            return f"{am.id} is {am.proposer}'s amendment: only {am.proposer} may revise it"
        if not am.is_open:
            return f"{am.id} is {am.status}, no longer open"
        if am.kind not in (AmendmentKind.MODIFY, AmendmentKind.INSERT):
            return f"{am.id} is a {am.kind} amendment: it has no text to revise"
        return None

    def on_key(self, event: events.Key) -> None:
        """A key of an action this principal may not take says so, rather than nothing."""
        for binding in DraftActions.BINDINGS:
            if not isinstance(binding, Binding) or event.key not in binding.key.split(","):
                continue
            name = binding.action.partition("(")[0]
            if not self.check_action(name, ()):
                event.stop()
                principal = self.principal
                if not self.loaded and allowed(principal.role, POLICY_OF[name]):
                    self.notify("Loading the record…", timeout=2)
                    return
                if self.read_only:
                    why = self.read_only
                elif allowed(principal.role, POLICY_OF[name]) and name == "revise_amendment":
                    why = self._revisable() or ""
                else:
                    why = refusal(principal.id, principal.role, POLICY_OF[name])
                self.notify(
                    f"{why} (F1 lists the keys you can use)",
                    title="Not available",
                    severity="warning",
                )
            return

    def on_option_list_option_highlighted(self) -> None:
        """Another amendment highlighted: what may be done with it may differ. The keys are
        refreshed only when that changes: refreshing them recomposes the footer (a whole
        layout), which every cursor move onto a paragraph with amendments would pay."""
        revisable = self.check_action("revise_amendment", ())
        if revisable != self._revisable_shown:
            self._revisable_shown = revisable
            self.refresh_bindings()

    def _run(self, act: Callable[[Service], R], done: Callable[[R], str], for_: For = SELF) -> None:
        """Take an action with a service recording `for_` someone; reload and say what
        happened, or show why it was refused (in a worker when the record has a file)."""
        opener = self._opener(for_)
        if opener is None:
            svc = self.service if for_.code is None else self.on_behalf(for_.code)
            try:
                message = done(act(svc))
            except WorkplanError as exc:
                self._refused(exc, None)
                return
            self._done(message, None)
            return
        document = self.document_id

        def work() -> None:
            svc: Service | None = None
            try:
                svc = opener()
                message = done(act(svc))
                page = svc.draft_page(document)
            except WorkplanError as exc:
                again = svc.draft_page(document) if isinstance(exc, ConflictError) and svc else None
                self.app.call_from_thread(self._refused, exc, again)
                return
            finally:
                if svc is not None:
                    svc.close()
            self.app.call_from_thread(self._done, message, page)

        self.run_worker(work, thread=True, group="actions", exit_on_error=False)

    def _opener(self, for_: For) -> Callable[[], Service] | None:
        """What opens a service on its own connection recording `for_` someone (for a
        worker), or None for an in-memory record."""
        door = self.door
        if door is None:
            return None
        return lambda: door.open(for_.code)

    def _gone(self) -> bool:
        """True once the screen is being taken down (the app quit while a worker finished):
        the outline is gone, and there is nothing left to show a result in."""
        return not self.query("Outline")

    def _done(self, message: str, page: DraftPage | None) -> None:
        """An action was taken: show the page read after it, and say so."""
        if self._gone():
            return
        self.reload(page)
        self.notify(message, timeout=3)

    def _refused(self, exc: WorkplanError, page: DraftPage | None) -> None:
        """An action was refused: say why (after a conflict, show what changed: the next
        attempt reads the new version)."""
        if self._gone():
            return
        if isinstance(exc, ConflictError):
            self.reload(page)
        self.notify(exc.message, title="Refused", severity="error")

    def _acting(self, title: str, then: Callable[[For, str], object]) -> None:
        """Run `then` for the principal itself, or for the delegation the secretariat picks."""
        from workplan.tui.screens.pickers import DelegationPicker

        principal = self.principal
        if principal.role != Role.SECRETARIAT:
            then(SELF, principal.id)
            return

        def picked(code: str | None) -> None:
            if code:
                self._last_delegation = code
                then(For(code), code)

        self.app.push_screen(DelegationPicker(title, self.roster, self._last_delegation), picked)

    def _for_owner(self, owner: str) -> For:
        """Whom to act for on something `owner` holds: the secretariat acts for its owner."""
        return For(owner) if self.principal.role == Role.SECRETARIAT else SELF

    def on_behalf(self, code: str) -> Service:
        """A service over the same record and connection, recording on behalf of `code` (the
        UI thread's: the amendment editor, and the actions of an in-memory record)."""
        svc = self.service
        return type(svc)(
            svc.db, svc.principal, on_behalf_of=code, clock=svc.now, uids=svc.session.new_uid
        )

    def _selected(self) -> tuple[str, str, int] | None:
        """(uid, ref, version) of the selected paragraph, or None (with a warning)."""
        uid, page = self.current_uid, self.page
        if uid is None or page is None or uid not in page.draft.by_uid:
            self.notify("Select a paragraph first.", severity="warning")
            return None
        return uid, page.draft.ref(uid), page.draft.by_uid[uid].version

    def _amendment(self) -> Amendment | None:
        aid = self.amendment_target(focused_only=False)
        if aid is None or self.page is None:
            self.notify("Select an amendment in the Amendments tab.", severity="warning")
            return None
        try:
            return self.page.amendment(aid)
        except WorkplanError as exc:
            self.notify(exc.message, severity="error")
            return None

    # -- amendments -------------------------------------------------------------------------
    def action_propose(self) -> None:
        """Open the amendment editor on the selected paragraph."""
        from workplan.tui.screens.amendment_editor import AmendmentEditor, EditorTarget

        if (sel := self._selected()) is None or self.page is None:
            return
        uid, ref, version = sel
        target = EditorTarget(self.document_id, uid, ref, self.page.draft.by_uid[uid].text, version)

        def proposed(am: Amendment | None) -> None:
            if am is not None:
                self.reload()
                self.notify(f"{am.id} proposed on {ref}", timeout=3)

        def edit(for_: For, who: str) -> None:
            svc = self.service if for_.code is None else self.on_behalf(for_.code)
            editor = AmendmentEditor(svc, target, who, open_service=self._opener(for_))
            self.app.push_screen(editor, proposed)

        self._acting(f"Propose on {ref} for which delegation?", edit)

    def action_cosponsor(self) -> None:
        """Co-sponsor the highlighted amendment."""
        if (am := self._amendment()) is not None:
            aid = am.id
            doc = self.document_id
            self._acting(
                f"Who co-sponsors {aid}?",
                lambda for_, who: self._run(
                    lambda svc: svc.cosponsor(doc, aid),
                    lambda _: f"{who} co-sponsors {aid}",
                    for_,
                ),
            )

    def action_withdraw(self) -> None:
        """Withdraw the highlighted amendment (its proposer only)."""
        if (am := self._amendment()) is None:
            return
        aid, doc = am.id, self.document_id
        self._run(
            lambda svc: svc.withdraw(doc, aid),
            lambda _: f"{aid} withdrawn",
            self._for_owner(am.proposer),
        )

    def action_revise_amendment(self) -> None:
        """Revise the highlighted amendment's text in the editor (its proposer, or the
        secretariat for it), seeing what failed when it needs a re-base."""
        from workplan.tui.screens.amendment_editor import AmendmentEditor, EditorTarget

        if (am := self._highlighted()) is None or self.page is None:
            return
        draft = self.page.draft
        p = draft.by_uid.get(am.target)
        if p is None:
            return
        ref = draft.ref(p.uid)
        target = EditorTarget(self.document_id, p.uid, ref, p.text, p.version)
        owner = self._for_owner(am.proposer)
        svc = self.service if owner.code is None else self.on_behalf(owner.code)

        def revised(result: Amendment | None) -> None:
            if result is not None:
                self.reload()
                self.notify(f"{result.id} revised", timeout=3)

        editor = AmendmentEditor(
            svc, target, am.proposer, revising=am, open_service=self._opener(owner)
        )
        self.app.push_screen(editor, revised)

    # -- positions --------------------------------------------------------------------------
    def action_position(self, stance: str) -> None:
        """Record a position on the selected paragraph, or on the focused amendment."""
        if (sel := self._selected()) is None:
            return
        target = self.amendment_target(focused_only=True) or sel[0]
        label = target if target != sel[0] else sel[1]
        doc = self.document_id

        def record(for_: For, who: str) -> None:
            self._run(
                lambda svc: svc.record_position(doc, target, stance),
                lambda _: f"{who}: {stance} on {label}",
                for_,
            )

        self._acting(f"{stance.capitalize()} on {label}: for which delegation?", record)

    def action_position_with_comment(self) -> None:
        """Choose a stance and add a comment (prefilled with the delegation's current ones)."""
        from workplan.tui.screens.pickers import PositionPrompt
        from workplan.tui.widgets.positions_grid import STANCES

        if (sel := self._selected()) is None or self.page is None:
            return
        target = self.amendment_target(focused_only=True) or sel[0]
        label = target if target != sel[0] else sel[1]
        doc = self.document_id
        held = self.service.positions_on(doc, [target])[target]
        choices = [(str(s), f"{letter} {name}") for s, (letter, name, _) in STANCES.items()]

        def ask(for_: For, who: str) -> None:
            mine = sorted((p for p in held if p.delegation == who), key=lambda p: p.at)
            stance, comment = (str(mine[-1].stance), mine[-1].comment) if mine else ("support", "")

            def answered(answer: tuple[str, str] | None) -> None:
                if answer is None:
                    return
                chosen, said = answer
                self._run(
                    lambda svc: svc.record_position(doc, target, chosen, said),
                    lambda _: f"{who}: {chosen} on {label}" + (f" ({said})" if said else ""),
                    for_,
                )

            title = f"{who}'s position on {label}"
            self.app.push_screen(PositionPrompt(title, choices, stance, comment), answered)

        self._acting(f"Position on {label}: for which delegation?", ask)

    # -- helpers ----------------------------------------------------------------------------
    def now(self) -> datetime:
        """The service's clock."""
        return self.door.now() if self.door is not None else self.service.now()

    def _prompt_text(
        self,
        title: str,
        text: str,
        then: Callable[[str], None],
        discard: str = "Discard your unsaved text?",
    ) -> None:
        """Ask for a text; `then` gets it unless the prompt was cancelled (`discard` is asked
        before throwing away a changed text)."""
        from workplan.tui.screens.pickers import TextPrompt

        def typed(value: str | None) -> None:
            if value:
                then(value)

        self.app.push_screen(TextPrompt(title, text, discard), typed)

    def _choose(
        self, title: str, choices: list[tuple[str, str]], then: Callable[[str], None]
    ) -> None:
        """Ask to pick one of `choices`; `then` gets its id unless cancelled."""
        from workplan.tui.screens.pickers import ChoicePicker

        def chosen(value: str | None) -> None:
            if value:
                then(value)

        self.app.push_screen(ChoicePicker(title, choices), chosen)
