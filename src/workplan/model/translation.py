"""Translations: a text of the document (a paragraph, a reservation, the title, a section
heading) in another official language, tied to the version of the original it translates."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import ValidationInfo, field_validator

from workplan.errors import InputError
from workplan.model.base import Model
from workplan.model.languages import LANGUAGES
from workplan.model.text import clean_line, clean_paragraphs, clean_text

TranslationState = Literal["current", "stale", "missing"]

#: The states, in the order listings and counts give them.
STATES: tuple[TranslationState, ...] = ("current", "stale", "missing")


class TargetKind(StrEnum):
    """What a translation translates."""

    PARAGRAPH = "paragraph"
    RESERVATION = "reservation"
    TITLE = "title"
    SECTION = "section"


#: The target of the document's title (it has no id of its own).
TITLE = "title"


def source_hash(text: str) -> str:
    """The source of a translation of a text that has no version (a reservation, the title, a
    heading): a short hash of the original text it was made from."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def paragraph_source(version: int) -> str:
    """The source of a paragraph's translation: the paragraph's version, as stored."""
    return str(version)


def translation_state(source: str | int | None, current: str | int) -> TranslationState:
    """`current` when the translation was made from the original as it is now (`source`, the
    version or hash it was made from, equals `current`), `stale` when the original changed
    since, `missing` when there is no translation (`source` is None)."""
    if source is None:
        return "missing"
    return "current" if str(source) == str(current) else "stale"


def states(
    sources: dict[str, str], current: str | int, languages: tuple[str, ...]
) -> dict[str, TranslationState]:
    """Each language's state for one text: `sources` gives, by language, the source each
    existing translation was made from."""
    return {lang: translation_state(sources.get(lang), current) for lang in languages}


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
    reservation several paragraphs, a title or a heading one line."""
    what = "translation"
    if kind == TargetKind.RESERVATION:
        return clean_paragraphs(value, what)
    if kind in (TargetKind.TITLE, TargetKind.SECTION):
        value = clean_line(value, what)
        if not value:
            raise InputError(f"{what} is empty")
        return value
    return clean_text(value, what)
