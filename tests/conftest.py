"""Shared fixtures: an in-memory record, services acting as each role, a small plan file."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from workplan.cli import cli as workplan_cli
from workplan.model import Principal
from workplan.service import Service
from workplan.store import connect

FIXTURES = Path(__file__).parent / "fixtures"
PLAN = FIXTURES / "plan_small.md"


class Clock:
    """A controllable UTC clock for services under test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        """Move the clock forward."""
        self.now += timedelta(**kwargs)


@pytest.fixture(autouse=True)
def host_zone_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """The host's time zone (a document's default) is UTC in every test, whatever the
    machine's: a test wanting another zone sets it on the document."""
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture(autouse=True)
def pause_waits_for_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    """`pilot.pause()` (and so `pilot.press`) first waits for the app's workers: the TUI's
    actions and loads run in worker threads, and a test reads their effect after a pause.
    A test that must press keys while a worker is held (a busy record) sets the app's
    `pause_waits_for_workers` to False."""
    from textual.pilot import Pilot
    from textual.worker import WorkerCancelled, WorkerError, WorkerFailed, WorkerState

    original = Pilot.pause

    async def pause(self: Pilot[object], delay: float | None = None) -> None:
        waits = getattr(self.app, "pause_waits_for_workers", True)
        for worker in list(self.app.workers) if waits else []:
            if worker.state in (WorkerState.PENDING, WorkerState.RUNNING):
                # a test that cares about a failed worker reads the worker's state itself
                with contextlib.suppress(WorkerCancelled, WorkerFailed, WorkerError):
                    await worker.wait()
        await original(self, delay)

    monkeypatch.setattr(Pilot, "pause", pause)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "wg.db"


@pytest.fixture
def svc(db_path: Path, clock: Clock) -> Service:
    """An initialised record (roster, the small plan, the third plan started from it)."""
    s = Service(connect(db_path), Principal(id="SECRETARIAT"), clock=clock)
    s.initialise(PLAN)
    return s


@pytest.fixture
def as_(svc: Service, clock: Clock):
    """Factory: the same record, acting as another principal."""

    def make(who: str, on_behalf_of: str | None = None) -> Service:
        return Service(svc.db, Principal.parse(who), on_behalf_of=on_behalf_of, clock=clock)

    return make


class Cli:
    """`workplan` run in-process with click's CliRunner, on one record, as a given principal."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self._runner = CliRunner()

    def __call__(self, who: str | None, *args: str) -> Result:
        """`workplan --db DB [--as WHO] ARGS...` (no --as when `who` is None); errors propagate."""
        pre = ["--db", str(self.db)] + (["--as", who] if who else [])
        return self._runner.invoke(workplan_cli, [*pre, *args], catch_exceptions=False)

    def ok(self, who: str | None, *args: str) -> Result:
        """The same, asserting the command succeeded."""
        result = self(who, *args)
        assert result.exit_code == 0, result.output
        return result


@pytest.fixture
def cli_empty(db_path: Path) -> Cli:
    """The CLI on the test's record file, not created yet (`init` creates it)."""
    return Cli(db_path)


@pytest.fixture
def cli(cli_empty: Cli) -> Cli:
    """The CLI on an initialised record (roster, the small plan, the third plan from it)."""
    cli_empty.ok("SECRETARIAT", "init", "--from-file", str(PLAN))
    return cli_empty
