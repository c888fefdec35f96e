"""Notes of a document: the secretariat's footnotes that name no delegation.

Self-contained: it uses only `self.db`, `self._action`, `self.negotiation` and `self.draft`.
"""

from __future__ import annotations

from workplan.errors import InputError, NotFoundError, ProcedureError
from workplan.model.note import NOTE_PREFIX, Note
from workplan.model.text import clean_paragraphs
from workplan.service.negotiation_base import NegotiationBase
from workplan.store import notes as store_notes
from workplan.store import rows

#: What names the title (a note of the document as a whole) where a paragraph ref is expected.
TITLE = "title"


def _note_text(text: str | None) -> str:
    if text is None or not text.strip():
        raise InputError("give the note's text (--text)")
    return clean_paragraphs(text, "note text")


class NotesMixin(NegotiationBase):
    """Adding, editing and removing notes of a document (secretariat, chair)."""

    def notes(self, doc_id: str, *, removed: bool = False) -> list[Note]:
        """A document's notes in order (the removed ones too with `removed`)."""
        self.draft(doc_id)
        return store_notes.notes(self.db, doc_id, withdrawn=removed)

    def note(self, doc_id: str, nid: str) -> Note:
        """One note by id (N2, n2), removed ones included."""
        want = nid.strip().upper()
        for n in store_notes.notes(self.db, doc_id, withdrawn=True):
            if n.id == want:
                return n
        raise NotFoundError(f"no note {want} in {doc_id}")

    def add_note(
        self, doc_id: str, refs: list[str], text: str, *, section: str | None = None
    ) -> Note:
        """Add a note called from paragraphs (`refs`), a section's heading, or the title
        (no refs, or `title`)."""
        with self._action("note.add") as rec:
            body = _note_text(text)
            draft = self.negotiation(doc_id).draft
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
            seq = store_notes.next_seq(self.db, doc_id)
            note = Note(
                document=doc_id,
                id=f"{NOTE_PREFIX}{seq}",
                text=body,
                paragraphs=uids,
                section=section,
                created_at=rec.at,
            )
            rec.change(rows.put(self.db, "notes", store_notes.note_row(note, seq)))
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
        with self._action("note.edit") as rec:
            body = _note_text(text)
            self.negotiation(doc_id)
            note = self._live_note(doc_id, nid)
            note.text = body
            key = {"document": doc_id, "id": note.id}
            rec.change(rows.update(self.db, "notes", key, {"text": body}))
            rec.event(
                "note.edited",
                {"note": note.id, "summary": f"note {note.id} edited"},
                document=doc_id,
            )
        return note

    def remove_note(self, doc_id: str, nid: str) -> Note:
        """Remove a note: it prints no more; its id is not reused and the record keeps it."""
        with self._action("note.remove") as rec:
            self.negotiation(doc_id)
            note = self._live_note(doc_id, nid)
            note.withdrawn = True
            key = {"document": doc_id, "id": note.id}
            rec.change(rows.update(self.db, "notes", key, {"withdrawn": 1}))
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
