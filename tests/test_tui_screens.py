"""The TUI's other screens, driven by keys: dashboard, revisions and diffs, export, help,
the command palette, live refresh, layout at 80×24, and SVG snapshots at 120×40.

The app opens the `first-plan` document of tests/fixtures/plan_small.md (fixed uids) on a
record in a file, with the fixed clock of tests.conftest; other principals change the record
through their own services, as other users would.
"""

from __future__ import annotations

import itertools
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

import pytest
from tests.conftest import PLAN, Clock
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import DataTable, Input, ProgressBar, RadioButton, Select, TextArea

from workplan.model import Principal
from workplan.service import Service
from workplan.store import connect
from workplan.tui.app import WorkplanApp, make_app
from workplan.tui.commands import ScreenCommands
from workplan.tui.screens.amendment_editor import AmendmentEditor
from workplan.tui.screens.dashboard import DashboardScreen
from workplan.tui.screens.export import FORMATS, KINDS, ExportScreen, render
from workplan.tui.screens.help import HelpScreen
from workplan.tui.screens.pickers import ConfirmScreen
from workplan.tui.screens.revisions import RevisionsScreen
from workplan.tui.widgets.diff_view import DiffView
from workplan.tui.widgets.outline import Outline

DOC = "first-plan"
SIZE = (120, 40)
Make = Callable[..., Service]
NEW_OP1 = "Adopt and fund national action plans that cover every form of exploitation."


