"""What the picture scripts (`render_exports.py`, `screenshots.py`) share: a fresh record
negotiated on a fixed clock, and headless Chromium."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from workplan.model import Principal
from workplan.service import Service
from workplan.store import create_record


class Clock:
    """A clock that moves a minute per action, so the record reads like a meeting."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 3, 14, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


def start_record(db_path: Path) -> tuple[Service, Callable[[str], Service]]:
    """A new record at `db_path` with the shipped plans, as the secretariat, on a `Clock`; and
    a factory for the same record acting as another principal."""
    clock = Clock()
    svc = Service(create_record(db_path), Principal(id="SECRETARIAT"), clock=clock)
    svc.initialise()

    def as_(who: str) -> Service:
        return Service(svc.db, Principal.parse(who), clock=clock)

    return svc, as_


def chromium(*args: str, timeout: float) -> None:
    """Run headless Chromium (a private profile, no background traffic) with `args`."""
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        raise SystemExit("needs Chromium: sudo apt-get install chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                f"--user-data-dir={profile}",
                *args,
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
