"""The read path's queries: plain read objects (`model.views`) straight from rows.

Plain `sqlite3` queries: no pydantic, nothing written. A file that is not a current workplan
record (older, to migrate; anything else, to refuse) is left to `store.db.open_record`:
`connect` answers None for it.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from workplan.model.refs import held_refs
from workplan.model.views import (
    AmendmentView,
    DocumentView,
    ParagraphView,
    ReservationView,
    SectionView,
    StanceView,
)
from workplan.model.vocab import (
    AmendmentKind,
    AmendmentStatus,
    Decision,
    Numbering,
    ParagraphKind,
)

_KINDS = {k.value: k for k in ParagraphKind}
_DECISIONS = {d.value: d for d in Decision}
_AM_KINDS = {k.value: k for k in AmendmentKind}
_AM_STATUSES = {s.value: s for s in AmendmentStatus}


class Queryable(Protocol):
    """A connection: sqlite3's, or a sqlite-utils Database."""

    def execute(self, sql: str, parameters: Any = ...) -> sqlite3.Cursor: ...


def connect(path: Path) -> sqlite3.Connection | None:
    """A connection for reading the current workplan record at `path` (checked as
    `store.open_record` checks it, its errors the same), or None when the file needs the write
    side first: an older record to bring up to date, or no record at all (refused there)."""
    from workplan.store.kind import (
        BUSY_TIMEOUT_MS,
        cleanup_stale_temporaries,
        is_current,
        peek_kind,
    )

    if not path.is_file():
        return None
    cleanup_stale_temporaries(path)
    if peek_kind(path) != "record":
        return None
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if not is_current(conn):
        conn.close()
        return None
    return conn


def document(db: Queryable, doc_id: str) -> DocumentView | None:
    """A document's metadata, or None."""
    row = db.execute(
        "SELECT id, title, symbol, numbering, metadata, original_language FROM documents"
        " WHERE id = ?",
        [doc_id],
    ).fetchone()
    if row is None:
        return None
    return DocumentView(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5])


def sections(db: Queryable, doc_id: str) -> list[SectionView]:
    """A document's sections, in order."""
    return [
        SectionView(*r)
        for r in db.execute(
            "SELECT id, title, position, parent FROM sections WHERE document = ? ORDER BY position",
            [doc_id],
        )
    ]


def paragraphs(db: Queryable, doc_id: str, limit: int = -1) -> list[ParagraphView]:
    """A document's paragraphs without their text, in order (the first `limit`, if given)."""
    return [
        ParagraphView(
            uid,
            _KINDS[kind],
            section,
            position,
            version,
            _DECISIONS[decision],
            datetime.fromisoformat(until) if until else None,
            [] if adref == "[]" else json.loads(adref),
            held,
        )
        for uid, kind, section, position, version, decision, until, adref, held in db.execute(
            "SELECT uid, kind, section, position, version, decision, silence_until, ad_ref,"
            " held_ref FROM paragraphs WHERE document = ? ORDER BY position LIMIT ?",
            [doc_id, limit],
        )
    ]


def refs(
    document: DocumentView, sections: list[SectionView], paragraphs: list[ParagraphView]
) -> dict[str, str]:
    """The printed refs (uid → ref), held as `store.documents.load_refs` holds them."""
    base = {p.uid: p.held_ref for p in paragraphs if p.held_ref}
    return held_refs(paragraphs, sections, Numbering(document.numbering), base or None)


def silence_due(db: Queryable, doc_id: str, now: datetime) -> bool:
    """True when a paragraph's silence deadline has passed (the write side settles it)."""
    return bool(
        db.execute(
            "SELECT 1 FROM paragraphs WHERE document = ? AND decision = 'silence'"
            " AND silence_until <= ? LIMIT 1",
            [doc_id, now.isoformat()],
        ).fetchone()
    )


