"""Documents, sections and paragraphs: loaded in a fixed number of queries, written set-based."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, NamedTuple

from sqlite_utils import Database

from workplan.model import Decision, Document, Draft, Lineage, Paragraph, ParagraphKind, Section
from workplan.model.base import trusted as trusted
from workplan.model.refs import compute_refs, held_refs
from workplan.store import rows
from workplan.store.events import now_utc
from workplan.store.rows import Change

_DOC_COLUMNS = (
    "id, title, symbol, period_start, period_end, original_language, adopted, derived_from,"
    " numbering, metadata"
)
_PARA_COLUMNS = (
    "uid, document, section, position, kind, text, source_document, source_uid, version,"
    " decision, silence_until, ad_ref, held_ref"
)


def _document(row: tuple[Any, ...]) -> Document:
    keys = [c.strip() for c in _DOC_COLUMNS.split(",")]
    data = dict(zip(keys, row, strict=True))
    data["metadata"] = json.loads(data["metadata"])
    return Document.model_validate(data)


_KINDS = {k.value: k for k in ParagraphKind}
_DECISIONS = {d.value: d for d in Decision}


def _paragraph(row: tuple[Any, ...]) -> Paragraph:
    (uid, doc, section, position, kind, text, src_doc, src_uid, version, decision, until, adref) = (
        row[:12]
    )
    lineage = (
        trusted(Lineage, {"document": src_doc, "uid": src_uid}) if src_doc and src_uid else None
    )
    return trusted(
        Paragraph,
        {
            "uid": uid,
            "document": doc,
            "section": section,
            "position": position,
            "kind": _KINDS[kind],
            "text": text,
            "lineage": lineage,
            "version": version,
            "decision": _DECISIONS[decision],
            "silence_until": until and _parse_time(until),
            "ad_ref": [] if adref == "[]" else json.loads(adref),
            "held_ref": row[12],
        },
    )


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def get_document(db: Database, doc_id: str) -> Document | None:
    """One document's metadata, or None."""
    row = db.execute(f"SELECT {_DOC_COLUMNS} FROM documents WHERE id = ?", [doc_id]).fetchone()
    return _document(row) if row else None


def list_documents(db: Database) -> list[tuple[Document, int]]:
    """Every document with its paragraph count, in creation order."""
    rows = db.execute(
        f"SELECT {_DOC_COLUMNS}, (SELECT count(*) FROM paragraphs p WHERE p.document = d.id)"
        " FROM documents d ORDER BY created_at, id"
    ).fetchall()
    return [(_document(r[:-1]), r[-1]) for r in rows]


class NumberingRow(NamedTuple):
    """What printed refs are computed from, without a paragraph's text."""

    uid: str
    kind: ParagraphKind
    section: str | None
    position: int
    deleted: bool


def _sections(db: Database, doc_id: str) -> list[Section]:
    return [
        Section(id=r[0], title=r[1], position=r[2], parent=r[3])
        for r in db.execute(
            "SELECT id, title, position, parent FROM sections WHERE document = ? ORDER BY position",
            [doc_id],
        )
    ]


def load_refs(db: Database, doc_id: str) -> dict[str, str] | None:
    """A document's printed refs (uid → ref) from three light queries, or None."""
    document = get_document(db, doc_id)
    if document is None:
        return None
    sections = _sections(db, doc_id)
    found = db.execute(
        "SELECT uid, kind, section, position, decision, held_ref FROM paragraphs"
        " WHERE document = ? ORDER BY position",
        [doc_id],
    ).fetchall()
    rows = [
        NumberingRow(uid, _KINDS[kind], section, position, decision == Decision.DELETED)
        for uid, kind, section, position, decision, _ in found
    ]
    base = {r[0]: r[5] for r in found if r[5]}
    return held_refs(rows, sections, document.numbering, base or None)


def load_draft(db: Database, doc_id: str) -> Draft | None:
    """A whole document in three queries (document, sections, paragraphs)."""
    document = get_document(db, doc_id)
    if document is None:
        return None
    sections = _sections(db, doc_id)
    paragraphs = [
        _paragraph(r)
        for r in db.execute(
            f"SELECT {_PARA_COLUMNS} FROM paragraphs WHERE document = ? ORDER BY position",
            [doc_id],
        )
    ]
    return Draft(document=document, sections=sections, paragraphs=paragraphs)


def paragraph_row(p: Paragraph) -> dict[str, Any]:
    """The row for a paragraph."""
    return {
        "uid": p.uid,
        "document": p.document,
        "section": p.section,
        "position": p.position,
        "kind": str(p.kind),
        "text": p.text,
        "source_document": p.lineage.document if p.lineage else None,
        "source_uid": p.lineage.uid if p.lineage else None,
        "version": p.version,
        "decision": str(p.decision),
        "silence_until": p.silence_until.isoformat() if p.silence_until else None,
        "ad_ref": json.dumps(p.ad_ref, ensure_ascii=False),
        "held_ref": p.held_ref,
    }


def document_row(d: Document, created_at: str) -> dict[str, Any]:
    """The row for a document."""
    row: dict[str, Any] = d.model_dump(mode="json")
    row["metadata"] = json.dumps(d.metadata, ensure_ascii=False, sort_keys=True)
    row["created_at"] = created_at
    return row


def insert_draft(db: Database, draft: Draft) -> list[Change]:
    """Insert a new document with all its sections and paragraphs (set-based).

    Its own numbering is the base its refs hold to until its first revision: the numbers a
    paragraph already holds (an imported text's printed `9 bis`), else computed in order."""
    d = draft.document
    base = compute_refs(draft.paragraphs, draft.sections, d.numbering, count_deleted=True)
    return [
        rows.put(db, "documents", document_row(d, now_utc().isoformat())),
        rows.put_many(
            db,
            "sections",
            [
                {
                    "document": d.id,
                    "id": s.id,
                    "title": s.title,
                    "position": s.position,
                    "parent": s.parent,
                }
                for s in draft.sections
            ],
        ),
        rows.put_many(
            db,
            "paragraphs",
            [
                paragraph_row(
                    p.model_copy(update={"held_ref": p.held_ref or base.get(p.uid) or None})
                )
                for p in draft.paragraphs
            ],
        ),
    ]


def update_document(db: Database, doc: Document) -> Change:
    """Write a document's metadata."""
    row = document_row(doc, "")
    del row["created_at"]
    return rows.update(db, "documents", {"id": doc.id}, {k: v for k, v in row.items() if k != "id"})


def uids_in_use(db: Database, uids: list[str]) -> list[str]:
    """Which of these uids already exist anywhere in the record."""
    found: list[str] = []
    for i in range(0, len(uids), 500):
        chunk = uids[i : i + 500]
        found += [
            r[0]
            for r in db.execute(
                f"SELECT uid FROM paragraphs WHERE uid IN ({','.join('?' * len(chunk))})", chunk
            )
        ]
    return found


def put_paragraph(db: Database, p: Paragraph) -> Change:
    """Insert (or replace) one paragraph."""
    return rows.put(db, "paragraphs", paragraph_row(p))


def update_paragraph(db: Database, uid: str, cols: dict[str, Any]) -> Change:
    """Update some columns of one paragraph (values serialised as stored)."""
    return rows.update(db, "paragraphs", {"uid": uid}, cols)


def update_paragraphs(db: Database, items: list[tuple[str, dict[str, Any]]]) -> Change:
    """Update columns of many paragraphs, each given as (uid, columns), in that order."""
    return rows.update_many(db, "paragraphs", [({"uid": uid}, cols) for uid, cols in items])
