"""The schema, as sqlite-utils migrations. Never edit an applied migration: add one."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("workplan")


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


@migrations()
def m003_held_refs(db: Database) -> None:
    """A paragraph's number in the text on the table, held until the next revision."""
    db.execute("ALTER TABLE paragraphs ADD COLUMN held_ref TEXT")


def migrate(db: Database) -> None:
    """Apply pending migrations under the write lock (safe when processes race)."""
    from workplan.store.db import transaction

    if not migrations.pending(db):
        return
    with transaction(db):
        migrations.apply(db)
