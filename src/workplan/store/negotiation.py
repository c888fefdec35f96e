"""Amendments, positions, reservations and revisions: rows in, models out."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from workplan.model.negotiation import (
    Amendment,
    AmendmentKind,
    AmendmentStatus,
    Placement,
    Position,
    Reservation,
    Revision,
)
from workplan.store import rows
from workplan.store.documents import trusted
from workplan.store.read import renumbered as renumbered
from workplan.store.read import stance_rows as stance_rows
from workplan.store.rows import Change

_AM_COLUMNS = (
    "document, id, kind, target, anchor, placement, section, new_kind, text, base_text,"
    " base_version, patch, proposer, cosponsors, justification, status, needs_rebase,"
    " rebase_failures, created_at, decided_at, result_uid"
)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def amendment_row(a: Amendment, seq: int) -> dict[str, Any]:
    """The row for an amendment."""
    return {
        "document": a.document,
        "id": a.id,
        "seq": seq,
        "kind": str(a.kind),
        "target": a.target,
        "anchor": a.anchor,
        "placement": str(a.placement) if a.placement else None,
        "section": a.section,
        "new_kind": a.new_kind,
        "text": a.text,
        "base_text": a.base_text,
        "base_version": a.base_version,
        "patch": a.patch,
        "proposer": a.proposer,
        "cosponsors": json.dumps(a.cosponsors),
        "justification": a.justification,
        "status": str(a.status),
        "needs_rebase": int(a.needs_rebase),
        "rebase_failures": json.dumps(a.rebase_failures, ensure_ascii=False),
        "created_at": _iso(a.created_at),
        "decided_at": _iso(a.decided_at),
        "result_uid": a.result_uid,
    }


_AM_KEYS = tuple(c.strip() for c in _AM_COLUMNS.split(","))


def _json_list(value: str) -> list[str]:
    return [] if value == "[]" else list(json.loads(value))


def _amendment(row: tuple[Any, ...]) -> Amendment:
    """An amendment from its row (validated when written; built without validating again:
    every action reads all of a document's amendments inside its write lock)."""
    d = dict(zip(_AM_KEYS, row, strict=True))
    d["kind"] = AmendmentKind(d["kind"])
    d["placement"] = Placement(d["placement"]) if d["placement"] else None
    d["status"] = AmendmentStatus(d["status"])
    d["cosponsors"] = _json_list(d["cosponsors"])
    d["rebase_failures"] = _json_list(d["rebase_failures"])
    d["needs_rebase"] = bool(d["needs_rebase"])
    d["created_at"] = datetime.fromisoformat(d["created_at"])
    d["decided_at"] = _dt(d["decided_at"])
    return trusted(Amendment, d)


def amendments(db: Database, document: str) -> list[Amendment]:
    """A document's amendments, in the order proposed."""
    return [
        _amendment(r)
        for r in db.execute(
            f"SELECT {_AM_COLUMNS} FROM amendments WHERE document = ? ORDER BY seq", [document]
        )
    ]


def next_seq(db: Database, table: str, document: str) -> int:
    """The next sequence number for amendments or reservations in a document."""
    row = db.execute(f"SELECT max(seq) FROM {table} WHERE document = ?", [document]).fetchone()
    return (row[0] or 0) + 1


def position_row(p: Position) -> dict[str, Any]:
    """The row for a position."""
    return {
        "document": p.document,
        "target": p.target,
        "delegation": p.delegation,
        "stance": str(p.stance),
        "comment": p.comment,
        "at": _iso(p.at),
    }


PositionRow = tuple[str, str, str, str]
"""A position as stored: (delegation, stance, comment, at)."""


def target_position_rows(db: Database, document: str, target: str) -> list[PositionRow]:
    """The positions on one target (one indexed query), as plain rows."""
    return [
        (d, s, c, a)
        for d, s, c, a in db.execute(
            "SELECT delegation, stance, comment, at FROM positions"
            " WHERE document = ? AND target = ? ORDER BY delegation",
            [document, target],
        )
    ]


def reservations(db: Database, document: str) -> list[Reservation]:
    """A document's reservations with the paragraphs they are attached to (two queries)."""
    links: dict[str, list[str]] = {}
    for res, para in db.execute(
        "SELECT reservation, paragraph FROM reservation_links WHERE document = ? ORDER BY seq",
        [document],
    ):
        links.setdefault(res, []).append(para)
    return [
        Reservation(
            document=document,
            id=r[0],
            delegation=r[1],
            text=r[2],
            withdrawn=bool(r[3]),
            created_at=datetime.fromisoformat(r[4]),
            paragraphs=links.get(r[0], []),
        )
        for r in db.execute(
            "SELECT id, delegation, text, withdrawn, created_at FROM reservations"
            " WHERE document = ? ORDER BY seq",
            [document],
        )
    ]


def next_link_seq(db: Database, document: str) -> int:
    """The next attachment order number in a document."""
    row = db.execute(
        "SELECT max(seq) FROM reservation_links WHERE document = ?", [document]
    ).fetchone()
    return (row[0] or 0) + 1


def revisions(db: Database, document: str, *, with_snapshot: bool = False) -> list[Revision]:
    """A document's revisions in order."""
    cols = "document, number, symbol, at, chain_head" + (", snapshot" if with_snapshot else "")
    return [
        Revision(
            document=r[0],
            number=r[1],
            symbol=r[2],
            at=datetime.fromisoformat(r[3]),
            chain_head=r[4],
            snapshot=json.loads(r[5]) if with_snapshot else {},
        )
        for r in db.execute(
            f"SELECT {cols} FROM revisions WHERE document = ? ORDER BY number", [document]
        )
    ]


def revision(db: Database, document: str, number: int) -> Revision | None:
    """One revision with its snapshot."""
    row = db.execute(
        "SELECT document, number, symbol, at, chain_head, snapshot FROM revisions"
        " WHERE document = ? AND number = ?",
        [document, number],
    ).fetchone()
    if not row:
        return None
    return Revision(
        document=row[0],
        number=row[1],
        symbol=row[2],
        at=datetime.fromisoformat(row[3]),
        chain_head=row[4],
        snapshot=json.loads(row[5]),
    )


def positions_of(db: Database, document: str, delegation: str) -> set[str]:
    """The targets (paragraph uids, amendment ids) a delegation holds a position on (not
    `none`)."""
    return {
        row[0]
        for row in db.execute(
            "SELECT target FROM positions WHERE document = ? AND delegation = ?"
            " AND stance != 'none'",
            [document, delegation],
        )
    }


def silence_due(db: Database, document: str, now: datetime) -> list[str]:
    """Uids of the document's paragraphs under silence whose deadline is `now` or earlier."""
    return [
        r[0]
        for r in db.execute(
            "SELECT uid FROM paragraphs WHERE document = ? AND decision = 'silence'"
            " AND silence_until <= ?",
            [document, now.isoformat()],
        )
    ]


def put_amendment(db: Database, a: Amendment) -> Change:
    """Insert or replace an amendment (its sequence number is its id's: A3 is 3)."""
    return rows.put(db, "amendments", amendment_row(a, int(a.id[1:])))


def put_position(db: Database, p: Position) -> Change:
    """Insert or replace a delegation's position on a target."""
    return rows.put(db, "positions", position_row(p))


def put_reservation(db: Database, r: Reservation, seq: int) -> Change:
    """Insert a new reservation (its links are written by `put_reservation_links`)."""
    return put_reservations(db, [(r, seq)])


def put_reservations(db: Database, items: list[tuple[Reservation, int]]) -> Change:
    """Insert many new reservations, each with its sequence number."""
    return rows.put_many(
        db,
        "reservations",
        [
            {
                "document": r.document,
                "id": r.id,
                "seq": seq,
                "delegation": r.delegation,
                "text": r.text,
                "withdrawn": int(r.withdrawn),
                "created_at": r.created_at.isoformat(),
            }
            for r, seq in items
        ],
    )


def update_reservation(db: Database, document: str, rid: str, cols: dict[str, Any]) -> Change:
    """Update some columns of a reservation (`text`, `withdrawn`)."""
    return rows.update(db, "reservations", {"document": document, "id": rid}, cols)


def put_reservation_links(db: Database, links: list[dict[str, Any]]) -> Change:
    """Attach reservations to paragraphs: rows of document, reservation, paragraph, seq and
    attached_at."""
    return rows.put_many(db, "reservation_links", links)


def delete_reservation_link(db: Database, document: str, rid: str, uid: str) -> Change:
    """Detach a reservation from one paragraph."""
    return rows.delete(
        db, "reservation_links", {"document": document, "reservation": rid, "paragraph": uid}
    )


def supersede_amendment(db: Database, document: str, aid: str, at: datetime) -> Change:
    """Mark an amendment superseded at `at`."""
    return rows.update(
        db,
        "amendments",
        {"document": document, "id": aid},
        {"status": str(AmendmentStatus.SUPERSEDED), "decided_at": at.isoformat()},
    )


def put_revision(db: Database, rev: Revision) -> Change:
    """Insert a frozen revision with its snapshot."""
    return rows.put(
        db,
        "revisions",
        {
            "document": rev.document,
            "number": rev.number,
            "symbol": rev.symbol,
            "at": rev.at.isoformat(),
            "chain_head": rev.chain_head,
            "snapshot": json.dumps(rev.snapshot, ensure_ascii=False, sort_keys=True),
        },
    )


def put_imported_reservation(
    db: Database, r: Reservation, seq: int, uids: list[str], link_seq: int
) -> list[Change]:
    """An imported reservation, its links to paragraphs `uids` (numbered from `link_seq`) and,
    when it names a delegation, that delegation's "reserve" position on each."""
    at = r.created_at.isoformat()
    changes = [
        put_reservation(db, r, seq),
        put_reservation_links(
            db,
            [
                {
                    "document": r.document,
                    "reservation": r.id,
                    "paragraph": u,
                    "seq": link_seq + k,
                    "attached_at": at,
                }
                for k, u in enumerate(uids)
            ],
        ),
    ]
    if r.delegation:
        changes.append(
            rows.put_many(
                db,
                "positions",
                [
                    {
                        "document": r.document,
                        "target": u,
                        "delegation": r.delegation,
                        "stance": "reserve",
                        "comment": f"reservation {r.id}",
                        "at": at,
                    }
                    for u in uids
                ],
            )
        )
    return changes
