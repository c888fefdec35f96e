"""Negotiating on the draft screen, driven by keys: amendments, positions, reservations, chair.

Each test opens the app on the small plan (tests/fixtures/plan_small.md) acting as one principal;
other principals change the record through their own services, as other users would.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot
from textual.widgets import TextArea

from workplan.service import Service
from workplan.tui.app import WorkplanApp, make_app
from workplan.tui.screens.amendment_editor import AmendmentEditor
from workplan.tui.screens.pickers import ConfirmScreen, DelegationPicker
from workplan.tui.widgets.amendments_list import AmendmentsList
from workplan.tui.widgets.detail_tabs import DetailTabs
from workplan.tui.widgets.history_list import HistoryList
from workplan.tui.widgets.outline import Outline
from workplan.tui.widgets.paragraph_view import ParagraphView
from workplan.tui.widgets.positions_grid import PositionsGrid
from workplan.tui.widgets.reservations_list import ReservationsList

DOC = "third-work-plan"
SIZE = (120, 40)
Make = Callable[..., Service]
"""The `as_` fixture (tests/conftest.py): the same record, acting as another principal."""


def uid(svc: Service, ref: str) -> str:
    """The uid of a printed ref in the third plan."""
    return svc.draft(DOC).resolve(ref).uid


def app_as(as_: Make, who: str) -> tuple[WorkplanApp, list[tuple[str, str]]]:
    """An app acting as `who`, and the list its notifications (message, severity) go to."""
    app = make_app(as_(who))
    told: list[tuple[str, str]] = []
    original = app.notify

    def notify(message: str, **kw: object) -> None:
        told.append((message, str(kw.get("severity", "information"))))
        original(message, **kw)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    return app, told


async def goto(pilot: Pilot[None], app: WorkplanApp, ref: str) -> None:
    """Move the outline's cursor to a paragraph by keys."""
    outline = app.draft_screen.query_one(Outline)
    target = app.draft_screen.page.draft.resolve(ref).uid  # type: ignore[union-attr]
    for _ in range(len(outline.uids)):
        if outline.current_uid == target:
            return
        await pilot.press("j")
    assert outline.current_uid == target


async def type_(pilot: Pilot[None], text: str) -> None:
    """Type text key by key."""
    await pilot.press(*text)


def amendments_shown(app: WorkplanApp) -> str:
    """What the Amendments tab shows, as plain text."""
    listed = app.draft_screen.query_one(AmendmentsList)
    return "\n".join(str(o.prompt) for o in listed.options)


async def test_propose_a_modify_amendment_in_the_editor(svc: Service, as_: Make) -> None:
    app, told = app_as(as_, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, AmendmentEditor)
        assert editor.typed == svc.draft(DOC).resolve("OP1").text
        await type_(pilot, "Promptly ")
        preview = str(editor.query_one("#preview").render())
        assert preview.startswith("Promptly Adopt national action plans")
        await pilot.press("tab")
        await type_(pilot, "Dates")
        await pilot.press("tab")
        await type_(pilot, "mex, usa")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is app.draft_screen
        (am,) = svc.negotiation(DOC).amendments
        assert am.id == "A1"
        assert am.proposer == "CAN"
        assert am.text.startswith("Promptly Adopt")
        assert am.cosponsors == ["MEX", "USA"]
        assert am.justification == "Dates"
        shown = amendments_shown(app)
        assert "alt 1  A1 modify · CAN + MEX, USA · proposed" in shown
        assert "“Dates”" in shown
        assert ("A1 proposed on OP1", "information") in told
        view = str(app.draft_screen.query_one(ParagraphView).render())
        assert "under negotiation · 1 open amendment\n" in view


async def test_secretariat_records_positions_for_two_delegations(svc: Service, as_: Make) -> None:
    app, told = app_as(as_, "SECRETARIAT")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP2")
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, DelegationPicker)
        await type_(pilot, "jamaica")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("5")
        await pilot.pause()
        await type_(pilot, "estados")  # the Spanish name finds the United States
        await pilot.press("enter")
        await pilot.pause()
        target = uid(svc, "OP2")
        stances = {p.delegation: str(p.stance) for p in svc.negotiation(DOC).positions_on[target]}
        assert stances == {"JAM": "support", "USA": "object"}
        assert ("JAM: support on OP2", "information") in told
        grid = str(app.draft_screen.query_one(PositionsGrid).render())
        assert "JAM S" in grid
        assert "USA O" in grid
        assert "CAN –" in grid
        line = str(app.draft_screen.query_one(Outline).get_option(target).prompt)
        assert line.split()[0] == "◐U"


