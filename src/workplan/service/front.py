"""The front of the service: `Service`, composed of its areas, and `open_service`.

`Service` is a thin front over the service's areas: documents, imports, negotiation state,
amendments, positions and reservations, notes, translations, the chair's decisions, revisions,
the record, notices, comparisons, exports and the redline. Each area is a plain class given, in its
constructor, the shared `Session` (connection, acting principal, clock, uid factory) and the
other areas it uses; the front builds them once and hands out their methods, so the CLI and the
TUI keep one door and every call is checked by mypy.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from workplan.model import Principal, new_uid
from workplan.service.amendments import Amendments
from workplan.service.compare import Compare
from workplan.service.core import DEFAULT_DOCUMENT, Session
from workplan.service.decisions import Decisions
from workplan.service.documents import Documents
from workplan.service.exports import Exports
from workplan.service.imports import Imports
from workplan.service.negotiation_base import Negotiations
from workplan.service.notes import Notes
from workplan.service.notices import Notices
from workplan.service.pages import Pages
from workplan.service.positions import Positions
from workplan.service.record import Record
from workplan.service.redline import Redline
from workplan.service.revisions import Revisions
from workplan.service.translations import Translations
from workplan.store import StoreDB
from workplan.store import connection as store_connection


class Service:
    """Everything a user can do, as methods. CLI and TUI call only this."""

    def __init__(
        self,
        db: StoreDB,
        principal: Principal | None = None,
        *,
        on_behalf_of: str | None = None,
        clock: Callable[[], datetime] | None = None,
        pinned: bool = False,
        uids: Callable[[], str] = new_uid,
    ) -> None:
        s = self.session = Session(
            db, principal, on_behalf_of=on_behalf_of, clock=clock, pinned=pinned, uids=uids
        )
        negotiations = Negotiations(s)
        documents = Documents(s)
        revisions = Revisions(s, negotiations)
        compare = Compare(s, negotiations, revisions)
        exports = Exports(s, negotiations, revisions)
        amendments = Amendments(s, negotiations)
        positions = Positions(s, negotiations)
        decisions = Decisions(s, negotiations, revisions)
        notes = Notes(s, negotiations)
        translations = Translations(s, negotiations)
        record = Record(s)
        notices = Notices(s, negotiations)
        imports = Imports(s, documents)
        redline = Redline(s, negotiations, revisions, compare, exports)
        pages = Pages(s, negotiations, notes, revisions)

        # The session: who acts, when, on which record; the basic reads.
        self.db_path = s.db_path
        self.close = s.close
        self.now = s.now
        self.acting_delegation = s.acting_delegation
        self.document = s.document
        self.refs = s.refs
        self.draft = s.draft
        self.delegations = s.delegations
        self.head = s.head
        # Documents and imports.
        self.is_initialised = documents.is_initialised
        self.initialise = documents.initialise
        self.documents = documents.documents
        self.import_draft = documents.import_draft
        self.new_document = documents.new_document
        self.set_metadata = documents.set_metadata
        self.export_draft = documents.export_draft
        self.import_file = imports.import_file
        # Negotiation state.
        self.negotiation = negotiations.load
        self.settle_silence = negotiations.settle_silence
        # What the draft screen shows, as read objects.
        self.draft_page = pages.draft_page
        self.positions_on = pages.positions
        # Amendments.
        self.propose = amendments.propose
        self.cosponsor = amendments.cosponsor
        self.withdraw = amendments.withdraw
        self.revise_amendment = amendments.revise_amendment
        self.decide = amendments.decide
        # Positions and reservations.
        self.record_position = positions.record_position
        self.reserve = positions.reserve
        self.unreserve = positions.unreserve
        self.edit_reservation = positions.edit_reservation
        self.withdrawn_from = positions.withdrawn_from
        # The chair's decisions and the status report.
        self.agree = decisions.agree
        self.delete_paragraph = decisions.delete_paragraph
        self.reopen = decisions.reopen
        self.silence = decisions.silence
        self.time_zone = decisions.time_zone
        self.status = decisions.status
        # Notes of the document.
        self.notes = notes.notes
        self.note = notes.note
        self.add_note = notes.add_note
        self.edit_note = notes.edit_note
        self.remove_note = notes.remove_note
        # Translations.
        self.translate = translations.translate
        self.translations = translations.translations
        self.translation_languages = translations.languages
        self.translation_counts = translations.paragraph_counts
        self.side_by_side = translations.side_by_side
        self.translated_paragraphs = translations.paragraphs
        self.import_translation = translations.import_translation
        # Revisions.
        self.revise = revisions.revise
        self.formerly = revisions.formerly
        self.revisions = revisions.revisions
        self.revision = revisions.revision
        # The record.
        self.events = record.events
        self.verify = record.verify
        self.anchor = record.anchor
        self.backup = record.backup
        self.restore = record.restore
        # Notices.
        self.last_event_id = notices.last_event_id
        self.events_since = notices.events_since
        self.viewer = notices.viewer
        self.notices_since = notices.notices_since
        # Comparing and exporting.
        self.side = compare.side
        self.compare = compare.compare
        self.compare_files = compare.compare_files
        self.lineage = compare.lineage
        self.export_clean = exports.export_clean
        self.export_compilation = exports.export_compilation
        self.export_redline = redline.export_redline

    @property
    def db(self) -> StoreDB:
        """The connection to the record."""
        return self.session.db

    @property
    def principal(self) -> Principal:
        """Who acts."""
        return self.session.principal

    @property
    def on_behalf_of(self) -> str | None:
        """The delegation the secretariat records for, if any."""
        return self.session.on_behalf_of

    @property
    def pinned(self) -> bool:
        """True when a roster pinned the principal."""
        return self.session.pinned

    def data_version(self) -> int:
        """A counter that changes when another connection commits to the record."""
        return store_connection.data_version(self.session.db)


def open_service(
    db_path: str | Path,
    principal: Principal | None = None,
    on_behalf_of: str | None = None,
    *,
    pinned: bool = False,
    create: bool = False,
) -> Service:
    """The service over the workplan record at `db_path`.

    Only with `create` (init, the TUI's first run) is a missing record created; any file that
    is not a workplan record is refused, untouched. `pinned`: a roster chose the principal
    (see `Identity.pinned`).
    """
    from workplan.store import create_record, open_record

    db = create_record(db_path) if create else open_record(db_path)
    return Service(db, principal, on_behalf_of=on_behalf_of, pinned=pinned)


__all__ = ["DEFAULT_DOCUMENT", "Service", "open_service"]
