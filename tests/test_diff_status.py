"""The diff lists renumbered paragraphs (`OP1 → OP2`) and changes of status and reservations
between its two sides: rev. 1 against rev. 2, a revision against the working draft. Between
two files there is no status: nothing of the kind is shown."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from tests.conftest import PLAN

from workplan.cli import cli
from workplan.diff_render import render_porcelain, render_text
from workplan.service import Service
from workplan.service.compare import compare_files

DOC = "third-work-plan"
INSERTED = "Protect witnesses and their families."
RESERVATION = "Jamaica does not join the reference to campaigns in every language."


def scenario(svc: Service, as_) -> None:
    """Rev. 1; then BRA's insertion after OP1 accepted (OP1 bis), JAM's reservation R1 on OP3,
    PP1 agreed; rev. 2 renumbers (OP1 bis → OP2, OP2 → OP3, ...)."""
    svc.revise(DOC)
    am = as_("BRA").propose(DOC, "OP1", "insert", text=INSERTED)
    chair = as_("CHAIR")
    chair.decide(DOC, am.id, "accept")
    as_("JAM").reserve(DOC, ["OP3"], text=RESERVATION)
    chair.agree(DOC, ["PP1"])
    svc.revise(DOC)


def test_two_revisions_list_renumbered_paragraphs_and_changes_of_status_and_reservations(
    svc: Service, as_
) -> None:
    scenario(svc, as_)
    _, _, diff = svc.compare(DOC, "1", "2")
    listed = {(p.a_ref, p.b_ref): p for p in diff.listed}
    assert set(listed) == {
        ("PP1", "PP1"),
        ("", "OP2"),  # the insertion
        ("OP2", "OP3"),
        ("OP3", "OP4"),
        ("OP4", "OP5"),
    }
    pp1 = listed["PP1", "PP1"]
    assert (pp1.status, pp1.a_status, pp1.b_status) == ("unchanged", "not-discussed", "agreed")
    assert pp1.status_changed
    assert not pp1.changed
    assert listed["OP2", "OP3"].status == "renumbered"
    assert not listed["OP2", "OP3"].noted
    op3 = listed["OP3", "OP4"]
    assert op3.reservations_added == ("R1 (Jamaica)",)
    assert op3.reservations_removed == ()
    assert (op3.a_status, op3.b_status) == ("not-discussed", "under-negotiation")
    assert diff.summary["renumbered"] == 3
    assert (diff.summary["status_changed"], diff.summary["reservations_changed"]) == (2, 1)

    text = render_text(diff)
    assert "PP1  [status changed]\n  status: not yet discussed → agreed\n\n" in text
    assert "OP2 → OP3  [renumbered]\n\n" in text  # named, its text not reprinted
    assert "OP3 → OP4  [renumbered]\n  status: not yet discussed → under negotiation\n" in text
    assert "  reservations: + R1 (Jamaica)\n" in text
    assert text.rstrip().endswith(
        "3 renumbered, 1 inserted, 2 status changes, 1 reservation change"
    )
    porcelain = render_porcelain(diff).splitlines()
    at = next(i for i, line in enumerate(porcelain) if line.startswith("@@ renumbered - OP3 OP4"))
    assert porcelain[at + 1 : at + 3] == [
        "@status not-discussed under-negotiation",
        "@reservation + R1 (Jamaica)",
    ]


def test_a_revision_against_the_draft_shows_a_reservation_withdrawn_and_a_paragraph_reopened(
    svc: Service, as_
) -> None:
    scenario(svc, as_)
    as_("JAM").unreserve(DOC, "R1")
    as_("CHAIR").reopen(DOC, ["PP1"])
    _, _, diff = svc.compare(DOC)  # the last revision against the working draft
    listed = {p.b_ref: p for p in diff.listed}
    assert set(listed) == {"PP1", "OP4"}  # refs hold still: nothing renumbered since rev. 2
    assert (listed["PP1"].a_status, listed["PP1"].b_status) == ("agreed", "not-discussed")
    assert listed["OP4"].reservations_removed == ("R1 (Jamaica)",)
    assert not listed["OP4"].status_changed  # JAM's stance stays on the record


def test_files_have_no_status_and_their_renumbering_is_not_listed(tmp_path: Path) -> None:
    old = PLAN.read_text(encoding="utf-8")
    new = old.replace(
        "{#fp-op1 .operative}", f"{{#fp-new .operative}}\n{INSERTED}\n\n{{#fp-op1 .operative}}"
    )
    x, y = tmp_path / "old.md", tmp_path / "new.md"
    x.write_text(old, encoding="utf-8")
    y.write_text(new, encoding="utf-8")
    _, _, diff = compare_files(x, y)
    assert [p.status for p in diff.listed] == ["inserted"]
    assert any(p.renumbered for p in diff.paragraphs)  # OP1 → OP2..., but not listed
    assert not any(p.a_status or p.b_status or p.noted for p in diff.paragraphs)
    assert diff.summary["status_changed"] == diff.summary["reservations_changed"] == 0


def test_cli_diff_json_and_text_name_renumbering_status_and_reservations(tmp_path: Path) -> None:
    db, runner = tmp_path / "wg.db", CliRunner()

    def wp(who: str | None, *args: str) -> Result:
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        r = runner.invoke(cli, [*pre, *args], catch_exceptions=False)
        assert r.exit_code == 0, r.output
        return r

    wp("SECRETARIAT", "init", "--from-file", str(PLAN))
    wp("SECRETARIAT", "revise")
    wp("BRA", "amend", "--insert-after", "OP1", "--text", INSERTED)
    wp("CHAIR", "decide", "A1", "accept")
    wp("JAM", "reserve", "OP3", "--text", RESERVATION)
    wp("CHAIR", "agree", "PP1")
    wp("SECRETARIAT", "revise")

    data = json.loads(wp(None, "diff", "1", "2", "--format", "json").output)
    rows = [
        (
            p["status"],
            p["a_ref"],
            p["b_ref"],
            p["a_status"],
            p["b_status"],
            p["reservations_added"],
            p["reservations_removed"],
        )
        for p in data["paragraphs"]
    ]
    assert rows == [
        ("unchanged", "PP1", "PP1", "not-discussed", "agreed", [], []),
        ("inserted", "", "OP2", None, None, [], []),
        ("renumbered", "OP2", "OP3", "not-discussed", "not-discussed", [], []),
        ("renumbered", "OP3", "OP4", "not-discussed", "under-negotiation", ["R1 (Jamaica)"], []),
        ("renumbered", "OP4", "OP5", "not-discussed", "not-discussed", [], []),
    ]
    assert data["paragraphs"][0]["status_changed"] is True
    assert data["summary"]["status_changed"] == 2

    text = wp(None, "diff", "rev. 1", "rev. 2").output
    assert "OP4 → OP5  [renumbered]" in text
    assert "  reservations: + R1 (Jamaica)" in text
    assert "  status: not yet discussed → agreed" in text
    md = wp(None, "diff", "1", "2", "--format", "md").output
    assert "**OP3 → OP4** (renumbered)" in md
    assert "_reservations: + R1 (Jamaica)_" in md
    html = wp(None, "diff", "1", "2", "--format", "html").output
    assert '<div class="status">status: not yet discussed → agreed</div>' in html


async def test_the_tui_diff_screen_lists_renumbering_status_and_reservations(
    svc: Service, as_
) -> None:
    from workplan.tui.app import make_app
    from workplan.tui.screens.revisions import RevisionsScreen
    from workplan.tui.widgets.diff_view import DiffView

    scenario(svc, as_)
    app = make_app(as_("USA"), document=DOC)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("v")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RevisionsScreen)
        assert [s.label for s in screen.sides] == [
            "predecessor plan",
            "rev. 1",
            "rev. 2",
            "working draft",
        ]
        await pilot.press("home", "down", "space", "down", "space", "c")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.compared == ("1", "2")
        view = screen.query_one(DiffView)
        assert [(e.a_ref, e.b_ref) for e in view.entries] == [
            ("PP1", "PP1"),
            ("", "OP2"),
            ("OP2", "OP3"),
            ("OP3", "OP4"),
            ("OP4", "OP5"),
        ]
        rows = [str(view.row_content(i)) for i in range(view.row_count)]
        assert rows[:3] == ["PP1  status changed", "  status: not yet discussed → agreed", ""]
        at = rows.index("OP3 → OP4  renumbered")
        assert rows[at + 1 : at + 4] == [
            "  status: not yet discussed → under negotiation",
            "  reservations: + R1 (Jamaica)",
            "",
        ]
        assert rows[rows.index("OP2 → OP3  renumbered") + 1] == ""  # its text is not reprinted
        summary = str(screen.query_one("#diff-summary").render())
        assert summary.endswith(
            ": 3 renumbered, 1 inserted, 2 status changes, 1 reservation change"
        )
        await pilot.press("u")  # unchanged too: every paragraph, each with its text
        assert len(view.entries) == 9
        rows = [str(view.row_content(i)) for i in range(view.row_count)]
        assert rows[rows.index("OP2 → OP3  renumbered") + 1].strip().startswith("Train")
