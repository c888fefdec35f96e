"""The append-only record: every change writes one event, chained by SHA-256."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from workplan.model.events import EVENT_ACTIONS, Event

GENESIS = "0" * 64


def now_utc() -> datetime:
    """The current time, UTC, to the microsecond."""
    return datetime.now(UTC)


def canonical(data: Any) -> str:
    """Stable JSON used for hashing and storing payloads."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(
    *,
    id: int,
    at: str,
    actor: str,
    on_behalf_of: str | None,
    action: str,
    document: str | None,
    payload: str,
    prev_hash: str,
) -> str:
    """SHA-256 over an event's content and the previous event's hash."""
    body = canonical(
        {
            "id": id,
            "at": at,
            "actor": actor,
            "on_behalf_of": on_behalf_of,
            "action": action,
            "document": document,
            "payload": payload,
            "prev_hash": prev_hash,
        }
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def head(db: Database) -> tuple[int, str]:
    """The last event's id and hash (0 and the genesis hash for an empty record)."""
    row = db.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1]) if row else (0, GENESIS)


def append(
    db: Database,
    *,
    actor: str,
    action: str,
    payload: dict[str, Any],
    document: str | None = None,
    on_behalf_of: str | None = None,
    at: datetime | None = None,
) -> Event:
    """Append one event; call inside the action's transaction. Only the actions the code
    knows (`EVENT_ACTIONS`) are written."""
    if action not in EVENT_ACTIONS:
        raise RuntimeError(f"unknown event action {action!r}: add it to EVENT_ACTIONS")
    last_id, prev = head(db)
    stamp = (at or now_utc()).isoformat(timespec="microseconds")
    body = canonical(payload)
    new_id = last_id + 1
    digest = event_hash(
        id=new_id,
        at=stamp,
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=action,
        document=document,
        payload=body,
        prev_hash=prev,
    )
    db.execute(
        "INSERT INTO events (id, at, actor, on_behalf_of, action, document, payload, prev_hash,"
        " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [new_id, stamp, actor, on_behalf_of, action, document, body, prev, digest],
    )
    return Event(
        id=new_id,
        at=datetime.fromisoformat(stamp),
        actor=actor,
        on_behalf_of=on_behalf_of,
        action=action,
        document=document,
        payload=payload,
        prev_hash=prev,
        hash=digest,
    )


_COLUMNS = "id, at, actor, on_behalf_of, action, document, payload, prev_hash, hash"


def _row_to_event(row: tuple[Any, ...]) -> Event:
    return Event(
        id=row[0],
        at=datetime.fromisoformat(row[1]),
        actor=row[2],
        on_behalf_of=row[3],
        action=row[4],
        document=row[5],
        payload=json.loads(row[6]),
        prev_hash=row[7],
        hash=row[8],
    )


def list_events(
    db: Database,
    *,
    document: str | None = None,
    limit: int | None = None,
    actions: Sequence[str] = (),
    after: int | None = None,
) -> list[Event]:
    """Events in order, optionally for one document, of some actions, after event `after`,
    only the last `limit`."""
    conds: list[str] = []
    params: list[Any] = []
    if document:
        conds, params = ["document = ?"], [document]
    if after is not None:
        conds.append("id > ?")
        params.append(max(0, min(int(after), 2**62)))
    if actions:
        conds.append(f"action IN ({', '.join('?' * len(actions))})")
        params += list(actions)
    where = f"WHERE {' AND '.join(conds)}" if conds else ""
    sql = f"SELECT {_COLUMNS} FROM events {where} ORDER BY id"
    if limit:
        limit = max(0, min(int(limit), 2**62))  # SQLite's integers are 64-bit
        sql = f"SELECT * FROM ({sql.replace('ORDER BY id', 'ORDER BY id DESC')} LIMIT {int(limit)})"
        sql += " ORDER BY id"
    return [_row_to_event(r) for r in db.execute(sql, params).fetchall()]


def chain_problems(db: Database) -> list[str]:
    """Check the whole chain; return one message per problem (empty when intact)."""
    problems: list[str] = []
    triggers = {
        r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall()
    }
    for name in ("events_no_update", "events_no_delete"):
        if name not in triggers:
            problems.append(f"trigger {name} is missing: the record could have been edited")
    prev = GENESIS
    expected_id = 1
    for row in db.execute(f"SELECT {_COLUMNS} FROM events ORDER BY id"):
        ev_id, at, actor, behalf, action, document, payload, prev_hash, digest = row
        if ev_id != expected_id:
            problems.append(f"event {expected_id} is missing (next is {ev_id})")
            expected_id = ev_id
        if prev_hash != prev:
            problems.append(f"event {ev_id} does not chain to the event before it")
        recomputed = event_hash(
            id=ev_id,
            at=at,
            actor=actor,
            on_behalf_of=behalf,
            action=action,
            document=document,
            payload=payload,
            prev_hash=prev_hash,
        )
        if recomputed != digest:
            problems.append(f"event {ev_id} ({action}) was altered: its hash does not match")
        if action not in EVENT_ACTIONS:
            problems.append(
                f"event {ev_id} has an action this program never writes ({action[:40]!r})"
            )
        prev = digest
        expected_id += 1
    return problems


def find_hash(db: Database, prefix: str) -> list[tuple[int, str]]:
    """The events (id, hash) whose hash starts with `prefix` (lowercase hex), in order."""
    if not prefix or any(c not in "0123456789abcdef" for c in prefix):
        return []
    return [
        (r[0], r[1])
        for r in db.execute(
            "SELECT id, hash FROM events WHERE hash >= ? AND hash < ? ORDER BY id",
            [prefix, prefix + "g"],  # every hash is lowercase hex: a range on its index
        ).fetchall()
    ]


def restores_from(db: Database, prefix: str) -> list[Event]:
    """The `record.restored` events that replaced a record whose head started with `prefix`."""
    return [
        e
        for e in list_events(db, actions=["record.restored"])
        if str(e.payload.get("old_head", "")).startswith(prefix)
    ]


def revision_heads(db: Database) -> list[tuple[str, int, str]]:
    """Every frozen revision's (document, number, chain head at freezing)."""
    return [
        (r[0], r[1], r[2])
        for r in db.execute(
            "SELECT document, number, chain_head FROM revisions ORDER BY document, number"
        ).fetchall()
    ]


def version_event(db: Database, document: str, uid: str, version: int) -> Event | None:
    """The event whose row changes gave paragraph `uid` its `version` (the latest such), or None.

    Reads back only the document's events that mention the uid, newest first, and stops at
    the first one that set the paragraph's version to `version` (or created it with it).
    """
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM events WHERE document = ? AND instr(payload, ?) > 0"
        " ORDER BY id DESC",
        [document, uid],
    )
    for row in rows:
        event = _row_to_event(row)
        if any(_sets_version(ch, uid, version) for ch in event.payload.get("changes", [])):
            return event
    return None


def _sets_version(change: dict[str, Any], uid: str, version: int) -> bool:
    """Whether one recorded row change sets paragraph `uid`'s version to `version`."""
    if change.get("t") != "paragraphs":
        return False
    op = change.get("op")
    if op == "update":
        pairs = [(change.get("key", {}), change.get("cols", {}))]
    elif op == "updates":
        pairs = [(k, c) for k, c in change.get("items", [])]
    elif op == "put":
        pairs = [(r, r) for r in change.get("rows", [])]
    else:
        return False
    return any(k.get("uid") == uid and c.get("version") == version for k, c in pairs)
