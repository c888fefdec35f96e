"""Translations: a document's texts in the other official languages, each tied to the version
of the original it was made from, so that a translation lagging the text is flagged stale.

The secretariat records them, one at a time (`translate`) or from a translated file aligned
with the document (`import_translation`). Positions and consensus stay on the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workplan.errors import InputError, NotFoundError, ProcedureError
from workplan.model.draft import Draft
from workplan.model.languages import (
    language_code,
    language_name,
    other_languages,
    require_language,
)
from workplan.model.negotiation import Reservation
from workplan.model.note import Note
from workplan.model.translation import (
    STATES,
    TITLE,
    TargetKind,
    Translation,
    TranslationState,
    clean_translation,
    paragraph_source,
    source_hash,
    translation_state,
)
from workplan.model.translation_state import Tally
from workplan.service.core import Recorder, Session
from workplan.service.negotiation_base import Negotiation, Negotiations
from workplan.store import notes as store_notes
from workplan.store import translations as store_tr

_RESERVATION = re.compile(r"^[Rr]\d+$")
_NOTE = re.compile(r"^[Nn]\d+$")


@dataclass(frozen=True)
class Target:
    """A text of the document that can be translated, as it stands now."""

    kind: TargetKind
    target: str
    """The paragraph's uid, the reservation's id, `title` or the section's id."""
    ref: str
    """How it is named: `OP3`, `R2`, `title`, `section prevention`."""
    text: str
    """The original text now."""
    source: str
    """What a translation made now is made from: the version, or a hash of the text."""


def targets(neg: Negotiation, notes: list[Note]) -> list[Target]:
    """Every text of a document that is translated, in reading order: the title, then each
    section heading before its first paragraph, the paragraphs (deleted ones left out), then
    the reservations and the notes of the document in force."""
    draft = neg.draft
    found = [Target(TargetKind.TITLE, TITLE, TITLE, draft.document.title, "")]
    found = [t for t in found if t.text]
    found = [Target(t.kind, t.target, t.ref, t.text, source_hash(t.text)) for t in found]
    shown: set[str] = set()
    for p in draft.paragraphs:
        if p.deleted:
            continue
        for s in draft.section_path(p.section):
            if s.id not in shown:
                shown.add(s.id)
                found.append(
                    Target(
                        TargetKind.SECTION, s.id, f"section {s.id}", s.title, source_hash(s.title)
                    )
                )
        found.append(
            Target(
                TargetKind.PARAGRAPH,
                p.uid,
                draft.ref(p.uid),
                p.text,
                paragraph_source(p.version),
            )
        )
    found += [
        Target(TargetKind.RESERVATION, r.id, r.id, r.text, source_hash(r.text))
        for r in neg.reservations
        if not r.withdrawn
    ]
    found += [
        Target(TargetKind.NOTE, n.id, n.id, n.text, source_hash(n.text))
        for n in notes
        if not n.withdrawn
    ]
    return found


def resolve_target(neg: Negotiation, ref: str, notes: list[Note]) -> Target:
    """The text `ref` names: `title`, a reservation (`R2`), a note of the document (`N1`), a
    section's id, or a paragraph (`OP3`, `PP2`, a uid)."""
    draft = neg.draft
    name = ref.strip()
    if name.lower() == TITLE:
        if not draft.document.title:
            raise ProcedureError(f"{draft.document.id} has no title to translate")
        title = draft.document.title
        return Target(TargetKind.TITLE, TITLE, TITLE, title, source_hash(title))
    if _RESERVATION.match(name):
        r = neg.reservation(name)
        if r.withdrawn:
            raise ProcedureError(f"{r.id} was withdrawn")
        return Target(TargetKind.RESERVATION, r.id, r.id, r.text, source_hash(r.text))
    if _NOTE.match(name):
        note = next((n for n in notes if n.id == name.upper()), None)
        if note is None:
            raise NotFoundError(f"no note {name.upper()} in {draft.document.id} (see `notes`)")
        if note.withdrawn:
            raise ProcedureError(f"{note.id} was removed")
        return Target(TargetKind.NOTE, note.id, note.id, note.text, source_hash(note.text))
    section = draft.section_by_id.get(name.removeprefix("section ").strip().lower())
    if section is not None:
        return Target(
            TargetKind.SECTION,
            section.id,
            f"section {section.id}",
            section.title,
            source_hash(section.title),
        )
    p = Negotiations.paragraph(neg, name)
    return Target(
        TargetKind.PARAGRAPH, p.uid, draft.ref(p.uid), p.text, paragraph_source(p.version)
    )


