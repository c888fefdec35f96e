"""Documents: initialise the record, import, start a plan from another, export, metadata."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from workplan.errors import InputError, PermissionDenied, UsageError
from workplan.model import (
    SECRETARIAT,
    Decision,
    Document,
    Draft,
    Lineage,
    Paragraph,
    member_states,
)
from workplan.model.document import ORGAN, SERIES
from workplan.model.text import counted
from workplan.service.core import DEFAULT_DOCUMENT, Recorder, Session
from workplan.service.files import MAX_FILE_BYTES as MAX_FILE_BYTES
from workplan.service.files import read_file as read_file
from workplan.service.policy import LIFT_ADOPTION, adoption_words, initialise_refusal
from workplan.store import delegations as store_delegations
from workplan.store import documents as store_documents
from workplan.store import transaction

THIRD_PLAN_TITLE = "Third Work Plan to Combat Trafficking in Persons in the Western Hemisphere"
THIRD_PLAN_SYMBOL = "CP/CSH/GT-TP/doc.1/22"
#: The organ and series of the Third Work Plan's header: the working group of the Permanent
#: Council's Committee on Hemispheric Security.
THIRD_PLAN_HEADER = {
    ORGAN: "PERMANENT COUNCIL OF THE\nORGANIZATION OF AMERICAN STATES\n"
    "COMMITTEE ON HEMISPHERIC SECURITY",
    SERIES: "OEA/Ser.G",
}


class Documents:
    """Creating and reading whole documents."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def is_initialised(self) -> bool:
        """True once `init` has loaded the roster."""
        return store_delegations.is_initialised(self.session.db)

    def initialise(self, starting_plan: str | Path | None = None) -> Draft:
        """Load the roster, import the starting plan and start the Third Work Plan from it.

        Refuses (changing nothing) when the record is already initialised. Where a roster
        pins the principal, only the chair or the secretariat initialises (a refusal on an
        initialised record is recorded; an empty one has no record to hold it).
        """
        from workplan.paths import starting_plan_path

        why = (
            initialise_refusal(self.session.principal.id, self.session.principal.role)
            if self.session.pinned
            else None
        )
        if why:
            if self.is_initialised():
                raise self.session.refuse("record.initialise", why)
            raise PermissionDenied(why)
        if self.is_initialised():
            raise UsageError("this database is already initialised; nothing was changed")
        path = Path(starting_plan) if starting_plan else starting_plan_path()
        source = self._parse(read_file(path), str(path))
        actor = (
            self.session.principal.id if self.session.principal.role != "observer" else SECRETARIAT
        )
        with transaction(self.session.db):
            rec = Recorder(self.session.db, actor, None, self.session.now())
            if self.is_initialised():
                raise UsageError("this database is already initialised; nothing was changed")
            roster = member_states()
            rec.change(store_delegations.insert_delegations(self.session.db, roster))
            rec.event("roster.loaded", {"summary": f"{len(roster)} delegations"})
            self.insert(rec, source, "document.imported", {"file": path.name})
            third = self._derive(
                source.document.id,
                source,
                DEFAULT_DOCUMENT,
                title=THIRD_PLAN_TITLE,
                period=(2022, 2027),
                symbol=THIRD_PLAN_SYMBOL,
                metadata=THIRD_PLAN_HEADER,
            )
            self.insert(rec, third, "document.started", {"from": source.document.id})
        return third

    def documents(self) -> list[tuple[Document, int]]:
        """Every document with its paragraph count."""
        return store_documents.list_documents(self.session.db)

    def import_draft(
        self, path: str | Path, doc_id: str | None = None, *, agreed: bool = False
    ) -> Draft:
        """Import a file in the draft format as a new document.

        `agreed`: an adopted text; its open paragraphs are agreed and it is marked adopted
        (on the date its front matter gives, else today), which makes it read only.
        """
        draft = self._parse(read_file(path), str(path))
        if doc_id and doc_id != draft.document.id:
            draft = _renamed(draft, doc_id)
        if agreed:
            draft = _adopted(draft, draft.document.adopted or self.session.now().date().isoformat())
        with self.session.action("document.import") as rec:
            self.insert(rec, draft, "document.imported", {"file": Path(path).name})
        return draft

    def new_document(
        self,
        new_id: str,
        source_id: str,
        *,
        title: str | None = None,
        period: tuple[int, int] | None = None,
        symbol: str | None = None,
    ) -> Draft:
        """Start document `new_id` from `source_id`: every paragraph copied with a new uid."""
        source = self.session.draft(source_id)
        draft = self._derive(source_id, source, new_id, title=title, period=period, symbol=symbol)
        with self.session.action("document.new") as rec:
            self.insert(rec, draft, "document.started", {"from": source_id})
        return draft

    def set_metadata(
        self, doc_id: str, *, metadata: dict[str, str] | None = None, **changes: Any
    ) -> Document:
        """Change a document's title, symbol, period, language, adoption or metadata.

        `adopted` is an ISO date (the document becomes read only) or `"none"`, which lifts the
        adoption: the event says so. `timezone` is the working group's zone (an IANA name, kept
        in the metadata), where deadlines without a zone are read; `"none"` drops it (the
        host's zone is used). A `metadata` entry with an empty value removes that key (an organ
        or series no longer known).
        """
        doc = self.session.draft(doc_id).document
        data = doc.model_dump()
        if changes.get("timezone") is not None:
            data["metadata"] = _with_zone(doc.metadata, changes.pop("timezone"))
        changes.pop("timezone", None)
        if changes.get("adopted") is not None:
            changes["adopted"] = adoption_date(changes["adopted"])
            data["adopted"] = changes.pop("adopted") or None
        data.update({k: v for k, v in changes.items() if v is not None})
        if metadata:
            merged = {**doc.metadata, **metadata}
            data["metadata"] = {k: v for k, v in merged.items() if v.strip()}
        try:
            updated = Document.model_validate(data)
        except ValueError as exc:
            raise InputError(_first_error(exc)) from exc
        changed = {
            k: v
            for k, v in updated.model_dump(mode="json").items()
            if v != doc.model_dump(mode="json")[k]
        }
        if not changed:
            return doc
        with self.session.action("document.meta") as rec:
            rec.change(store_documents.update_document(self.session.db, updated))
            said = [
                f"{k.replace('_', ' ')} {v}"
                for k, v in changed.items()
                if k not in ("adopted", "metadata")
            ]
            if "metadata" in changed:
                old, new = doc.metadata, updated.metadata
                said += [
                    f"{k} {new[k]}" if k in new else f"{k} removed"
                    for k in sorted(old.keys() | new.keys())
                    if old.get(k) != new.get(k)
                ]
            if "adopted" in changed:
                said.insert(
                    0,
                    f"{doc_id} marked adopted on {adoption_words(updated.adopted)}: read only"
                    if updated.adopted
                    else f"adoption of {doc_id} (on {adoption_words(doc.adopted or '')}) lifted:"
                    " open to negotiation again",
                )
            # The row changes travel under "changes": what was set is under "fields".
            rec.event(
                "document.metadata-changed",
                {"fields": changed, "summary": "; ".join(said)},
                document=doc_id,
            )
        return updated

    def export_draft(self, doc_id: str = DEFAULT_DOCUMENT) -> str:
        """The document in the draft format."""
        from workplan.formats.draft_md import write_draft
        from workplan.store import notes as store_notes

        draft = self.session.draft(doc_id)
        draft.notes = store_notes.notes(self.session.db, doc_id)
        return write_draft(draft)

    # -- helpers ----------------------------------------------------------------------------
    def _parse(self, text: str, source: str) -> Draft:
        from workplan.formats.draft_md import parse_draft

        return parse_draft(text, source)

    def insert(self, rec: Recorder, draft: Draft, action: str, extra: dict[str, Any]) -> None:
        """Insert a new document in the action's transaction, with its event (`action`)."""
        doc_id = draft.document.id
        if store_documents.get_document(self.session.db, doc_id) is not None:
            raise InputError(f"a document {doc_id!r} already exists; choose another id with --id")
        clash = store_documents.uids_in_use(self.session.db, [p.uid for p in draft.paragraphs])
        if clash:
            raise InputError(
                f"paragraph uid {clash[0]} is already in the record"
                f" ({len(clash)} uid(s) clash); uids are never reused"
            )
        rec.change(store_documents.insert_draft(self.session.db, draft))
        if draft.notes:
            from workplan.store import notes as store_notes

            rec.change(
                store_notes.put_notes(
                    self.session.db,
                    [n.model_copy(update={"created_at": rec.at}) for n in draft.notes],
                )
            )
        summary = f"{doc_id}: {counted(len(draft.paragraphs), 'paragraph')}"
        if draft.notes:
            summary += f", {counted(len(draft.notes), 'note')}"
        rec.event(action, {**extra, "summary": summary}, document=doc_id)

    def _derive(
        self,
        source_id: str,
        source: Draft,
        new_id: str,
        *,
        title: str | None,
        period: tuple[int, int] | None,
        symbol: str | None,
        metadata: dict[str, str] | None = None,
    ) -> Draft:
        try:
            doc = Document(
                id=new_id,
                title=title or source.document.title,
                symbol=symbol if symbol is not None else "",
                period_start=period[0] if period else source.document.period_start,
                period_end=period[1] if period else source.document.period_end,
                original_language=source.document.original_language,
                derived_from=source_id,
                numbering=source.document.numbering,
                metadata={
                    **({"started_from": source.document.title} if source.document.title else {}),
                    **(metadata or {}),
                },
            )
        except ValueError as exc:
            raise InputError(_first_error(exc)) from exc
        paragraphs = [
            Paragraph.model_construct(
                uid=self.session.new_uid(),
                document=new_id,
                section=p.section,
                position=i,
                kind=p.kind,
                text=p.text,
                lineage=Lineage(document=source_id, uid=p.uid),
                version=1,
                decision=Decision.OPEN,
                silence_until=None,
                ad_ref=[],
            )
            for i, p in enumerate(x for x in source.paragraphs if not x.deleted)
        ]
        return Draft(document=doc, sections=list(source.sections), paragraphs=paragraphs)


