"""TUI tests: Textual's Pilot drives the app over an in-memory record; two SVG snapshots."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from textual.fuzzy import Matcher
from textual.widgets import Header

from workplan.model import (
    Decision,
    Document,
    Draft,
    Lineage,
    Paragraph,
    ParagraphKind,
    Principal,
    Section,
)
from workplan.service import Service
from workplan.store import connect, transaction
from workplan.store.documents import insert_draft
from workplan.tui.app import WorkplanApp, make_app
from workplan.tui.commands import literal
from workplan.tui.widgets.outline import Outline, outline_rows
from workplan.tui.widgets.paragraph_view import ParagraphView

SIZE = (100, 30)
MARKUP = "[bold]not bold[/bold] and [link=https://example.org]no link[/link]"

SECTIONS = [
    Section(id="principles", title="Guiding principles", position=0),
    Section(id="areas", title="Areas of action", position=1),
    Section(id="states", title="Member states", position=2, parent="areas"),
    Section(id="follow-up", title="Follow-up", position=3),
]
# (uid suffix, section, kind, text): the same content in both documents
CONTENT = [
    ("pp1", "principles", "preambular", "RECALLING the Palermo Protocol;"),
    ("pp2", "principles", "preambular", "REAFFIRMING the dignity of every victim;"),
    ("op1", "areas", "operative", "Prevention comes first."),
    ("op2", "states", "operative", "Member states train border officials."),
    ("op3", "states", "operative", "Member states protect survivors."),
    ("oth", "states", "other", "Note by the secretariat."),
    ("op4", "states", "operative", "Member states share data."),
    ("fu1", "follow-up", "follow-up", "The Secretariat reports each year."),
    ("fu2", "follow-up", "follow-up", "The group meets again in 2025."),
]


def make_draft(doc: Document, prefix: str, source: str | None) -> Draft:
    """A draft with fixed uids (`<prefix>-pp1`...), with lineage to `source` when given."""
    paragraphs = [
        Paragraph(
            uid=f"{prefix}-{key}",
            document=doc.id,
            section=section,
            position=i,
            kind=ParagraphKind(kind),
            text=text,
            lineage=Lineage(document=source, uid=f"s2-{key}") if source else None,
        )
        for i, (key, section, kind, text) in enumerate(CONTENT)
    ]
    return Draft(document=doc, sections=SECTIONS, paragraphs=paragraphs)


SECOND = Document(
    id="second",
    title="Second Work Plan",
    symbol="RTP-IV/doc.4/14 rev. 1",
    period_start=2015,
    period_end=2020,
)
THIRD = Document(
    id="third-work-plan",
    title="Third Work Plan",
    symbol="CP/CSH/GT-TP/doc.1/22",
    period_start=2022,
    period_end=2027,
    derived_from="second",
)


@pytest.fixture
def service() -> Iterator[Service]:
    """`second` and `third-work-plan` (started from it), built in code with fixed uids.

    The third plan's first paragraph is agreed; its last is new (no lineage) and full of markup.
    """
    svc = Service(connect(":memory:"), Principal(id="SECRETARIAT"))
    third = make_draft(THIRD, "t3", "second")
    third.paragraphs[0].decision = Decision.AGREED
    new = Paragraph(
        uid="t3-new",
        document=THIRD.id,
        section="follow-up",
        position=len(CONTENT),
        kind=ParagraphKind.OPERATIVE,
        text=MARKUP,
    )
    third.paragraphs.append(new)
    with transaction(svc.db):
        insert_draft(svc.db, make_draft(SECOND, "s2", None))
        insert_draft(svc.db, third)
    yield svc
    svc.db.close()


def view(app: WorkplanApp) -> ParagraphView:
    """The paragraph view on the current screen."""
    return app.screen.query_one(ParagraphView)


def outline(app: WorkplanApp) -> Outline:
    """The outline on the current screen."""
    return app.screen.query_one(Outline)


def rendered(widget: ParagraphView) -> str:
    """What the view shows, as plain text."""
    return str(widget.render())


async def test_opens_on_the_third_work_plan(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.document == "third-work-plan"
        assert app.title == "Third Work Plan"
        assert app.sub_title == "CP/CSH/GT-TP/doc.1/22 · 2022–2027"
        header = app.screen.query_one(Header).format_title().plain
        assert header == (
            "Acting as: Secretariat · single-user │ "
            "Third Work Plan │ CP/CSH/GT-TP/doc.1/22 · 2022–2027"
        )
        listed = outline(app)
        assert listed.uids == [f"t3-{key}" for key, *_ in CONTENT] + ["t3-new"]
        lines = [str(listed.get_option(uid).prompt) for uid in listed.uids]
        refs = ["PP1", "PP2", "OP1", "OP2", "OP3", "MS1", "OP4", "FU1", "FU2", "OP5"]
        assert [line.split()[1] for line in lines] == refs
        assert lines[0].split()[0] == "●A"  # agreed, readable without colour
        assert lines[1].split()[0] == "○N"  # not yet discussed
        headings = [o.prompt for o in listed.options if o.disabled]
        assert [str(h) for h in headings] == [
            "Guiding principles",
            "Areas of action",
            "  Member states",
            "Follow-up",
        ]
        assert view(app).uid == "t3-pp1"
        assert app.screen.focused is listed


async def test_cursor_moves_and_view_shows_lineage(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "j", "j")  # over the sub-section heading
        await pilot.pause()
        shown = view(app)
        assert shown.uid == "t3-op2"
        assert shown.info is not None
        assert shown.info.lineage == "from Second Work Plan OP2"
        text = rendered(shown)
        assert "Member states train border officials." in text
        assert "from Second Work Plan OP2" in text
        assert "Areas of action › Member states" in text
        assert "uid t3-op2" in text
        await pilot.press("k")
        await pilot.pause()
        assert view(app).uid == "t3-op1"


async def test_open_document_modal_switches_document(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "OpenDocumentScreen"
        await pilot.press("up", "enter")
        await pilot.pause()
        assert app.draft_screen.document_id == "second"
        assert app.document == "second"
        assert app.title == "Second Work Plan"
        assert "2015–2020" in app.sub_title
        assert outline(app).uids[0] == "s2-pp1"
        shown = view(app)
        assert shown.uid == "s2-pp1"
        assert shown.info is not None
        assert shown.info.lineage == ""


async def test_escape_closes_the_modal_without_change(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.draft_screen
        assert app.document == "third-work-plan"


async def test_missing_document_is_a_notification_not_a_crash(
    service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(service)
    told: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **_: told.append(message))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_document("no-such-plan")
        await pilot.pause()
        assert app.document == "third-work-plan"
        assert view(app).uid == "t3-pp1"
        assert told == ["no document 'no-such-plan' (see `workplan docs`)"]


async def test_markup_in_text_is_shown_literally(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        outline(app).move_to("t3-new")
        await pilot.pause()
        assert view(app).uid == "t3-new"
        assert MARKUP in rendered(view(app))
        assert MARKUP in str(outline(app).get_option("t3-new").prompt)


def test_snapshot_draft_screen(service: Service, snap_compare) -> None:
    assert snap_compare(make_app(service), terminal_size=SIZE, press=["down", "j", "j"])


def test_snapshot_open_document(service: Service, snap_compare) -> None:
    assert snap_compare(make_app(service), terminal_size=SIZE, press=["o"])


async def test_command_palette_opens_a_document(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open second")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.draft_screen
        assert app.document == "second"
        assert view(app).uid == "s2-pp1"


def test_palette_shows_titles_literally() -> None:
    shown = literal(Matcher("bold"), "Open document: [bold]Plan[/bold]")
    assert shown.plain == "Open document: [bold]Plan[/bold]"
    assert literal(Matcher("plan"), "Open document: Plan").plain == "Open document: Plan"


async def test_keys_panel_toggles_and_q_quits(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


async def test_keys_typed_after_q_open_nothing(service: Service) -> None:
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("q", "d", "e", "v")  # typed ahead while the app shuts down
    assert app.return_code == 0
    assert not app.check_action("dashboard", ())


def test_outline_rows_keep_every_section_in_place() -> None:
    sections = [
        Section(id="a", title="A", position=0),
        Section(id="a-sub", title="A sub", position=1, parent="a"),
        Section(id="empty", title="Empty", position=2),
        Section(id="b", title="B", position=3),
        Section(id="tail", title="Tail", position=4),
    ]
    placed = ["a", "a-sub", "a", "b"]
    paragraphs = [
        Paragraph(uid=f"p{i}", section=s, position=i, text="x") for i, s in enumerate(placed)
    ]
    draft = Draft(document=SECOND, sections=sections, paragraphs=paragraphs)
    rows = [(r.key, r.depth) for r in outline_rows(draft.sections, draft.paragraphs)]
    assert rows == [
        ("a", 0),
        ("p0", 0),
        ("a-sub", 1),
        ("p1", 1),
        ("p2", 0),
        ("empty", 0),
        ("b", 0),
        ("p3", 0),
        ("tail", 0),
    ]


async def test_notifications_never_read_what_they_repeat_as_markup(service: Service) -> None:
    """A filter or name typed as `[@click=app.quit]` comes back in a notification as text."""
    app = make_app(service)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.notify("No delegation '[@click=app.quit]x[/]'", severity="error")
        app.notify("[b]bold?[/b]", markup=True)
        await pilot.pause()
        shown = list(app._notifications)
        assert [n.markup for n in shown[-2:]] == [False, False]
        assert shown[-2].message == "No delegation '[@click=app.quit]x[/]'"
        assert app.is_running