def amendments(db: Queryable, doc_id: str) -> dict[str, list[AmendmentView]]:
    """A document's amendments by the paragraph they target, in the order proposed."""
    grouped: dict[str, list[AmendmentView]] = {}
    for aid, target, kind, status in db.execute(
        "SELECT id, target, kind, status FROM amendments WHERE document = ? ORDER BY seq",
        [doc_id],
    ):
        grouped.setdefault(target, []).append(
            AmendmentView(aid, target, _AM_KINDS[kind], _AM_STATUSES[status])
        )
    return grouped


def stance_rows(db: Queryable, document: str) -> dict[str, list[tuple[str, str]]]:
    """(delegation, stance) of every position that is not `none`, grouped by target: what the
    consensus rules need, in little memory (codes and stances interned: a 10,000-paragraph
    draft carries hundreds of thousands of positions)."""
    intern = sys.intern
    grouped: dict[str, list[tuple[str, str]]] = {}
    for target, delegation, stance in db.execute(
        "SELECT target, delegation, stance FROM positions WHERE document = ? AND stance != 'none'"
        " ORDER BY target, delegation",
        [document],
    ):
        grouped.setdefault(target, []).append((intern(delegation), intern(stance)))
    return grouped


def reservations(db: Queryable, doc_id: str) -> list[ReservationView]:
    """A document's reservations with the paragraphs they are attached to, in order."""
    links: dict[str, list[str]] = {}
    for res, para in db.execute(
        "SELECT reservation, paragraph FROM reservation_links WHERE document = ? ORDER BY seq",
        [doc_id],
    ):
        links.setdefault(res, []).append(para)
    return [
        ReservationView(rid, who, bool(withdrawn), tuple(links.get(rid, ())))
        for rid, who, withdrawn in db.execute(
            "SELECT id, delegation, withdrawn FROM reservations WHERE document = ? ORDER BY seq",
            [doc_id],
        )
    ]


def renumbered(db: Queryable, document: str) -> tuple[int, dict[str, str]] | None:
    """The last revision's number and, for each paragraph it renumbered, the ref it had before
    (uid → ref), read from its snapshot without loading the text; None before any revision."""
    last = db.execute(
        "SELECT max(number) FROM revisions WHERE document = ?", [document]
    ).fetchone()[0]
    if last is None:
        return None
    found = db.execute(
        "SELECT json_extract(j.value, '$.uid'), json_extract(j.value, '$.formerly')"
        " FROM revisions r, json_each(r.snapshot, '$.paragraphs') j"
        " WHERE r.document = ? AND r.number = ?",
        [document, last],
    )
    return last, {uid: was for uid, was in found if was}


def paragraph_translation_sources(db: Queryable, document: str) -> dict[str, dict[str, str]]:
    """uid → language → the version each paragraph translation was made from (one query)."""
    found: dict[str, dict[str, str]] = {}
    for target, lang, source in db.execute(
        "SELECT target, lang, source FROM translations WHERE document = ? AND kind = 'paragraph'",
        [document],
    ):
        found.setdefault(target, {})[lang] = source
    return found


def texts(db: Queryable, doc_id: str, limit: int = -1) -> dict[str, str]:
    """uid → text of a document's paragraphs (the first `limit`, if given)."""
    return dict(
        db.execute(
            "SELECT uid, text FROM paragraphs WHERE document = ? ORDER BY position LIMIT ?",
            [doc_id, limit],
        )
    )


def target_stances(db: Queryable, document: str, target: str) -> list[StanceView]:
    """The stances held on one target (one indexed query), `none` left out."""
    return [
        StanceView(d, s)
        for d, s in db.execute(
            "SELECT delegation, stance FROM positions WHERE document = ? AND target = ?"
            " AND stance != 'none' ORDER BY delegation",
            [document, target],
        )
    ]


def delegation_names(db: Queryable) -> dict[str, str]:
    """code → English name of every delegation of the roster."""
    return dict(db.execute("SELECT code, name_en FROM delegations ORDER BY code"))


def is_initialised(db: Queryable) -> bool:
    """True once `init` has loaded the roster (as `store.delegations.is_initialised`)."""
    return db.execute("SELECT 1 FROM delegations LIMIT 1").fetchone() is not None
