"""Where things live. Computed on call, never at import."""

from __future__ import annotations

import os
from pathlib import Path


def default_db_path() -> Path:
    """The record: `$WORKPLAN_DB`, else `workplan.db` in the user data dir."""
    env = os.environ.get("WORKPLAN_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("workplan", appauthor=False) / "workplan.db"


def export_dir(db_path: str | Path, chosen: str | Path | None = None) -> Path:
    """The one folder the TUI (and `serve`) writes exports into, absolute.

    `chosen` (the operator's `--export-dir`), else `$WORKPLAN_EXPORT_DIR`, else `exports`
    beside the database. Never anything a TUI user types.
    """
    picked = chosen or os.environ.get("WORKPLAN_EXPORT_DIR")
    if picked:
        return Path(picked).expanduser().absolute()
    return Path(db_path).expanduser().absolute().parent / "exports"


def drafts_dir() -> Path:
    """The shipped draft texts: packaged as `workplan/drafts`, or the checkout's `drafts/`."""
    packaged = Path(__file__).parent / "drafts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "drafts"


def starting_plan_path() -> Path:
    """The Second Work Plan in the draft format, the starting plan `init` imports."""
    return drafts_dir() / "second-work-plan-2015-2020.md"
