"""Silence deadlines without a time zone are read in the working group's zone (a document
setting, default the host's), echoed with the zone and shown locally with UTC beside.

Every zone here is named (the host's is pinned to UTC by tests/conftest.py); the clock is
2026-03-02 14:00 UTC. US clocks go forward on 8 March 2026 and back on 1 November 2026.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from tests.conftest import PLAN

from workplan.cli import cli
from workplan.errors import InputError
from workplan.service import Service
from workplan.service.decisions import parse_deadline
from workplan.service.zones import describe, describe_short, host_zone_name
from workplan.tui.app import make_app
from workplan.tui.widgets.outline import Outline
from workplan.tui.widgets.paragraph_view import ParagraphView

NY = ZoneInfo("America/New_York")
DOC = "third-work-plan"
NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
Make = Callable[..., Service]


def test_a_time_without_a_zone_is_read_in_the_groups_zone() -> None:
    assert parse_deadline("2026-03-05T17:00", NOW, NY) == datetime(2026, 3, 5, 22, tzinfo=UTC)
    assert parse_deadline("2026-03-05 17:00", NOW, NY) == datetime(2026, 3, 5, 22, tzinfo=UTC)
    # after the clocks go forward: EDT, four hours behind UTC
    assert parse_deadline("2026-03-09T17:00", NOW, NY) == datetime(2026, 3, 9, 21, tzinfo=UTC)
    # a zone or an offset written says its own
    assert parse_deadline("2026-03-05T17:00Z", NOW, NY) == datetime(2026, 3, 5, 17, tzinfo=UTC)
    assert parse_deadline("2026-03-05T17:00+01:00", NOW, NY) == datetime(2026, 3, 5, 16, tzinfo=UTC)
    # without a zone given, UTC (as before)
    assert parse_deadline("2026-03-05T17:00", NOW) == datetime(2026, 3, 5, 17, tzinfo=UTC)


def test_relative_deadlines_are_unchanged_by_the_zone_even_across_the_clock_change() -> None:
    before = datetime(2026, 3, 6, 14, tzinfo=UTC)
    for tz in (UTC, NY, ZoneInfo("Asia/Tokyo")):
        assert parse_deadline("+72h", before, tz) == before + timedelta(hours=72)
        assert parse_deadline("+3d", before, tz) == before + timedelta(days=3)
    # 72 hours that span the change read 14:00 EDT where they started at 09:00 EST
    assert describe(parse_deadline("+72h", before, NY), NY) == "2026-03-09 10:00 EDT (14:00 UTC)"


def test_a_time_the_clocks_skip_is_refused_and_a_doubled_one_is_the_first() -> None:
    with pytest.raises(InputError, match="2026-03-08 02:30 does not exist in America/New_York"):
        parse_deadline("2026-03-08T02:30", NOW, NY)
    first = parse_deadline("2026-11-01T01:30", NOW, NY)
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, not EST
    assert describe(first, NY) == "2026-11-01 01:30 EDT (05:30 UTC)"


def test_deadlines_are_shown_locally_with_utc_beside() -> None:
    at = datetime(2027, 3, 5, 22, tzinfo=UTC)
    assert describe(at, NY) == "2027-03-05 17:00 EST (22:00 UTC)"
    assert describe(at, UTC) == "2027-03-05 22:00 UTC"
    assert describe(at, ZoneInfo("Etc/UTC")) == "2027-03-05 22:00 UTC"
    assert describe(at, ZoneInfo("Asia/Tokyo")) == "2027-03-06 07:00 JST (2027-03-05 22:00 UTC)"
    assert describe(at, ZoneInfo("Europe/London")) == "2027-03-05 22:00 GMT (22:00 UTC)"
    assert describe_short(at, NY) == "05 Mar 17:00 EST (22:00 UTC)"
    assert describe_short(at, UTC) == "05 Mar 22:00 UTC"


def test_the_hosts_zone_is_what_tz_names(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/Lima")
    assert host_zone_name() == "America/Lima"
    monkeypatch.setenv("TZ", ":Europe/Madrid")
    assert host_zone_name() == "Europe/Madrid"


def test_the_document_setting_is_checked_recorded_and_read(svc: Service, as_: Make) -> None:
    assert svc.time_zone(DOC).key == "UTC"  # the host's (pinned in tests)
    doc = svc.set_metadata(DOC, timezone="America/New_York")
    assert doc.metadata["timezone"] == "America/New_York"
    assert svc.events(DOC)[-1].payload["summary"] == "timezone America/New_York"
    assert svc.time_zone(DOC) == NY
    with pytest.raises(InputError, match="unknown time zone 'Eastern'"):
        svc.set_metadata(DOC, timezone="Eastern")
    with pytest.raises(InputError, match="unknown time zone"):
        svc.set_metadata(DOC, timezone="../../etc/passwd")
    chair = as_("CHAIR")
    deadline = chair.silence(DOC, ["OP1"], "2026-03-05T17:00")
    assert deadline == datetime(2026, 3, 5, 22, tzinfo=UTC)
    event = svc.events(DOC)[-1]
    assert event.payload["timezone"] == "America/New_York"
    assert event.payload["summary"].endswith("under silence until 2026-03-05 17:00 EST (22:00 UTC)")
    assert svc.status(DOC)["timezone"] == "America/New_York"
    with pytest.raises(InputError, match=r"2026-03-01 17:00 EST \(22:00 UTC\) is in the past"):
        chair.silence(DOC, ["OP2"], "2026-03-01T17:00")
    assert svc.set_metadata(DOC, timezone="none").metadata.get("timezone") is None
    assert svc.time_zone(DOC).key == "UTC"
    assert svc.verify() == []


def test_the_zone_survives_the_draft_format_round_trip(svc: Service) -> None:
    svc.set_metadata(DOC, timezone="America/New_York")
    text = svc.export_draft(DOC)
    assert "timezone: America/New_York" in text
    from workplan.formats.draft_md import parse_draft, write_draft

    assert write_draft(parse_draft(text)) == text


def _cli(db: Path, who: str, *args: str) -> object:
    r = CliRunner().invoke(cli, ["--db", str(db), "--as", who, *args])
    assert r.exit_code == 0, r.output
    return r.output


def test_cli_meta_silence_and_status_give_the_zone(tmp_path: Path) -> None:
    db = tmp_path / "wg.db"
    _cli(db, "SECRETARIAT", "init", "--from-file", str(PLAN))
    data = json.loads(str(_cli(db, "SECRETARIAT", "meta", "--json")))
    assert (data["timezone"], data["timezone_from"]) == ("UTC", "host")
    out = str(_cli(db, "SECRETARIAT", "meta", "--timezone", "America/New_York"))
    assert out.splitlines()[-1] == "time zone: America/New_York"
    data = json.loads(str(_cli(db, "SECRETARIAT", "meta", "--json")))
    assert (data["timezone"], data["timezone_from"]) == ("America/New_York", "document")
    assert data["metadata"]["timezone"] == "America/New_York"
    out = str(_cli(db, "CHAIR", "silence", "OP1", "--until", "2027-03-05T17:00"))
    assert out == "under silence until 2027-03-05 17:00 EST (22:00 UTC): OP1\n"
    data = json.loads(
        str(_cli(db, "CHAIR", "silence", "OP2", "--until", "2027-07-05 09:30", "--json"))
    )
    assert data["until"] == "2027-07-05T13:30:00+00:00"
    assert data["until_local"] == "2027-07-05T09:30:00-04:00"
    assert data["timezone"] == "America/New_York"
    status = str(_cli(db, "OBSERVER", "status"))
    assert "silence until 2027-03-05 17:00 EST (22:00 UTC)" in status
    assert "silence until 2027-07-05 09:30 EDT (13:30 UTC)" in status
    assert json.loads(str(_cli(db, "OBSERVER", "status", "--json")))["timezone"] == (
        "America/New_York"
    )
    r = CliRunner().invoke(
        cli, ["--db", str(db), "--as", "CHAIR", "silence", "OP3", "--until", "2027-03-14T02:30"]
    )
    assert r.exit_code == 65
    assert r.output == (
        "workplan: 2027-03-14 02:30 does not exist in America/New_York"
        " (the clocks go forward then): give another time\n"
    )


async def test_tui_shows_local_time_with_utc_beside_and_reads_typed_times_locally(
    svc: Service,
    as_: Make,
) -> None:
    svc.set_metadata(DOC, timezone="America/New_York")
    as_("CHAIR").silence(DOC, ["OP1"], "+72h")
    app = make_app(as_("CHAIR"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        outline = app.draft_screen.query_one(Outline)
        op1 = svc.draft(DOC).resolve("OP1").uid
        op2 = svc.draft(DOC).resolve("OP2").uid
        assert outline.move_to(op1)
        await pilot.pause()
        shown = str(app.draft_screen.query_one(ParagraphView).render())
        assert "silence until 2026-03-05 09:00 EST (14:00 UTC) · 3d 00h 00m left" in shown
        assert outline.move_to(op2)
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert "a time in America/New_York" in str(app.screen.query_one("Label").render())
        await pilot.press("ctrl+a", "ctrl+k", *"2026-03-09 17:00", "enter")
        await pilot.pause()
        rows = {p["uid"]: p for p in svc.status(DOC)["paragraphs"]}
        assert rows[op2]["silence_until"] == "2026-03-09T21:00:00+00:00"  # EDT by then
        await pilot.press("d")
        await pilot.pause()
        from textual.widgets import DataTable

        table = app.screen.query_one("#silence", DataTable)
        cells = [str(c) for row in range(table.row_count) for c in table.get_row_at(row)]
        assert "05 Mar 09:00 EST (14:00 UTC)" in cells
        assert "09 Mar 17:00 EDT (21:00 UTC)" in cells


def test_a_silence_shorter_than_practice_is_taken_and_said(tmp_path: Path) -> None:
    db = tmp_path / "wg.db"
    runner = CliRunner()
    init = ["--db", str(db), "--as", "SECRETARIAT", "init", "--from-file", str(PLAN)]
    assert runner.invoke(cli, init).exit_code == 0
    short = runner.invoke(
        cli, ["--db", str(db), "--as", "CHAIR", "silence", "OP1", "--until", "+1h"]
    )
    assert short.exit_code == 0
    assert "under silence until" in short.stdout
    assert "at least 72 hours" in short.stderr
    usual = runner.invoke(
        cli, ["--db", str(db), "--as", "CHAIR", "silence", "OP2", "--until", "+72h"]
    )
    assert usual.exit_code == 0
    assert usual.stderr == ""
