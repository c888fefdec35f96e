"""The schema, as sqlite-utils migrations. Never edit an applied migration: add one.

Also the check that a database file is a workplan record, and that its schema is exactly the
one these migrations create (nothing extra, nothing missing, nothing different).
"""

from __future__ import annotations

import re
import sqlite3
from functools import cache

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from workplan.store.kind import (
    APPLICATION_ID,
    MIGRATION_SET,
)

migrations = Migrations(MIGRATION_SET)


@migrations()
def m001_foundation(db: Database) -> None:
    """Delegations, documents, sections, paragraphs and the append-only event chain."""
    db.execute(
        """
        CREATE TABLE delegations (
            code TEXT PRIMARY KEY,
            name_en TEXT NOT NULL,
            name_es TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            note TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            symbol TEXT NOT NULL DEFAULT '',
            period_start INTEGER,
            period_end INTEGER,
            original_language TEXT NOT NULL DEFAULT 'English',
            adopted TEXT,
            derived_from TEXT,
            numbering TEXT NOT NULL DEFAULT 'continuous',
            metadata TEXT NOT NULL DEFAULT '{}',
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE sections (
            document TEXT NOT NULL REFERENCES documents(id),
            id TEXT NOT NULL,
            title TEXT NOT NULL,
            position INTEGER NOT NULL,
            parent TEXT,
            PRIMARY KEY (document, id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE paragraphs (
            uid TEXT PRIMARY KEY,
            document TEXT NOT NULL REFERENCES documents(id),
            section TEXT,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            source_document TEXT,
            source_uid TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            decision TEXT NOT NULL DEFAULT 'open',
            silence_until TEXT,
            ad_ref TEXT NOT NULL DEFAULT '[]'
        )"""
    )
    db.execute("CREATE INDEX paragraphs_document ON paragraphs(document, position)")
    db.execute("CREATE INDEX paragraphs_source ON paragraphs(source_document, source_uid)")
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            on_behalf_of TEXT,
            action TEXT NOT NULL,
            document TEXT,
            payload TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        )"""
    )
    db.execute("CREATE INDEX events_document ON events(document, id)")
    db.execute(
        """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'the record is append-only: events cannot be changed'); END"""
    )
    db.execute(
        """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'the record is append-only: events cannot be deleted'); END"""
    )


@migrations()
def m002_negotiation(db: Database) -> None:
    """Amendments, positions, reservations and revisions."""
    db.execute(
        """
        CREATE TABLE amendments (
            document TEXT NOT NULL REFERENCES documents(id),
            id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            target TEXT NOT NULL REFERENCES paragraphs(uid),
            anchor TEXT,
            placement TEXT,
            section TEXT,
            new_kind TEXT,
            text TEXT NOT NULL DEFAULT '',
            base_text TEXT NOT NULL DEFAULT '',
            base_version INTEGER NOT NULL DEFAULT 0,
            patch TEXT NOT NULL DEFAULT '',
            proposer TEXT NOT NULL REFERENCES delegations(code),
            cosponsors TEXT NOT NULL DEFAULT '[]',
            justification TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'proposed',
            needs_rebase INTEGER NOT NULL DEFAULT 0,
            rebase_failures TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            decided_at TEXT,
            result_uid TEXT,
            PRIMARY KEY (document, id)
        )"""
    )
    db.execute("CREATE INDEX amendments_target ON amendments(target)")
    db.execute(
        """
        CREATE TABLE positions (
            document TEXT NOT NULL REFERENCES documents(id),
            target TEXT NOT NULL,
            delegation TEXT NOT NULL REFERENCES delegations(code),
            stance TEXT NOT NULL,
            comment TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL,
            PRIMARY KEY (document, target, delegation)
        )"""
    )
    db.execute(
        """
        CREATE TABLE reservations (
            document TEXT NOT NULL REFERENCES documents(id),
            id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            delegation TEXT REFERENCES delegations(code),
            text TEXT NOT NULL,
            withdrawn INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            PRIMARY KEY (document, id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE reservation_links (
            document TEXT NOT NULL,
            reservation TEXT NOT NULL,
            paragraph TEXT NOT NULL REFERENCES paragraphs(uid),
            seq INTEGER NOT NULL,
            attached_at TEXT NOT NULL,
            PRIMARY KEY (document, reservation, paragraph),
            FOREIGN KEY (document, reservation) REFERENCES reservations(document, id)
        )"""
    )
    db.execute(
        """
        CREATE TABLE revisions (
            document TEXT NOT NULL REFERENCES documents(id),
            number INTEGER NOT NULL,
            symbol TEXT NOT NULL,
            at TEXT NOT NULL,
            chain_head TEXT NOT NULL,
            snapshot TEXT NOT NULL,
            PRIMARY KEY (document, number)
        )"""
    )


#: `PRAGMA application_id` of a workplan record ("WPLN"), set by m003.


@migrations()
def m003_application_id(db: Database) -> None:
    """Mark the file as a workplan record (SQLite's application id in the file header)."""
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")


@migrations()
def m004_held_refs(db: Database) -> None:
    """A paragraph's number in the text on the table, held until the next revision."""
    db.execute("ALTER TABLE paragraphs ADD COLUMN held_ref TEXT")


@migrations()
def m005_notes(db: Database) -> None:
    """Notes of a document: footnotes naming no delegation, called from paragraphs (a JSON list
    of uids), a section's heading or the title."""
    db.execute(
        """
        CREATE TABLE notes (
            document TEXT NOT NULL REFERENCES documents(id),
            id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            text TEXT NOT NULL,
            paragraphs TEXT NOT NULL DEFAULT '[]',
            section TEXT,
            withdrawn INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            PRIMARY KEY (document, id)
        )"""
    )
    db.execute("CREATE INDEX notes_document ON notes(document, seq)")


@migrations()
def m006_translations(db: Database) -> None:
    """Translations of a document's texts (paragraphs, reservations, the title, section
    headings) into the official languages, each with the source it was made from."""
    db.execute(
        """
        CREATE TABLE translations (
            document TEXT NOT NULL REFERENCES documents(id),
            kind TEXT NOT NULL,
            target TEXT NOT NULL,
            lang TEXT NOT NULL,
            text TEXT NOT NULL,
            source TEXT NOT NULL,
            source_text TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL,
            PRIMARY KEY (document, kind, target, lang)
        )"""
    )


def migrate(db: Database) -> None:
    """Apply pending migrations under the write lock (safe when processes race)."""
    from workplan.store.db import transaction

    if not migrations.pending(db):
        return
    with transaction(db):
        migrations.apply(db)


def _norm(sql: str | None) -> str:
    return re.sub(r"\s+", " ", sql or "").strip()


_Objects = dict[tuple[str, str], tuple[str, str]]  # (type, name) -> (table, normalised sql)
_Columns = dict[str, list[tuple[object, ...]]]  # table -> table_xinfo rows


#: The tables ANALYZE writes: planner statistics only, never content.
_STATISTICS = frozenset({"sqlite_stat1", "sqlite_stat2", "sqlite_stat3", "sqlite_stat4"})


def _objects(db: Database) -> _Objects:
    return {
        (kind, name): (table, _norm(sql))
        for kind, name, table, sql in db.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"
        ).fetchall()
        if not (kind == "table" and name in _STATISTICS)
    }


def _columns(db: Database, table: str) -> list[tuple[object, ...]]:
    return [tuple(r[1:]) for r in db.execute(f"PRAGMA table_xinfo([{table}])").fetchall()]


@cache
def expected_schema() -> tuple[_Objects, _Columns]:
    """The objects and columns the migrations create, from a fresh in-memory database."""
    db = Database(sqlite3.connect(":memory:"), execute_plugins=False)
    migrations.apply(db)
    objects = _objects(db)
    columns = {name: _columns(db, name) for kind, name in objects if kind == "table"}
    db.close()
    return objects, columns


def schema_problems(db: Database) -> list[str]:
    """Every way the database's schema differs from the one the code creates, one line each.

    Tables, columns, indexes, triggers and views, with their SQL (whitespace normalised), and
    the application id. The sqlite-utils migrations table is compared by its columns only.
    """
    want, want_columns = expected_schema()
    have = _objects(db)
    problems: list[str] = []
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        problems.append(f"the file's application id is {app_id}, not a workplan record's")
    for key in sorted(set(have) - set(want)):
        kind, name = key
        table = have[key][0]
        where = f" on {table}" if kind in ("index", "trigger") else ""
        problems.append(f"extra {kind} {name}{where} (not in the schema)")
    for key in sorted(set(want) - set(have)):
        kind, name = key
        if kind == "trigger":
            problems.append(f"trigger {name} is missing: the record could have been edited")
        else:
            problems.append(f"{kind} {name} is missing from the schema")
    for key in sorted(set(want) & set(have)):
        kind, name = key
        if kind == "table":
            column_problems = _column_problems(name, want_columns[name], _columns(db, name))
            problems += column_problems
            if column_problems or name == Migrations.migrations_table:
                continue
        if name.startswith("idx_" + Migrations.migrations_table):
            continue
        if want[key] != have[key]:
            where = f" on {have[key][0]}" if kind in ("index", "trigger") else ""
            problems.append(f"{kind} {name}{where} differs from the schema")
    if ("table", Migrations.migrations_table) in have and not problems:
        problems += _migration_problems(db)
    return problems


def _migration_problems(db: Database) -> list[str]:
    """The record's list of applied migrations must be exactly the code's, once each (a
    deleted row would make the next start re-run that migration)."""
    recorded = [
        r[0]
        for r in db.execute(
            f"SELECT name FROM {Migrations.migrations_table} WHERE migration_set = ? ORDER BY name",
            [migrations.name],
        )
    ]
    wanted = sorted(m.name for m in migrations._migrations)
    if recorded == wanted:
        return []
    missing = sorted(set(wanted) - set(recorded))
    extra = sorted(set(recorded) - set(wanted))
    twice = sorted({n for n in recorded if recorded.count(n) > 1})
    parts = [
        f"missing {', '.join(missing)}" if missing else "",
        f"unknown {', '.join(extra)}" if extra else "",
        f"repeated {', '.join(twice)}" if twice else "",
    ]
    return [
        "the record's list of applied migrations differs from the code's: "
        + "; ".join(p for p in parts if p)
    ]


def _column_problems(
    table: str, want: list[tuple[object, ...]], have: list[tuple[object, ...]]
) -> list[str]:
    """Extra, missing and changed columns of one table (name, type, constraints, hidden)."""
    if table == Migrations.migrations_table:
        want = [(c[0],) for c in want]
        have = [(c[0],) for c in have]
    want_by, have_by = {c[0]: c for c in want}, {c[0]: c for c in have}
    problems = [f"extra column {table}.{n}" for n in have_by if n not in want_by]
    problems += [f"column {table}.{n} is missing" for n in want_by if n not in have_by]
    problems += [
        f"column {table}.{n} differs from the schema"
        for n in want_by
        if n in have_by and want_by[n] != have_by[n]
    ]
    if not problems and [c[0] for c in want] != [c[0] for c in have]:
        problems.append(f"the columns of {table} are in another order than the schema's")
    return problems


def has_every_column(db: Database) -> bool:
    """Whether every table and column of the schema exists (so the record can be read)."""
    _, want_columns = expected_schema()
    for table, columns in want_columns.items():
        have = {c[0] for c in _columns(db, table)}
        if not have or any(c[0] not in have for c in columns):
            return False
    return True