async def test_propose_a_deletion_by_choosing_the_kind(svc: Service, as_: Make) -> None:
    app, _ = app_as(as_, "USA")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP4")
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("shift+tab", "enter", "down", "down", "enter")  # modify → delete
        await pilot.pause()
        assert isinstance(app.screen, AmendmentEditor)
        assert app.screen.kind == "delete"
        assert not app.screen.query_one(TextArea).display
        await pilot.press("ctrl+s")
        await pilot.pause()
        (am,) = svc.negotiation(DOC).amendments
        assert (am.kind, am.target, am.proposer) == ("delete", uid(svc, "OP4"), "USA")
        assert "alt 1  A1 delete · USA · proposed" in amendments_shown(app)


async def test_cosponsor_then_withdraw_the_highlighted_amendment(svc: Service, as_: Make) -> None:
    as_("MEX").propose(DOC, uid(svc, "OP1"), "modify", text="Adopt plans.")
    app, told = app_as(as_, "SECRETARIAT")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await pilot.press("c")
        await type_(pilot, "CAN")
        await pilot.press("enter")
        await pilot.pause()
        assert svc.negotiation(DOC).amendment("A1").cosponsors == ["CAN"]
        await pilot.press("w")  # the secretariat withdraws it for its proposer
        await pilot.pause()
        assert svc.negotiation(DOC).amendment("A1").status == "withdrawn"
        assert [m for m, _ in told] == ["CAN co-sponsors A1", "A1 withdrawn"]
        assert "A1 modify · MEX + CAN · withdrawn" in amendments_shown(app)


async def test_chair_declares_ad_referendum_and_deleted(svc: Service, as_: Make) -> None:
    as_("PRY").record_position(DOC, uid(svc, "OP2"), "ad-ref")
    app, told = app_as(as_, "CHAIR")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP2")
        await pilot.press("G")
        await pilot.pause()
        await goto(pilot, app, "OP4")
        await pilot.press("D", "y")
        await pilot.pause()
        counts = svc.status(DOC)["counts"]
        assert counts["agreed-ad-ref"] == 1
        assert counts["deleted"] == 1
        assert [m for m, _ in told] == ["OP2 agreed ad referendum (PRY)", "OP4 deleted"]


async def test_position_keys_target_the_focused_amendment(svc: Service, as_: Make) -> None:
    op1 = uid(svc, "OP1")
    as_("MEX").propose(DOC, op1, "modify", text="Adopt plans.")
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await pilot.press("m", "5")
        await pilot.pause()
        neg = svc.negotiation(DOC)
        assert [(p.delegation, str(p.stance)) for p in neg.positions_on["A1"]] == [
            ("CAN", "object")
        ]
        assert not neg.positions_on[op1]
        assert "object: CAN" in amendments_shown(app)


async def test_chair_accepts_the_amendment_and_declares_agreed(svc: Service, as_: Make) -> None:
    op1 = uid(svc, "OP1")
    as_("CAN").propose(DOC, op1, "modify", text="Adopt national action plans now.")
    app, told = app_as(as_, "CHAIR")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        outline = app.draft_screen.query_one(Outline)
        assert str(outline.get_option(op1).prompt).split()[0] == "◐U"
        await pilot.press("A")  # asks first, naming the amendment
        await pilot.pause()
        assert "Accept A1 (modify of OP1, CAN)?" in str(app.screen.query_one("Label").render())
        await pilot.press("y")
        await pilot.pause()
        assert svc.negotiation(DOC).amendment("A1").status == "accepted"
        assert svc.draft(DOC).by_uid[op1].text == "Adopt national action plans now."
        await pilot.press("g")
        await pilot.pause()
        assert str(outline.get_option(op1).prompt).split()[0] == "●A"
        assert outline.current_uid == op1
        view = app.draft_screen.query_one(ParagraphView)
        assert view.info is not None
        assert view.info.status == "agreed"
        assert [m for m, _ in told] == ["A1 accepted", "OP1 agreed"]


async def test_amendments_tab_shows_alternatives_closed_and_needs_rebase(
    svc: Service, as_: Make
) -> None:
    op1 = uid(svc, "OP1")
    text = svc.draft(DOC).by_uid[op1].text
    as_("CAN").propose(DOC, op1, "modify", text="Adopt plans.")
    as_("MEX").propose(DOC, op1, "modify", text=text.replace("every form", "all forms"))
    as_("USA").propose(DOC, op1, "delete")
    as_("CHAIR").decide(DOC, "A1", "accept")
    app, _ = app_as(as_, "OBSERVER")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        shown = amendments_shown(app).splitlines()
        assert shown[0] == "alt 1  A2 modify · MEX · proposed ⚠ needs rebase"
        assert "alt 2  A3 delete · USA · proposed" in shown
        assert "A1 modify · CAN · accepted" in shown
        assert shown.index("A1 modify · CAN · accepted") > shown.index(
            "alt 2  A3 delete · USA · proposed"
        )


