"""Translations: rows in, models out; the small queries the status and exports need."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from workplan.model.translation import TargetKind, Translation
from workplan.store import read as store_read
from workplan.store import rows
from workplan.store.rows import Change

_COLUMNS = "document, kind, target, lang, text, source, source_text, at"


def translation_row(t: Translation) -> dict[str, Any]:
    """The row for a translation."""
    return {
        "document": t.document,
        "kind": str(t.kind),
        "target": t.target,
        "lang": t.lang,
        "text": t.text,
        "source": t.source,
        "source_text": t.source_text,
        "at": t.at.isoformat(),
    }


def _translation(row: tuple[Any, ...]) -> Translation:
    document, kind, target, lang, text, source, source_text, at = row
    return Translation.model_construct(
        document=document,
        kind=TargetKind(kind),
        target=target,
        lang=lang,
        text=text,
        source=source,
        source_text=source_text,
        at=datetime.fromisoformat(at),
    )


def put_translations(db: Database, items: list[Translation]) -> Change:
    """Insert or replace translations (one per document, target and language)."""
    return rows.put_many(db, "translations", [translation_row(t) for t in items])


def translations(
    db: Database, document: str, lang: str | None = None, kind: TargetKind | None = None
) -> list[Translation]:
    """A document's translations (in one language, of one kind of target, if given)."""
    where, args = ["document = ?"], [document]
    if lang:
        where.append("lang = ?")
        args.append(lang)
    if kind:
        where.append("kind = ?")
        args.append(str(kind))
    return [
        _translation(r)
        for r in db.execute(
            f"SELECT {_COLUMNS} FROM translations WHERE {' AND '.join(where)}"
            " ORDER BY kind, target, lang",
            args,
        )
    ]


def paragraph_sources(db: Database, document: str) -> dict[str, dict[str, str]]:
    """uid → language → the version each paragraph translation was made from (one query):
    all the status needs to say which translations are current (the read path's query)."""
    return store_read.paragraph_translation_sources(db, document)


def translation_history(db: Database, document: str, lang: str) -> list[Translation]:
    """Every translation a document has had in one language, oldest first, replayed from the
    record's events (the table keeps only the latest of each; a translation carried to a new
    version of an unchanged text is had again at that version): what a revision's reprint
    in that language takes its texts from."""
    found = db.execute(
        "SELECT json_extract(c.value, '$.op'), c.value FROM events e,"
        " json_each(e.payload, '$.changes') c WHERE e.document = ?"
        " AND json_extract(c.value, '$.t') = 'translations' ORDER BY e.id, c.key",
        [document],
    )
    rows_now: dict[tuple[str, str], dict[str, Any]] = {}
    history: list[Translation] = []
    for op, change in found:
        ch = json.loads(change)
        if op == "put":
            touched = [r for r in ch["rows"] if r["lang"] == lang]
            for r in touched:
                rows_now[(r["kind"], r["target"])] = dict(r)
        elif op == "updates":
            touched = []
            for key, cols in ch["items"]:
                row = rows_now.get((key["kind"], key["target"]))
                if key["lang"] == lang and row is not None:
                    row.update(cols)
                    touched.append(row)
        else:
            continue
        history += [
            Translation.model_construct(
                document=document,
                kind=TargetKind(r["kind"]),
                target=r["target"],
                lang=lang,
                text=r["text"],
                source=r["source"],
                source_text=r.get("source_text", ""),
                at=datetime.fromisoformat(r["at"]),
            )
            for r in touched
        ]
    return history


def carry_forward(db: Database, document: str, uid: str, old: int, new: int) -> list[Change]:
    """A paragraph's version went from `old` to `new` without its text changing (a decision,
    a move): the translations made from `old` translate version `new` just as well."""
    langs = [
        r[0]
        for r in db.execute(
            "SELECT lang FROM translations WHERE document = ? AND kind = 'paragraph'"
            " AND target = ? AND source = ?",
            [document, uid, str(old)],
        )
    ]
    if not langs:
        return []
    key = {"document": document, "kind": "paragraph", "target": uid}
    return [
        rows.update_many(
            db, "translations", [({**key, "lang": lang}, {"source": str(new)}) for lang in langs]
        )
    ]
