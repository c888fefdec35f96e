"""The read path: what reading commands show, as plain read objects, without the write side.

No pydantic and nothing written: a `Reading` reads the record through
`store.read` and derives each paragraph's status with `consensus.paragraph_state`, the one
source of the rules. Anyone may read (observers too), as through `Service`. What only the
write side can do first goes through it: bringing an older record up to date, and settling a
silence whose deadline passed unbroken (recorded as `silence.ended`, as any command does).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from workplan.consensus import paragraph_state
from workplan.errors import InputError
from workplan.model.languages import other_languages
from workplan.model.translation_state import Tally
from workplan.model.views import (
    DocumentView,
    OutlinePage,
    OutlineRow,
    StanceView,
    StatusPage,
    StatusRow,
)
from workplan.model.vocab import Principal, Status
from workplan.service.zones import document_zone, zone_name
from workplan.store import read as store_read


class WriteSide(Protocol):
    """What the read path asks of the full `Service` when it must."""

    def settle_silence(self, doc_id: str) -> list[str]:
        """Record passed silence deadlines as agreed."""
        ...

    def document(self, doc_id: str) -> Any:
        """A document's metadata; NotFoundError when there is none."""
        ...


class Reading:
    """The read side over one record: the status page, a document's zone.

    `write_side` opens the full `Service` over the same record when the read path needs it
    (an older record, a silence to settle, a document that is not there: its refusal is the
    service's own).
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        principal: Principal,
        write_side: Callable[[], WriteSide],
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.conn = conn
        self.principal = principal
        """Who reads (anyone may: no reading is refused)."""
        self._write_side = write_side
        self._clock = clock or (lambda: datetime.now(UTC))

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def document(self, doc_id: str) -> DocumentView:
        """A document's metadata; a missing one is refused as the service refuses it."""
        found = store_read.document(self.conn, doc_id)
        if found is None:
            self._write_side().document(doc_id)  # raises NotFoundError, worded once
            raise AssertionError(doc_id)  # pragma: no cover - the service found it meanwhile
        return found

    def time_zone(self, doc_id: str) -> ZoneInfo:
        """The zone a document's deadlines are shown in (`Service.time_zone`)."""
        return document_zone(self.document(doc_id))

    def is_initialised(self) -> bool:
        """True once `init` has loaded the roster."""
        return store_read.is_initialised(self.conn)

    def delegation_names(self) -> dict[str, str]:
        """code → English name of every delegation of the roster."""
        return store_read.delegation_names(self.conn)

    def outline(self, doc_id: str, limit: int = -1, derived: int = 100) -> OutlinePage:
        """The outline of a document as the draft screen's first frame shows it: the first
        `limit` paragraphs (all by default; refs number in order, so a prefix keeps them), each
        with its ref, kind, section and text, and the status of the first `derived` (one
        indexed read each: deriving them all reads every position, ~0.3 s at 10,000 ¶)."""
        now = self._clock()
        if store_read.silence_due(self.conn, doc_id, now):
            self._write_side().settle_silence(doc_id)
        document = self.document(doc_id)
        sections = store_read.sections(self.conn, doc_id)
        paragraphs = store_read.paragraphs(self.conn, doc_id, limit)
        refs = store_read.refs(document, sections, paragraphs)
        texts = store_read.texts(self.conn, doc_id, limit)
        amendments = store_read.amendments(self.conn, doc_id) if paragraphs else {}
        rows = []
        for i, p in enumerate(paragraphs):
            status = ""
            if i < derived:
                stances = store_read.target_stances(self.conn, doc_id, p.uid)
                status = str(paragraph_state(p, amendments.get(p.uid, []), stances, now).status)
            rows.append(
                OutlineRow(p.uid, refs.get(p.uid, ""), str(p.kind), p.section, status, texts[p.uid])
            )
        return OutlinePage(document=document, sections=tuple(sections), rows=tuple(rows))

    def status(self, doc_id: str) -> StatusPage:
        """Per paragraph: ref, uid, status, open amendments, objections, ad ref, reservations
        (what `Service.status` gives, as read objects: `as_json()` is its dictionary)."""
        now = self._clock()
        if store_read.silence_due(self.conn, doc_id, now):
            self._write_side().settle_silence(doc_id)
        document = self.document(doc_id)
        sections = store_read.sections(self.conn, doc_id)
        paragraphs = store_read.paragraphs(self.conn, doc_id)
        refs = store_read.refs(document, sections, paragraphs)
        found = store_read.renumbered(self.conn, doc_id)
        formerly = (
            {uid: f"{ref} (before rev. {found[0]})" for uid, ref in found[1].items()}
            if found
            else {}
        )
        amendments = store_read.amendments(self.conn, doc_id)
        stances = store_read.stance_rows(self.conn, doc_id)
        reserved: dict[str, list[str]] = {}
        for r in store_read.reservations(self.conn, doc_id):
            if not r.withdrawn:
                for uid in r.paragraphs:
                    reserved.setdefault(uid, []).append(r.id)
        counts = dict.fromkeys(Status, 0)
        langs = other_languages(document.original_language)
        sources = store_read.paragraph_translation_sources(self.conn, doc_id)
        tally = Tally(langs)
        rows = []
        for p in paragraphs:
            in_languages = tally.add(sources.get(p.uid, {}), p.version, deleted=p.deleted)
            state = paragraph_state(
                p,
                amendments.get(p.uid, []),
                [StanceView(d, s) for d, s in stances.get(p.uid, ())],
                now,
            )
            counts[state.status] += 1
            rows.append(
                StatusRow(
                    ref=refs.get(p.uid, ""),
                    formerly=formerly.get(p.uid, ""),
                    uid=p.uid,
                    kind=str(p.kind),
                    version=p.version,
                    state=state,
                    reservations=tuple(reserved.get(p.uid, ())),
                    translations=dict(in_languages),
                )
            )
        zone, _ = zone_name(document)
        return StatusPage(
            document=doc_id,
            timezone=zone,
            rows=tuple(rows),
            counts=counts,
            translations=tally.counts,
        )


def open_reading(db_path: Path, principal: Principal, write_side: Callable[[], Any]) -> Reading:
    """The read path over the record at `db_path`.

    A file the read path cannot take as it is (an older record, what a killed restore left,
    anything that is not a record) goes through `write_side` first, which brings it up to date
    or refuses it with its reason.
    """
    conn = store_read.connect(db_path)
    if conn is None:
        write_side()
        conn = store_read.connect(db_path)
        if conn is None:  # pragma: no cover - the write side refuses what is no record
            raise InputError(f"{db_path} is not a workplan record; refusing to open it")
    return Reading(conn, principal, write_side)