@pytest.fixture
def record(db_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> Service:
    """The small plan (not adopted) in a file, with predictable new uids and document creation
    times (so chain heads are fixed too: the store stamps documents with the real time, not
    the clock)."""
    counter = itertools.count(1)

    def next_uid() -> str:
        return f"p-{next(counter):010x}"

    monkeypatch.setattr("workplan.store.documents.now_utc", clock)
    svc = Service(connect(db_path), Principal(id="SECRETARIAT"), clock=clock, uids=next_uid)
    # Negotiated here, so not adopted (an adopted text is read only: tests/test_adopted.py).
    plan = db_path.with_name("plan.md")
    plan.write_text(
        PLAN.read_text(encoding="utf-8").replace("adopted: '2014-12-05'", "adopted: null")
    )
    svc.initialise(plan)
    return svc


def acting(record: Service, who: str) -> Service:
    """The same record (same connection), acting as someone else."""
    return Service(record.db, Principal.parse(who), clock=record.now, uids=record.session.new_uid)


def negotiate(record: Service) -> None:
    """Rev. 1 frozen; then A1 (CAN+MEX on OP1) accepted, A2 (MEX on OP2) open, USA objects to
    OP3, JAM ad ref on PP2, PP1 agreed, FU1 under silence for three days."""
    acting(record, "SECRETARIAT").revise(DOC)
    a1 = acting(record, "CAN").propose(DOC, "OP1", "modify", text=NEW_OP1, cosponsors=["MEX"])
    acting(record, "MEX").propose(
        DOC, "OP2", "modify", text="Train border and consular officials to spot trafficking."
    )
    acting(record, "USA").record_position(DOC, "OP3", "object", "needs consultation")
    acting(record, "JAM").record_position(DOC, "PP2", "ad-ref")
    chair = acting(record, "CHAIR")
    chair.agree(DOC, ["PP1"])
    chair.decide(DOC, a1.id, "accept")
    chair.silence(DOC, ["FU1"], record.now() + timedelta(days=3))


def app_on(record: Service, who: str = "SECRETARIAT") -> WorkplanApp:
    """The app on the first plan, acting as `who`."""
    return make_app(acting(record, who), document=DOC)


def outline(app: WorkplanApp) -> Outline:
    """The draft screen's outline."""
    return app.draft_screen.query_one(Outline)


def badge_of(app: WorkplanApp, uid: str) -> str:
    """The status badge the outline shows for a paragraph."""
    return str(outline(app).get_option(uid).prompt).split()[0]


async def settle(pilot: Pilot[None]) -> None:
    """Let workers finish and the screen catch up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


# -- dashboard --------------------------------------------------------------------------------
async def test_dashboard_counts_and_jumps_to_a_paragraph(record: Service) -> None:
    negotiate(record)
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        assert screen.summary is not None
        counts = screen.summary.counts
        assert counts["agreed"] == 1
        assert counts["under-silence"] == 1
        assert counts["under-negotiation"] == 4
        assert counts["not-discussed"] == 2
        bar = screen.query_one(ProgressBar)
        assert (bar.progress, bar.total) == (1, 8)
        assert "1 of 8 paragraphs agreed (12%)" in str(screen.query_one("#progress-text").render())
        tables = {t.id: t for t in screen.query(DataTable)}
        assert tables["silence"].row_count == 1
        assert [str(c) for c in tables["silence"].get_row_at(0)][:2] == ["FU1", "05 Mar 14:00 UTC"]
        stands = {str(row[0]): str(row[1]) for row in map(tables["stands"].get_row_at, (0, 1))}
        assert stands == {"JAM": "–", "USA": "1: OP3"}
        assert [str(c) for c in tables["pending"].get_row_at(0)][:3] == ["A2", "OP2", "modify"]
        await pilot.press("enter")  # on the silence table's row
        await pilot.pause()
        assert app.screen is app.draft_screen
        assert outline(app).current_uid == "fp-fu1"


# -- revisions and diffs ----------------------------------------------------------------------
async def test_diff_of_a_revision_and_the_draft_after_an_accepted_amendment(
    record: Service,
) -> None:
    negotiate(record)
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RevisionsScreen)
        assert screen.marks == {"A": "1", "B": "draft"}
        view = screen.query_one(DiffView)
        (entry,) = [e for e in view.entries if e.changed]
        assert (entry.status, entry.a_ref, entry.b_ref) == ("modified", "OP1", "OP1")
        assert ("+", "and fund ") in entry.ops
        assert [e.b_ref for e in view.entries] == ["PP1", "PP2", "OP1", "OP2", "OP3", "FU1"]
        summary = str(screen.query_one("#diff-summary").render())
        assert summary.endswith("(working draft): 1 modified, 6 status changes")
        rows = [str(view.row_content(i)) for i in range(view.row_count)]
        assert rows[:2] == ["PP1  status changed", "  status: not yet discussed → agreed"]
        op1 = rows.index("OP1  modified")
        assert rows[op1 + 1] == "  status: not yet discussed → under negotiation"
        assert "{+and fund +}" in rows[op1 + 2]
        await pilot.press("tab", "down", "down", "enter")  # into the diff, to OP1; Enter jumps
        await pilot.pause()
        assert app.screen is app.draft_screen
        assert outline(app).current_uid == "fp-op1"


async def test_mark_two_revisions_and_compare_them(record: Service) -> None:
    sec = acting(record, "SECRETARIAT")
    sec.revise(DOC)
    am = acting(record, "CAN").propose(DOC, "OP4", "delete")
    acting(record, "CHAIR").decide(DOC, am.id, "accept")
    sec.revise(DOC)
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RevisionsScreen)
        assert [s.label for s in screen.sides] == ["rev. 1", "rev. 2", "working draft"]
        assert screen.query_one(DiffView).entries == []  # rev. 2 = the draft
        await pilot.press("home", "space")
        marks = [str(screen.query_one("#sides", DataTable).get_row_at(i)[0]) for i in range(3)]
        assert marks == ["A", "", "B"]  # B stays on the working draft until another is marked
        await pilot.press("down", "space", "c")
        await settle(pilot)
        assert screen.marks == {"A": "1", "B": "2"}
        assert screen.compared == ("1", "2")
        (entry,) = screen.query_one(DiffView).entries
        assert (entry.status, entry.a_ref) == ("deleted", "OP4")
        await pilot.press("u")  # unchanged paragraphs too
        assert len(screen.query_one(DiffView).entries) == 8


async def test_side_by_side_shows_a_and_b_in_two_columns(record: Service) -> None:
    negotiate(record)  # rev. 1, then OP1 rewritten by A1
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await settle(pilot)
        view = app.screen.query_one(DiffView)
        inline = [str(view.row_content(i)) for i in range(view.row_count)]
        await pilot.press("s")
        await pilot.pause()
        assert view.side_by_side
        rows = [str(view.row_content(i)) for i in range(view.row_count)]
        assert rows != inline
        split = [r for r in rows if " │ " in r]
        assert split, rows
        left = " ".join(r.split(" │ ")[0].strip() for r in split)
        right = " ".join(r.split(" │ ")[1].strip() for r in split)
        assert "{+" in right  # insertions on B's side only
        assert "{+" not in left
        assert "fund" in right
        await pilot.press("s")
        await pilot.pause()
        assert [str(view.row_content(i)) for i in range(view.row_count)] == inline


# -- export -----------------------------------------------------------------------------------
def exports_of(record: Service) -> Path:
    """The export folder the app uses for this record: `exports` beside the database."""
    return Path(record.db_path()).parent / "exports"


async def test_export_a_clean_docx_then_confirm_overwriting(record: Service) -> None:
    negotiate(record)
    target = exports_of(record) / "clean.docx"
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert (screen.kind, screen.format) == ("clean", "docx")
        path = screen.query_one("#path", Input)
        assert path.value == "first-plan-clean.docx"
        assert str(exports_of(record)) in str(screen.query_one("#folder").render())
        path.value = "clean.docx"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert target.exists()
        assert zipfile.is_zipfile(target)
        assert screen.written == target
        assert f"Written: {target}" in str(screen.query_one("#written").render())
        await pilot.press("ctrl+s")  # again: the file exists
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert zipfile.is_zipfile(target)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.draft_screen


async def test_export_the_draft_file_losslessly(record: Service) -> None:
    negotiate(record)
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        choose(screen, "clean", "md")
        await pilot.pause()
        path = screen.query_one("#path", Input)
        assert path.value == "first-plan-draft.md"
        await pilot.press("ctrl+s")
        await settle(pilot)
        target = exports_of(record) / "first-plan-draft.md"
        assert target.read_text(encoding="utf-8") == record.export_draft(DOC)


async def test_export_the_clean_text_in_a_translation_language(record: Service) -> None:
    """A secretariat confined to the TUI prints the text in another official language; what
    is not translated is said, never silently."""
    negotiate(record)
    record.translate(DOC, "title", "fr", "Premier plan de travail")
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        choose(screen, "clean-all", "txt")
        language = screen.query_one("#language", Select)
        codes = [value for _, value in language._options]
        assert codes[0] == ""  # the original first, then the languages it is translated into
        assert "fr" in codes
        language.value = "fr"
        await pilot.pause()
        path = screen.query_one("#path", Input)
        assert path.value == "first-plan-clean-all-fr.txt"
        await pilot.press("ctrl+s")
        await settle(pilot)
        written = (exports_of(record) / "first-plan-clean-all-fr.txt").read_text(encoding="utf-8")
        assert "Premier plan de travail" in written
        assert "Original: " in written
        said = [n.message for n in app._notifications]
        assert any(m.startswith("Untranslated in fr") for m in said)


def choose(screen: ExportScreen, kind: str, fmt: str) -> None:
    """Press the radio buttons for a kind and a format."""
    for radio_set, ids, wanted in (("#kind", KINDS, kind), ("#format", FORMATS, fmt)):
        buttons = list(screen.query_one(radio_set).query(RadioButton))
        buttons[list(ids).index(wanted)].value = True


def files_under(root: Path) -> dict[str, bytes]:
    """Every file and link under `root` (links not followed), with its content; for the
    database's files (which reading changes) only that they are there, and that the
    database is still an SQLite file."""
    found: dict[str, bytes] = {}
    for p in sorted(root.rglob("*")):
        if p.is_symlink():
            found[str(p)] = b"-> " + str(p.readlink()).encode()
        elif p.name == "wg.db":
            found[str(p)] = p.read_bytes()[:16]  # b"SQLite format 3\0"
        elif p.name.startswith("wg.db-"):
            found[str(p)] = b"side file"
        elif p.is_file():
            found[str(p)] = p.read_bytes()
    return found


async def type_name(pilot: Pilot[None], name: str) -> None:
    """Clear the file name field and type `name` into it, key by key."""
    field = pilot.app.screen.query_one("#path", Input)
    field.focus()
    field.value = ""
    await pilot.pause()
    await pilot.press(*name)
    assert field.value == name


@pytest.mark.parametrize(
    "typed",
    [
        "../x",
        "../../authorized_keys2",
        "{tmp}/abs.txt",
        "/tmp/x",
        "~/.ssh/authorized_keys2",
        ".ssh",
        ".profile",
        "wg.db",
        "WG.DB",
        "wg.db-wal",
        "wg.db-writers",
        "roster.toml",
    ],
)
async def test_export_refuses_anything_but_a_file_name_in_the_folder(
    record: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, typed: str
) -> None:
    """A delegate held to the TUI types a path, a dotfile or the database's name: one line says
    why, no question is asked, and nothing is written anywhere (not even the folder)."""
    negotiate(record)
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "roster.toml").write_text("[logins]\n", encoding="utf-8")
    outside = Path("/tmp/x")
    outside_before = outside.exists() and outside.read_bytes()
    before = files_under(tmp_path)
    app = app_on(record, "CAN")
    told: list[tuple[str, str]] = []
    monkeypatch.setattr(app, "notify", lambda m, **kw: told.append((m, kw.get("severity", ""))))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        # the compilation as txt: the text a delegate controls, as in the attack
        choose(screen, "compilation", "txt")
        await pilot.pause()
        await type_name(pilot, typed.format(tmp=tmp_path))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen  # no "overwrite?" question, still the dialog
        assert len(told) == 1
        assert told[0][1] == "error"
        assert "\n" not in told[0][0]
        assert isinstance(screen, ExportScreen)
        assert screen.written is None
    assert files_under(tmp_path) == before
    assert (outside.exists() and outside.read_bytes()) == outside_before
    assert list((home / ".ssh").iterdir()) == []


async def test_export_a_compilation_as_txt_lands_in_the_folder_only(
    record: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    negotiate(record)
    monkeypatch.chdir(tmp_path)
    before = files_under(tmp_path)
    app = app_on(record, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        choose(screen, "compilation", "txt")
        await pilot.pause()
        await type_name(pilot, "authorized_keys2")
        await pilot.press("enter")
        await settle(pilot)
    target = exports_of(record) / "authorized_keys2"
    assert screen.written == target
    after = files_under(tmp_path)
    assert {k for k in after if before.get(k) != after[k]} == {str(target)}
    compilation = render(app.service.export_compilation(DOC), "txt")
    assert target.read_text(encoding="utf-8") == compilation


async def test_export_in_a_browser_is_a_download_and_writes_nothing(
    record: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    negotiate(record)
    monkeypatch.chdir(tmp_path)
    before = files_under(tmp_path)
    app = app_on(record, "CAN")
    monkeypatch.setattr(WorkplanApp, "is_web", property(lambda _self: True))
    delivered: list[tuple[bytes, str | None]] = []

    def deliver_binary(binary: BinaryIO, *, save_filename: str | None = None, **_: object) -> str:
        delivered.append((binary.read(), save_filename))
        return "key"

    monkeypatch.setattr(app, "deliver_binary", deliver_binary)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        assert "download" in str(screen.query_one("#folder").render())
        await type_name(pilot, "wg.db")  # still refused, even as a download name
        await pilot.press("enter")
        await settle(pilot)
        assert delivered == []
        choose(screen, "clean", "txt")
        await pilot.pause()
        await type_name(pilot, "plan.txt")
        await pilot.press("enter")
        await settle(pilot)
        assert "offered as a download" in str(screen.query_one("#written").render())
    assert files_under(tmp_path) == before
    assert not exports_of(record).exists()
    assert len(delivered) == 1
    data, name = delivered[0]
    assert name == "plan.txt"
    assert data.decode("utf-8") == render(record.export_clean(DOC), "txt")


async def test_a_screenshot_goes_into_the_export_folder_whatever_it_is_asked(
    record: Service, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's screenshot action takes a file name and a folder (a link in text could pass
    them): ours ignores both and writes into the export folder under its own name."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(tmp_path)
    app = app_on(record, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.run_action(f"app.screenshot('authorized_keys2', '{home / '.ssh'}')")
        await app.run_action("app.screenshot('../wg.db')")
        await pilot.pause()
    assert list((home / ".ssh").iterdir()) == []
    shots = sorted(p.name for p in exports_of(record).iterdir())
    assert shots
    assert all(n.startswith("screenshot-") and n.endswith(".svg") for n in shots)
    assert (tmp_path / "wg.db").read_bytes()[:16] == b"SQLite format 3\x00"


# -- help and the command palette -------------------------------------------------------------
async def test_help_lists_the_bindings_of_the_screen_and_the_app(record: Service) -> None:
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query_one(DataTable)
        rows = {tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)}
        assert ("d", "Dashboard", "everywhere", "dashboard") in rows
        assert ("F", "Freeze rev.", "DraftScreen", "freeze-revision") in rows
        by_id = {row[3]: row for row in rows}
        assert by_id["list-down"][1:3] == ("Down", "Outline")  # the focused widget's keys too
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.draft_screen


async def test_palette_offers_every_screen_and_the_theme(record: Service) -> None:
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        names = [name for name, _, _ in ScreenCommands(app.screen)._commands()]
        assert names[:8] == [
            "Open document (o)",
            "Dashboard (d)",
            "Revisions (v)",
            "Record (l)",
            "Export (e)",
            "Help (f1)",
            "Change theme",
            "Toggle light / dark theme",
        ]
        # then the draft screen's own actions, as far as the secretariat may take them
        assert {"Search (/)", "Filter (f)", "Amend (a)", "Freeze rev. (F)"} <= set(names)
        assert not any(name.startswith("Accept") for name in names)  # the chair's
        await pilot.press("ctrl+p", *"dashboard")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("ctrl+p", *"toggle light")
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "textual-light"
        assert not app.current_theme.dark


# -- live refresh -----------------------------------------------------------------------------
async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], seconds: float) -> bool:
    """Poll `condition` while the app runs, for at most `seconds`."""
    for _ in range(int(seconds / 0.1)):
        if condition():
            return True
        await pilot.pause(0.1)
    return condition()


async def test_another_process_changes_show_within_two_seconds(
    record: Service, db_path: Path, clock: Clock
) -> None:
    app = app_on(record)
    other = Service(connect(db_path), Principal.parse("USA"), clock=clock)  # its own connection
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down")
        assert outline(app).current_uid == "fp-op1"
        assert badge_of(app, "fp-op3") == "○N"
        other.record_position(DOC, "OP3", "object")
        assert await wait_for(pilot, lambda: badge_of(app, "fp-op3") == "◐U", 2.0)
        assert outline(app).current_uid == "fp-op1"


async def test_the_dashboard_refreshes_and_so_does_the_draft_when_back(
    record: Service, db_path: Path, clock: Clock
) -> None:
    app = app_on(record)
    other = Service(connect(db_path), Principal.parse("JAM"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen)
        stands = screen.query_one("#stands", DataTable)
        assert stands.row_count == 0
        other.record_position(DOC, "OP4", "object")
        assert await wait_for(pilot, lambda: stands.row_count == 1, 2.0)
        assert badge_of(app, "fp-op4") == "○N"  # the draft below waits until it is seen
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: badge_of(app, "fp-op4") == "◐U", 2.0)


async def test_refresh_under_an_editor_keeps_the_typed_text(
    record: Service, db_path: Path, clock: Clock
) -> None:
    app = app_on(record, "CAN")
    other = Service(connect(db_path), Principal.parse("USA"), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "a")
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, AmendmentEditor)
        await pilot.press(*"Promptly ")
        typed = editor.query_one(TextArea).text
        other.record_position(DOC, "OP1", "object")
        assert await wait_for(pilot, lambda: badge_of(app, "fp-op1") == "◐U", 2.0)
        assert app.screen is editor
        assert editor.query_one(TextArea).text == typed
        assert typed.startswith("Promptly Adopt")
        assert outline(app).current_uid == "fp-op1"


# -- layout -----------------------------------------------------------------------------------
def overflowing(app: WorkplanApp) -> list[str]:
    """Widgets cut off by the screen's edge with no scrolling ancestor to reach them."""
    screen = app.screen
    bad = []
    for widget in screen.walk_children(Widget):
        if not widget.display or not widget.region or screen.region.contains_region(widget.region):
            continue
        scrolls = [
            a
            for a in widget.ancestors
            if isinstance(a, Widget) and a is not screen
            if a.allow_vertical_scroll or a.allow_horizontal_scroll
        ]
        if not scrolls:
            bad.append(f"{widget!r} at {widget.region}")
    return bad


async def test_nothing_overflows_at_80x24(record: Service) -> None:
    negotiate(record)
    app = app_on(record)
    async with app.run_test(size=(80, 24)) as pilot:
        for keys in ([], ["d"], ["v"], ["e"], ["f1"]):
            await pilot.press(*keys)
            await settle(pilot)
            assert app.screen.region.size == (80, 24)
            assert overflowing(app) == [], (type(app.screen).__name__, overflowing(app))
            if isinstance(app.screen, DashboardScreen | RevisionsScreen):
                assert app.screen.has_class("-narrow")
            await pilot.press("escape")
            await pilot.pause()


# -- snapshots --------------------------------------------------------------------------------
def test_snapshot_draft_screen(record: Service, snap_compare) -> None:
    negotiate(record)
    assert snap_compare(app_on(record), terminal_size=SIZE, press=["down", "down"])


def test_snapshot_dashboard(record: Service, snap_compare) -> None:
    negotiate(record)
    assert snap_compare(app_on(record), terminal_size=SIZE, press=["d"])


def test_snapshot_diff_screen(record: Service, snap_compare) -> None:
    negotiate(record)

    async def compared(pilot: Pilot[None]) -> None:
        await pilot.press("v")
        await settle(pilot)

    assert snap_compare(app_on(record), terminal_size=SIZE, run_before=compared)


async def test_outline_click_moves_then_selects(record: Service) -> None:
    app = app_on(record)
    selected: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        listed = outline(app)
        original = listed.post_message

        def spy(message):
            if isinstance(message, Outline.ParagraphSelected):
                selected.append(message.uid)
            return original(message)

        listed.post_message = spy  # type: ignore[method-assign]
        # rows: Background, PP1, PP2, Prevention, Actions..., OP1 (the 6th row, y=5)
        row_of_op1 = listed.gutter.top + 5
        await pilot.click(Outline, offset=(10, row_of_op1))
        assert listed.current_uid == "fp-op1"
        await pilot.click(Outline, offset=(10, 3 + listed.gutter.top))  # a heading: nothing
        assert listed.current_uid == "fp-op1"
        await pilot.click(Outline, offset=(10, row_of_op1))  # again: selected
        assert selected == ["fp-op1"]
        await pilot.press("end")
        assert listed.current_uid == "fp-fu2"
        await pilot.press("home", "pagedown")
        assert listed.current_uid == "fp-fu2"


# -- record -----------------------------------------------------------------------------------
async def test_record_lists_filters_and_checks_the_chain(record: Service) -> None:
    from workplan.tui.screens.record import RecordScreen

    negotiate(record)
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RecordScreen)
        table = screen.query_one(DataTable)
        assert table.row_count == len(record.events(DOC))
        newest = record.events(DOC)[-1]
        assert screen.rows[0].id == newest.id  # newest first
        await pilot.press("slash", *"usa object")
        await pilot.pause()
        assert table.row_count == 1
        assert "USA" in screen.shown[0].who
        assert screen.shown[0].action == "position.recorded"
        await pilot.press("enter", "c")
        await settle(pilot)
        await pilot.pause()
        assert "Record intact" in str(screen.query_one("#check").render())
        await pilot.press("enter")  # the USA objection is on OP3: show it on the draft
        await pilot.pause()
        assert app.screen is app.draft_screen
        assert app.draft_screen.current_uid == record.draft(DOC).resolve("OP3").uid


