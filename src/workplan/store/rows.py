"""Row changes that travel in events, so that replaying the record rebuilds the tables.

Every change the service makes to a table goes through `put`, `put_many`, `update` or
`delete`; each returns a change dict that the action's event carries under "changes".
`fold` replays those changes; `verify` compares the fold with the tables.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlite_utils import Database

#: Primary key columns of every table whose state the record must be able to rebuild.
KEYS: dict[str, tuple[str, ...]] = {
    "delegations": ("code",),
    "documents": ("id",),
    "sections": ("document", "id"),
    "paragraphs": ("uid",),
    "amendments": ("document", "id"),
    "positions": ("document", "target", "delegation"),
    "reservations": ("document", "id"),
    "reservation_links": ("document", "reservation", "paragraph"),
    "revisions": ("document", "number"),
    "notes": ("document", "id"),
    "translations": ("document", "kind", "target", "lang"),
}

Change = dict[str, Any]


def _key(table: str, row: dict[str, Any]) -> list[Any]:
    return [row[k] for k in KEYS[table]]


def put(db: Database, table: str, row: dict[str, Any]) -> Change:
    """Insert or replace one whole row."""
    return put_many(db, table, [row])


def put_many(db: Database, table: str, rows: Sequence[dict[str, Any]]) -> Change:
    """Insert or replace whole rows, set-based."""
    if not rows:
        return {"t": table, "op": "put", "rows": []}
    cols = list(rows[0])
    keys = KEYS[table]
    updates = (
        ", ".join(f"{c} = excluded.{c}" for c in cols if c not in keys)
        or f"{keys[0]} = excluded.{keys[0]}"
    )
    db.conn.executemany(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}",
        [tuple(r[c] for c in cols) for r in rows],
    )
    return {"t": table, "op": "put", "rows": [dict(r) for r in rows]}


def update(db: Database, table: str, key: dict[str, Any], cols: dict[str, Any]) -> Change:
    """Update some columns of one row."""
    sets = ", ".join(f"{c} = ?" for c in cols)
    where = " AND ".join(f"{k} = ?" for k in KEYS[table])
    db.execute(
        f"UPDATE {table} SET {sets} WHERE {where}",
        [*cols.values(), *(key[k] for k in KEYS[table])],
    )
    return {"t": table, "op": "update", "key": dict(key), "cols": dict(cols)}


def update_many(
    db: Database, table: str, items: Sequence[tuple[dict[str, Any], dict[str, Any]]]
) -> Change:
    """Update the same columns of many rows: items are (key, cols) pairs."""
    if not items:
        return {"t": table, "op": "updates", "items": []}
    cols = list(items[0][1])
    sets = ", ".join(f"{c} = ?" for c in cols)
    where = " AND ".join(f"{k} = ?" for k in KEYS[table])
    db.conn.executemany(
        f"UPDATE {table} SET {sets} WHERE {where}",
        [(*(c[x] for x in cols), *(k[x] for x in KEYS[table])) for k, c in items],
    )
    return {"t": table, "op": "updates", "items": [[dict(k), dict(c)] for k, c in items]}


def delete(db: Database, table: str, key: dict[str, Any]) -> Change:
    """Delete one row."""
    where = " AND ".join(f"{k} = ?" for k in KEYS[table])
    db.execute(f"DELETE FROM {table} WHERE {where}", [key[k] for k in KEYS[table]])
    return {"t": table, "op": "delete", "key": dict(key)}


State = dict[str, dict[str, dict[str, Any]]]


def _skey(table: str, row: dict[str, Any]) -> str:
    return json.dumps(_key(table, row), ensure_ascii=False)


def fold(changes: Iterable[Change]) -> State:
    """Replay changes into table → key → row."""
    state: State = {t: {} for t in KEYS}
    for ch in changes:
        table = state[ch["t"]]
        op = ch["op"]
        if op == "put":
            for row in ch["rows"]:
                table[_skey(ch["t"], row)] = dict(row)
        elif op == "update":
            table.setdefault(_skey(ch["t"], ch["key"]), dict(ch["key"])).update(ch["cols"])
        elif op == "updates":
            for key, cols in ch["items"]:
                table.setdefault(_skey(ch["t"], key), dict(key)).update(cols)
        elif op == "delete":
            table.pop(_skey(ch["t"], ch["key"]), None)
    return state


def current(db: Database) -> State:
    """The tables as they are, in the same shape as `fold`."""
    state: State = {}
    for table in KEYS:
        cur = db.execute(f"SELECT * FROM {table}")
        names = [d[0] for d in cur.description]
        state[table] = {}
        for values in cur.fetchall():
            row = dict(zip(names, values, strict=True))
            state[table][_skey(table, row)] = row
    return state


def differences(expected: State, actual: State, limit: int = 5) -> list[str]:
    """Where the tables differ from what the record says (at most `limit` per table)."""
    problems: list[str] = []
    for table in KEYS:
        exp, act = expected.get(table, {}), actual.get(table, {})
        found = 0
        for key in sorted(set(exp) | set(act)):
            if found >= limit:
                break
            if key not in act:
                problems.append(f"{table} {key}: in the record but missing from the table")
            elif key not in exp:
                problems.append(f"{table} {key}: in the table but never recorded")
            else:
                cols = sorted(
                    c for c in set(exp[key]) | set(act[key]) if exp[key].get(c) != act[key].get(c)
                )
                if not cols:
                    continue
                problems.append(f"{table} {key}: {', '.join(cols)} differ from the record")
            found += 1
    return problems
