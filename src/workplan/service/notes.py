"""Notes of a document: the secretariat's footnotes that name no delegation.

A note is called from paragraphs, a section's heading or the title; removing one marks it
withdrawn (its id is never reused). Adopted texts refuse every change to their notes.
"""

from __future__ import annotations

from workplan.errors import InputError, NotFoundError, ProcedureError
from workplan.model.note import NOTE_PREFIX, Note
from workplan.model.text import clean_paragraphs
from workplan.service.core import Session
from workplan.service.negotiation_base import Negotiations
from workplan.store import notes as store_notes

#: What names the title (a note of the document as a whole) where a paragraph ref is expected.
TITLE = "title"


def _note_text(text: str | None) -> str:
    if text is None or not text.strip():
        raise InputError("give the note's text (--text)")
    return clean_paragraphs(text, "note text")


class Notes:
    """Adding, editing and removing notes of a document (secretariat, chair)."""

    def __init__(self, session: Session, negotiations: Negotiations) -> None:
        self.session = session
        self.negotiations = negotiations

    def notes(self, doc_id: str, *, removed: bool = False) -> list[Note]:
        """A document's notes in order (the removed ones too with `removed`)."""
        self.session.document(doc_id)
        return store_notes.notes(self.session.db, doc_id, withdrawn=removed)

    def note(self, doc_id: str, nid: str) -> Note:
        """One note by id (N2, n2), removed ones included."""
        want = nid.strip().upper()
        for n in store_notes.notes(self.session.db, doc_id, withdrawn=True):
            if n.id == want:
                return n
        raise NotFoundError(f"no note {want} in {doc_id}")

    def add_note(
        self, doc_id: str, refs: list[str], text: str, *, section: str | None = None
    ) -> Note:
        """Add a note called from paragraphs (`refs`), a section's heading, or the title
        (no refs, or `title`)."""
        with self.negotiations.negotiating("note.add", doc_id) as (rec, neg):
            body = _note_text(text)
            draft = neg.draft
            refs = [r for r in refs if r.strip().lower() != TITLE]
            if refs and section:
                raise InputError("a note is called from paragraphs or from a heading, not both")
            uids: list[str] = []
            for ref in refs:
                uid = draft.resolve(ref).uid
                if uid not in uids:
                    uids.append(uid)
            if section is not None and section not in draft.section_by_id:
                raise NotFoundError(f"no section {section!r} in {doc_id}")
            seq = store_notes.next_seq(self.session.db, doc_id)
            note = Note(
                document=doc_id,
                id=f"{NOTE_PREFIX}{seq}",
                text=body,
                paragraphs=uids,
                section=section,
                created_at=rec.at,
            )
            rec.change(store_notes.put_note(self.session.db, note))
            where = ", ".join(draft.named(u) for u in uids) or note.place(draft.refs)
            rec.event(
                "note.added",
                {
                    "note": note.id,
                    "paragraphs": uids,
                    "section": section,
                    "summary": f"note {note.id} on {where}",
                },
                document=doc_id,
            )
        return note

    def edit_note(self, doc_id: str, nid: str, text: str) -> Note:
        """Change a note's text (wherever it is called)."""
        with self.negotiations.negotiating("note.edit", doc_id) as (rec, _):
            body = _note_text(text)
            note = self._live_note(doc_id, nid)
            note.text = body
            rec.change(store_notes.put_note(self.session.db, note))
            rec.event(
                "note.edited",
                {"note": note.id, "summary": f"note {note.id} edited"},
                document=doc_id,
            )
        return note

    def remove_note(self, doc_id: str, nid: str) -> Note:
        """Remove a note: it prints no more; its id is not reused and the record keeps it."""
        with self.negotiations.negotiating("note.remove", doc_id) as (rec, _):
            note = self._live_note(doc_id, nid)
            note.withdrawn = True
            rec.change(store_notes.put_note(self.session.db, note))
            rec.event(
                "note.removed",
                {"note": note.id, "summary": f"note {note.id} removed"},
                document=doc_id,
            )
        return note

    def _live_note(self, doc_id: str, nid: str) -> Note:
        note = self.note(doc_id, nid)
        if note.withdrawn:
            raise ProcedureError(f"{note.id} was already removed")
        return note