class Translations:
    """Recording, listing and importing translations."""

    def __init__(self, session: Session, negotiations: Negotiations) -> None:
        self.session = session
        self.negotiations = negotiations

    def _notes(self, doc_id: str) -> list[Note]:
        """The document's notes in force (translated like its reservations)."""
        return store_notes.notes(self.session.db, doc_id)

    def paragraph_counts(self, doc_id: str) -> dict[str, dict[str, int]]:
        """Per language other than the original's, how many paragraphs (deleted ones aside)
        have a current, a stale and no translation: the dashboard's line (as `status`)."""
        from workplan.store import read as store_read

        db = self.session.db
        sources = store_tr.paragraph_sources(db, doc_id)
        tally = Tally(self.languages(doc_id))
        for p in store_read.paragraphs(db, doc_id):  # versions alone: no text, no models
            tally.add(sources.get(p.uid, {}), p.version, deleted=p.deleted)
        return tally.counts

    def languages(self, doc_id: str) -> tuple[str, ...]:
        """The languages a document is translated into (all but its original's)."""
        return other_languages(self.session.document(doc_id).original_language)

    def _target_language(self, doc_id: str, lang: str) -> str:
        code = require_language(lang)
        original = self.session.document(doc_id).original_language
        if language_code(original) == code:
            raise InputError(
                f"{doc_id} is written in {original}: its translations are into"
                f" {', '.join(other_languages(original))}"
            )
        return code

    def translate(self, doc_id: str, ref: str, lang: str, text: str) -> dict[str, Any]:
        """Record a translation of one text of the document (secretariat), made from the
        original as it stands now."""
        code = self._target_language(doc_id, lang)
        with self.negotiations.negotiating("translation.set", doc_id) as (rec, neg):
            target = resolve_target(neg, ref, self._notes(doc_id))
            t = Translation(
                document=doc_id,
                kind=target.kind,
                target=target.target,
                lang=code,
                text=clean_translation(text, target.kind),
                source=target.source,
                source_text=target.text,
                at=rec.at,
            )
            rec.change(store_tr.put_translations(self.session.db, [t]))
            named = neg.draft.named(target.target) if target.kind == "paragraph" else target.ref
            rec.event(
                "translation.set",
                {
                    "kind": str(target.kind),
                    "target": target.target,
                    "ref": target.ref,
                    "lang": code,
                    "source": target.source,
                    "summary": f"{language_name(code)} translation of {named}",
                },
                document=doc_id,
            )
        return {**_listed(t, target.ref, "current"), "document": doc_id}

    def translations(
        self, doc_id: str, lang: str | None = None, *, stale_only: bool = False
    ) -> dict[str, Any]:
        """The document's translations with their state (current or stale; a translation
        of a text no longer in the document is left out), and per language how many of its
        texts are current, stale and missing."""
        neg = self.negotiations.load(doc_id)
        langs = (self._target_language(doc_id, lang),) if lang else self.languages(doc_id)
        live = {(t.kind, t.target): t for t in targets(neg, self._notes(doc_id))}
        have: dict[tuple[str, str, str], Translation] = {
            (str(t.kind), t.target, t.lang): t
            for t in store_tr.translations(self.session.db, doc_id)
            if t.lang in langs
        }
        rows: list[dict[str, Any]] = []
        counts = {code: dict.fromkeys(STATES, 0) for code in langs}
        for (kind, target), now in live.items():
            for code in langs:
                t = have.get((kind, target, code))
                state = translation_state(t.source if t else None, now.source)
                counts[code][state] += 1
                if t is None or (stale_only and state != "stale"):
                    continue
                rows.append(_listed(t, now.ref, state))
        return {
            "document": doc_id,
            "languages": list(langs),
            "translations": rows,
            "counts": counts,
        }

    def side_by_side(self, doc_id: str, ref: str, lang: str) -> dict[str, Any]:
        """One text in the original and in `lang`: the translation, its state, and the
        original as it was when the translation was made (for the word diff of what changed)."""
        code = self._target_language(doc_id, lang)
        neg = self.negotiations.load(doc_id)
        target = resolve_target(neg, ref, self._notes(doc_id))
        found = [
            t
            for t in store_tr.translations(self.session.db, doc_id, code, target.kind)
            if t.target == target.target
        ]
        t = found[0] if found else None
        return {
            "ref": target.ref,
            "kind": str(target.kind),
            "lang": code,
            "original": target.text,
            "translation": t.text if t else None,
            "state": translation_state(t.source if t else None, target.source),
            "source_text": t.source_text if t else None,
        }

    def paragraphs(self, doc_id: str, lang: str) -> list[dict[str, Any]]:
        """Every paragraph (deleted ones left out) side by side with its translation into
        `lang`: ref, uid, state, the original now, the translation, and the original as it was
        when the translation was made. One load and one query, for the TUI's side-by-side."""
        code = self._target_language(doc_id, lang)
        neg = self.negotiations.load(doc_id)
        made = {
            t.target: t
            for t in store_tr.translations(self.session.db, doc_id, code, TargetKind.PARAGRAPH)
        }
        out = []
        for p in neg.draft.paragraphs:
            if p.deleted:
                continue
            t = made.get(p.uid)
            out.append(
                {
                    "ref": neg.draft.ref(p.uid),
                    "uid": p.uid,
                    "state": translation_state(t.source if t else None, p.version),
                    "original": p.text,
                    "translation": t.text if t else None,
                    "source_text": t.source_text if t else None,
                }
            )
        return out

    def import_translation(
        self, path: str | Path, doc_id: str, lang: str, *, force: bool = False
    ) -> dict[str, Any]:
        """Read a translated text (any format `import` takes) and align it with `doc_id`
        paragraph by paragraph (kind, order and numbering, then structure), its footnotes
        with the reservations (by delegation and order). Nothing is stored unless everything
        aligns, or `force`, which stores what aligned; the report lists both."""
        from workplan.model.alignment import Note, align, draft_side, oas_side
        from workplan.service.imports import parse_file

        code = self._target_language(doc_id, lang)
        self.session.document(doc_id)  # a missing document before reading the file
        p = Path(path)
        fmt, read = parse_file(p)
        translation = draft_side(read) if isinstance(read, Draft) else oas_side(read.doc)
        with self.negotiations.negotiating("translation.import", doc_id) as (rec, neg):
            active = [r for r in neg.reservations if not r.withdrawn]
            original = draft_side(neg.draft, [Note(r.id, r.delegation, r.text) for r in active])
            result = align(original, translation)
            if result.unaligned and not force:
                first = "; ".join(u.describe() for u in result.unaligned[:3])
                more = len(result.unaligned) - 3
                raise InputError(
                    f"{p}: {len(result.unaligned)} item(s) could not be aligned with {doc_id}:"
                    f" {first}"
                    + (f"; and {more} more" if more > 0 else "")
                    + " (nothing changed; --force stores what aligned and lists the rest)"
                )
            items = {t.key: t for t in translation.items}
            notes = {n.key: n for n in translation.notes}
            made = self._aligned(neg, code, rec, result, items, notes)
            if made:
                rec.change(store_tr.put_translations(self.session.db, made))
                rec.event(
                    "translation.imported",
                    {
                        "file": p.name,
                        "format": fmt,
                        "lang": code,
                        "translations": len(made),
                        "unaligned": len(result.unaligned),
                        "summary": f"{len(made)} {language_name(code)} translations imported"
                        f" from {p.name}"
                        + (f" ({len(result.unaligned)} not aligned)" if result.unaligned else ""),
                    },
                    document=doc_id,
                )
        refs = {p.uid: neg.draft.ref(p.uid) for p in neg.draft.paragraphs}
        return {
            "document": doc_id,
            "file": str(p),
            "format": fmt,
            "lang": code,
            "stored": len(made),
            "method": result.method,
            "aligned": {
                "paragraphs": [
                    {"ref": refs[uid], "uid": uid, "translation": items[key].label}
                    for uid, key in result.paragraphs.items()
                ],
                "reservations": [
                    {"id": rid, "translation": key} for rid, key in result.reservations.items()
                ],
                "sections": sorted(result.sections),
                "title": result.title is not None,
            },
            "unaligned": [
                {"what": u.what, "original": u.original, "translation": u.translation, "why": u.why}
                for u in result.unaligned
            ],
        }

    @staticmethod
    def _aligned(
        neg: Negotiation,
        code: str,
        rec: Recorder,
        result: Any,
        items: dict[str, Any],
        notes: dict[str, Any],
    ) -> list[Translation]:
        """The translations an alignment gives, each made from the original as it is now."""
        draft = neg.draft
        doc_id = draft.document.id

        def made(
            kind: TargetKind, target: str, text: str, original: str, source: str
        ) -> Translation:
            return Translation(
                document=doc_id,
                kind=kind,
                target=target,
                lang=code,
                text=clean_translation(text, kind),
                source=source,
                source_text=original,
                at=rec.at,
            )

        out: list[Translation] = []
        if result.title and draft.document.title:
            title = draft.document.title
            period = draft.document.period
            said = result.title
            if period and said.endswith(f"({period})"):  # exports print the period after it
                said = said.removesuffix(f"({period})").rstrip()
            out.append(made(TargetKind.TITLE, TITLE, said, title, source_hash(title)))
        for sid, heading in result.sections.items():
            s = draft.section_by_id[sid]
            out.append(
                made(
                    TargetKind.SECTION, sid, _cased(heading, s.title), s.title, source_hash(s.title)
                )
            )
        for uid, key in result.paragraphs.items():
            p = draft.by_uid[uid]
            out.append(
                made(
                    TargetKind.PARAGRAPH, uid, items[key].text, p.text, paragraph_source(p.version)
                )
            )
        by_id: dict[str, Reservation] = {r.id: r for r in neg.reservations}
        for rid, key in result.reservations.items():
            r = by_id[rid]
            out.append(
                made(TargetKind.RESERVATION, rid, notes[key].text, r.text, source_hash(r.text))
            )
        return out


def _cased(heading: str, original: str) -> str:
    """A translated heading in the original's case: plain text prints top-level headings in
    capitals (`ANTECEDENTES`), which the original (`Background`) does not hold."""
    if heading.isupper() and not original.isupper():
        return heading[:1] + heading[1:].lower()
    return heading


def _listed(t: Translation, ref: str, state: TranslationState) -> dict[str, Any]:
    """One translation as listings give it."""
    return {
        "kind": str(t.kind),
        "target": t.target,
        "ref": ref,
        "lang": t.lang,
        "state": state,
        "source": t.source,
        "text": t.text,
        "at": t.at.isoformat(),
    }
