"""Translations: a text of the document (a paragraph, a reservation, the title, a section
heading) in another official language, tied to the version of the original it translates."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationInfo, field_validator

from workplan.errors import InputError
from workplan.model.base import Model
from workplan.model.languages import LANGUAGES
from workplan.model.text import clean_line, clean_paragraphs, clean_text
from workplan.model.translation_state import (  # re-exported: one definition
    STATES as STATES,
)
from workplan.model.translation_state import TITLE as TITLE
from workplan.model.translation_state import TargetKind as TargetKind
from workplan.model.translation_state import TranslationState as TranslationState
from workplan.model.translation_state import footnote_kind as footnote_kind
from workplan.model.translation_state import paragraph_source as paragraph_source
from workplan.model.translation_state import source_hash as source_hash
from workplan.model.translation_state import states as states
from workplan.model.translation_state import translation_state as translation_state


class Translation(Model):
    """One text of a document in one official language."""

    document: str
    """The document's id."""
    kind: TargetKind
    """What it translates."""
    target: str
    """A paragraph's uid, a reservation's id (`R2`), `title`, or a section's id."""
    lang: str
    """The language: en, es, fr or pt."""
    text: str
    """The translated text."""
    source: str
    """What it was made from: the paragraph's version, or a hash of the original text."""
    source_text: str = ""
    """The original text it was made from (what the translator saw)."""
    at: datetime
    """When it was recorded (UTC)."""

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"a language is one of {', '.join(LANGUAGES)}, not {value!r}")
        return value

    @field_validator("text")
    @classmethod
    def _text(cls, value: str, info: ValidationInfo) -> str:
        return clean_translation(value, info.data.get("kind", TargetKind.PARAGRAPH))


def clean_translation(value: str, kind: TargetKind | str) -> str:
    """A translated text cleaned as its original is: a paragraph may hold line breaks, a
    reservation or a note several paragraphs, a title or a heading one line."""
    what = "translation"
    if kind in (TargetKind.RESERVATION, TargetKind.NOTE):
        return clean_paragraphs(value, what)
    if kind in (TargetKind.TITLE, TargetKind.SECTION):
        value = clean_line(value, what)
        if not value:
            raise InputError(f"{what} is empty")
        return value
    return clean_text(value, what)