async def test_record_check_reports_tampering(record: Service) -> None:
    from workplan.tui.screens.record import RecordScreen

    negotiate(record)
    record.db.execute("DROP TRIGGER IF EXISTS events_no_update")
    app = app_on(record)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("l", "c")
        await settle(pilot)
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen)
        assert "FAILED" in str(app.screen.query_one("#check").render())


async def test_header_says_who_acts_and_the_revision(record: Service) -> None:
    negotiate(record)
    app = app_on(record, "CAN")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        title = str(app.format_title(app.title, app.sub_title))
        assert title.startswith("Acting as: Canada (CAN) · single-user │ ")
        # The plan's own symbol is already "... rev. 1": its first revision here is rev. 2.
        assert record.revisions(DOC)[-1].symbol == "TEST/doc.1/14 rev. 2"
        assert "TEST/doc.1/14 rev. 2" in title
        header = str(app.screen.query_one("HeaderTitle").render())
        assert "Acting as: Canada (CAN)" in header  # visible at 80 columns


def test_log_rows_name_refusals_and_events_without_a_summary() -> None:
    from datetime import UTC, datetime

    from workplan.model import Event
    from workplan.tui.screens.record import log_row, matches

    at = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    refused = Event(
        id=7,
        at=at,
        actor="CAN",
        action="permission.refused",
        payload={"action": "paragraph.agree", "reason": "CAN (delegation) may not agree"},
        prev_hash="0" * 64,
        hash="1" * 64,
    )
    row = log_row(refused)
    assert row.summary == "refused paragraph.agree: CAN (delegation) may not agree"
    assert matches(row, "can refused")
    assert not matches(row, "usa")
    meta = refused.model_copy(
        update={"action": "document.metadata-changed", "payload": {"symbol": "CP/CSH-2001/22"}}
    )
    assert log_row(meta).summary == "symbol CP/CSH-2001/22"


