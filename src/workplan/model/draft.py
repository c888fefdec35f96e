"""A whole draft: a document with its sections and paragraphs, in order, with printed refs."""

from __future__ import annotations

from functools import cached_property

from pydantic import ConfigDict, Field

from workplan.model.base import Model
from workplan.model.document import Document, Paragraph, Section
from workplan.model.note import Note
from workplan.model.refs import held_refs, resolve_ref


class Draft(Model):
    """A document and its content, as loaded from the record or parsed from a file."""

    model_config = ConfigDict(ignored_types=(cached_property,))

    document: Document
    """The document's metadata."""
    sections: list[Section] = Field(default_factory=list)
    """Sections in document order."""
    paragraphs: list[Paragraph] = Field(default_factory=list)
    """Paragraphs in document order."""
    notes: list[Note] = Field(default_factory=list)
    """The document's notes in force, in order (filled where they are written or read: the
    draft format, exports; a draft loaded for negotiating leaves them out)."""

    @cached_property
    def refs(self) -> dict[str, str]:
        """uid → printed ref, holding still between revisions (`OP4 bis` for an insertion).

        Paragraphs keep their `held_ref`; a draft without any (a file just read) is numbered
        afresh."""
        base = {p.uid: p.held_ref for p in self.paragraphs if p.held_ref}
        return held_refs(self.paragraphs, self.sections, self.document.numbering, base or None)

    @cached_property
    def by_uid(self) -> dict[str, Paragraph]:
        """uid → paragraph."""
        return {p.uid: p for p in self.paragraphs}

    @cached_property
    def section_by_id(self) -> dict[str, Section]:
        """section id → section."""
        return {s.id: s for s in self.sections}

    def resolve(self, ref: str) -> Paragraph:
        """The paragraph a printed ref (`OP12`, `12`, `PP3`) or uid names."""
        return self.by_uid[resolve_ref(ref, self.refs, self.document.id)]

    def ref(self, uid: str) -> str:
        """The printed ref of a paragraph, or its uid when it has none."""
        return self.refs.get(uid) or uid

    def named(self, uid: str) -> str:
        """How the record names a paragraph: its ref now and its uid (`OP4 bis (p-1a2b)`), so
        a summary never comes to point at another paragraph when refs change."""
        ref = self.refs.get(uid)
        return f"{ref} ({uid})" if ref else uid

    def section_path(self, section: str | None) -> list[Section]:
        """The section and its ancestors, outermost first."""
        path: list[Section] = []
        while section is not None and section in self.section_by_id:
            s = self.section_by_id[section]
            if s in path:
                break
            path.insert(0, s)
            section = s.parent
        return path
