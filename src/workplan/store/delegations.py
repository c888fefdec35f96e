"""The roster of delegations."""

from __future__ import annotations

from sqlite_utils import Database

from workplan.model import Delegation
from workplan.store import rows
from workplan.store.rows import Change


def list_delegations(db: Database) -> list[Delegation]:
    """Every delegation, by code."""
    return [
        Delegation(code=r[0], name_en=r[1], name_es=r[2], active=bool(r[3]), note=r[4])
        for r in db.execute(
            "SELECT code, name_en, name_es, active, note FROM delegations ORDER BY code"
        )
    ]


def insert_delegations(db: Database, delegations: list[Delegation]) -> Change:
    """Add delegations (set-based)."""
    return rows.put_many(
        db,
        "delegations",
        [
            {
                "code": d.code,
                "name_en": d.name_en,
                "name_es": d.name_es,
                "active": int(d.active),
                "note": d.note,
            }
            for d in delegations
        ],
    )


def is_initialised(db: Database) -> bool:
    """True once `init` has run (the roster is loaded)."""
    count: int = db.execute("SELECT count(*) FROM delegations").fetchone()[0]
    return count > 0