def _with_zone(metadata: dict[str, str], name: str) -> dict[str, str]:
    """The metadata with its time zone set to `name` (checked), or dropped for `none`."""
    from workplan.service.zones import NO_ZONE, TIMEZONE_KEY, zone, zone_key

    rest = {k: v for k, v in metadata.items() if k != TIMEZONE_KEY}
    if name.strip().lower() == NO_ZONE:
        return rest
    return {**rest, TIMEZONE_KEY: zone_key(zone(name))}


def adoption_date(value: str) -> str:
    """An adoption date as stored: ISO `YYYY-MM-DD`, or "" for `none` (lift the adoption)."""
    value = value.strip()
    if value.lower() == LIFT_ADOPTION:
        return ""
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(
            f"an adoption date is YYYY-MM-DD (or `{LIFT_ADOPTION}` to lift it), not {value[:40]!r}"
        ) from None


def _adopted(draft: Draft, on: str) -> Draft:
    """The draft as an adopted text: adopted `on`, its open (or silenced) paragraphs agreed."""
    paragraphs = [
        p.model_copy(update={"decision": Decision.AGREED, "silence_until": None})
        if p.decision in (Decision.OPEN, Decision.SILENCE)
        else p
        for p in draft.paragraphs
    ]
    document = draft.document.model_copy(update={"adopted": on})
    return Draft(
        document=document, sections=draft.sections, paragraphs=paragraphs, notes=draft.notes
    )


def _renamed(draft: Draft, doc_id: str) -> Draft:
    try:
        doc = draft.document.model_copy(update={"id": doc_id})
        Document.model_validate(doc.model_dump())
    except ValueError as exc:
        raise InputError(_first_error(exc)) from exc
    paragraphs = [p.model_copy(update={"document": doc_id}) for p in draft.paragraphs]
    notes = [n.model_copy(update={"document": doc_id}) for n in draft.notes]
    return Draft(document=doc, sections=draft.sections, paragraphs=paragraphs, notes=notes)


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        loc = ".".join(str(x) for x in first.get("loc", ()))
        msg = str(first.get("msg", exc)).removeprefix("Value error, ")
        return f"{loc}: {msg}" if loc else msg
    return str(exc)