async def test_export_reprints_a_revision_as_frozen(record: Service) -> None:
    """Rev. 1 chosen in the dialog: the file is rev. 1 exactly as `export --rev 1` prints it,
    whatever happened since; the working draft says it is one."""
    negotiate(record)  # rev. 1, then amendments accepted, objections, silence
    app = app_on(record, "CAN")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        choose(screen, "compilation", "txt")
        await pilot.pause()
        assert screen.revision is None
        assert screen.query_one("#path", Input).value == "first-plan-compilation.txt"
        screen.query_one("#revision", Select).value = "1"
        await pilot.pause()
        assert screen.revision == "1"
        assert screen.query_one("#path", Input).value == "first-plan-compilation-rev1.txt"
        await pilot.press("ctrl+s")
        await settle(pilot)
        choose(screen, "clean", "md")  # a revision in md: its text in Markdown
        await pilot.pause()
        assert screen.query_one("#path", Input).value == "first-plan-clean-rev1.md"
        await pilot.press("ctrl+s")
        await settle(pilot)
    folder = exports_of(record)
    reprint = (folder / "first-plan-compilation-rev1.txt").read_text(encoding="utf-8")
    assert reprint == render(record.export_compilation(DOC, rev=1), "txt")
    assert "Working draft" not in reprint
    assert NEW_OP1 not in reprint  # A1 was accepted after rev. 1
    markdown = (folder / "first-plan-clean-rev1.md").read_text(encoding="utf-8")
    assert markdown.startswith("TEST/Ser.K/1\\\n")  # no organ known
    assert "rev. 1" in markdown
    assert f"\n{record.revisions(DOC)[0].symbol}\n2 March 2026\n" in reprint
    # The working text never wears rev. 1's symbol: it says what it is.
    working = render(record.export_compilation(DOC), "txt")
    assert "\nWorking draft after rev. 1, printed " in working
    assert f"\n{record.revisions(DOC)[0].symbol}\n" not in working