async def test_freeze_a_revision(svc: Service, as_: Make) -> None:
    app, told = app_as(as_, "SECRETARIAT")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("F")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        asked = confirm._question  # names what it will freeze
        assert asked.startswith("Freeze the draft as ")
        assert "rev. 1" in asked
        await pilot.press("y")
        await pilot.pause()
        (rev,) = svc.revisions(DOC)
        assert rev.number == 1
        assert (f"{rev.symbol} frozen", "information") in told


async def test_a_delegation_is_not_offered_chair_actions(svc: Service, as_: Make) -> None:
    app, told = app_as(as_, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        offered = {b.binding.action for b in app.active_bindings.values()}
        assert "propose" in offered
        assert "position('support')" in offered
        assert not offered & {"agree", "accept", "reject", "silence", "reopen", "freeze"}
        await pilot.press("g", "A", "F")
        await pilot.pause()
        assert svc.status(DOC)["counts"]["agreed"] == 0
        assert app.screen is app.draft_screen
        assert [severity for _, severity in told] == ["warning"] * 3
        why = "CAN (delegation) may not declare paragraphs agreed: only the chair may"
        assert told[0][0].startswith(why)


async def test_proposing_on_an_agreed_paragraph_shows_why_and_keeps_the_text(
    svc: Service, as_: Make
) -> None:
    as_("CHAIR").agree(DOC, [uid(svc, "OP1")])
    app, told = app_as(as_, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await pilot.press("a")
        await pilot.pause()
        await type_(pilot, "Kindly ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert ("OP1 is agreed; the chair must reopen it first", "error") in told
        assert isinstance(app.screen, AmendmentEditor)
        assert app.screen.typed.startswith("Kindly Adopt")


async def test_editor_conflict_keeps_the_text_and_rebases(svc: Service, as_: Make) -> None:
    op1 = uid(svc, "OP1")
    app, told = app_as(as_, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await pilot.press("a")
        await pilot.pause()
        await type_(pilot, "Promptly ")
        # meanwhile Mexico's amendment is accepted: the paragraph moves to version 2
        as_("MEX").propose(DOC, op1, "modify", text="Adopt national plans against exploitation.")
        as_("CHAIR").decide(DOC, "A1", "accept")
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, AmendmentEditor)
        assert editor.query_one(TextArea).text.startswith("Promptly Adopt national action plans")
        assert editor.has_class("-conflict")
        conflict = str(editor.query_one("#conflict").render())
        assert "OP1 changed since version 1 (now version 2" in conflict
        assert "What changed since version 1 (now 2)" in conflict
        assert told[-1][1] == "error"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert editor.target.version == 2
        assert not editor.has_class("-conflict")
        # the typed change is re-applied to the accepted text, which it does not undo
        assert editor.typed == "Promptly Adopt national plans against exploitation."
        assert told[-1] == (
            "Re-based on version 2: your changes re-applied to its text.",
            "information",
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is app.draft_screen
        am = svc.negotiation(DOC).amendment("A2")
        assert am.base_version == 2
        assert am.text == "Promptly Adopt national plans against exploitation."


async def test_a_rebase_that_does_not_apply_keeps_the_typed_text(svc: Service, as_: Make) -> None:
    op1 = uid(svc, "OP1")
    app, told = app_as(as_, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await pilot.press("a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, AmendmentEditor)
        old = editor.typed
        typed = old.replace("national action plans", "regional action plans")
        editor.query_one(TextArea).load_text(typed)
        # meanwhile the same words are rewritten by Mexico's accepted amendment
        new = old.replace("national action plans", "national strategies")
        as_("MEX").propose(DOC, op1, "modify", text=new)
        as_("CHAIR").decide(DOC, "A1", "accept")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert editor.has_class("-conflict")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert editor.target.version == 2
        assert editor.target.text == new
        assert editor.typed == typed  # kept as typed, never merged half-way
        message, severity = told[-1]
        assert severity == "warning"
        assert "do not apply to its new text" in message


async def test_silence_shows_a_countdown_and_reopen(svc: Service, as_: Make) -> None:
    app, _ = app_as(as_, "CHAIR")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP3")
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("enter")  # the default: +72h
        await pilot.pause()
        shown = str(app.draft_screen.query_one(ParagraphView).render())
        assert "silence until 2026-03-05 14:00 UTC · 3d 00h 00m left" in shown
        assert svc.status(DOC)["counts"]["under-silence"] == 1
        await pilot.press("O")
        await pilot.pause()
        assert svc.status(DOC)["counts"]["under-silence"] == 0


async def test_reservations_attach_reuse_and_detach(svc: Service, as_: Make) -> None:
    app, _ = app_as(as_, "JAM")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP1")
        await pilot.press("r")
        await pilot.pause()
        await type_(pilot, "Idem.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await goto(pilot, app, "OP3")
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("down", "enter")  # reuse R1 rather than a new text
        await pilot.pause()
        (res,) = svc.negotiation(DOC).reservations
        assert res.paragraphs == [uid(svc, "OP1"), uid(svc, "OP3")]
        shown = str(app.draft_screen.query_one(ReservationsList).render())
        assert "R1 JAM · also on OP1" in shown
        assert "Idem." in shown
        assert " · 1 reservation\n" in str(app.draft_screen.query_one(ParagraphView).render())
        await pilot.press("E", "enter")  # edit R1's text (everywhere it is attached)
        await pilot.pause()
        await type_(pilot, "See ")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert svc.negotiation(DOC).reservations[0].text == "See Idem."
        await pilot.press("u", "enter")
        await pilot.pause()
        assert svc.negotiation(DOC).reservations[0].paragraphs == [uid(svc, "OP1")]


async def test_history_tab_lists_the_paragraphs_events(svc: Service, as_: Make) -> None:
    as_("JAM").record_position(DOC, uid(svc, "OP2"), "object")
    am = as_("MEX").propose(DOC, uid(svc, "OP2"), "modify", text="Train officials well.")
    as_("CAN").record_position(DOC, am.id, "support")  # on the amendment: OP2's history too
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP2")
        tabs = app.draft_screen.query_one(DetailTabs)
        await pilot.press("t")  # Positions
        await pilot.pause()
        assert tabs.active == "positions-tab"
        await pilot.press("T", "T")  # back past Amendments to History
        await pilot.pause()
        assert tabs.active == "history-tab"
        events = [str(o.prompt) for o in app.draft_screen.query_one(HistoryList).options]
        assert "CAN CAN: support on A1" in events[0]
        assert "MEX A1 by MEX" in events[1]
        assert "JAM JAM: object on OP2" in events[2]


async def test_search_and_filter_narrow_the_outline(svc: Service, as_: Make) -> None:
    as_("JAM").record_position(DOC, uid(svc, "OP3"), "object")
    as_("CAN").record_position(DOC, uid(svc, "OP2"), "object")
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        outline = app.draft_screen.query_one(Outline)
        every = outline.uids
        await pilot.press("slash")
        await type_(pilot, "border")
        await pilot.pause()
        assert outline.uids == [uid(svc, "OP2")]
        assert str(outline.get_option(uid(svc, "OP2")).prompt).split()[1] == "OP2"
        await pilot.press("escape")
        await pilot.pause()
        assert outline.uids == every
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("tab", "tab")
        await type_(pilot, "Jamaica")
        await pilot.press("enter")
        await pilot.pause()
        assert outline.uids == [uid(svc, "OP3")]
        assert app.draft_screen.filters.delegation == "JAM"
        await pilot.press("escape")
        await pilot.pause()
        assert outline.uids == every


async def test_refs_hold_still_and_the_view_says_what_a_paragraph_was(
    svc: Service, as_: Make
) -> None:
    """Insert after OP2: the outline shows OP2 bis and OP3 stays OP3; after the next revision
    the paragraphs say which number they had before."""
    op3 = uid(svc, "OP3")
    ins = as_("BRA").propose(DOC, "OP2", "insert", text="Protect witnesses and their families.")
    as_("CHAIR").decide(DOC, ins.id, "accept")
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listed = app.screen.query_one(Outline)
        lines = [str(listed.get_option(u).prompt) for u in listed.uids]
        bis = next(i for i, line in enumerate(lines) if " OP2 bis " in line)
        assert " OP3 " in lines[bis + 1]  # not renumbered
        await goto(pilot, app, "OP3")
        assert listed.current_uid == op3
    as_("SECRETARIAT").revise(DOC)
    app, _ = app_as(as_, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await goto(pilot, app, "OP4")
        view = str(app.draft_screen.query_one(ParagraphView).render())
        assert view.startswith("OP4 · formerly OP3 (before rev. 1) · operative")
        assert app.screen.query_one(Outline).current_uid == op3
