"""What a translation's state is (current, stale, missing), without pydantic: the read path
(`status --json`) derives it as the write side does."""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Literal

TranslationState = Literal["current", "stale", "missing"]

#: The states, in the order listings and counts give them.
STATES: tuple[TranslationState, ...] = ("current", "stale", "missing")


class TargetKind(StrEnum):
    """What a translation translates."""

    PARAGRAPH = "paragraph"
    RESERVATION = "reservation"
    TITLE = "title"
    SECTION = "section"
    NOTE = "note"


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


def footnote_kind(key: str) -> TargetKind:
    """What a footnote translates: a note of the document (`N2`) or a reservation (`R2`)."""
    return TargetKind.NOTE if key[:1] in ("N", "n") else TargetKind.RESERVATION


class Tally:
    """Paragraphs' translation states counted per language (deleted paragraphs aside): what
    `status` and the dashboard give for each language other than the original's."""

    def __init__(self, languages: tuple[str, ...]) -> None:
        self.languages = languages
        self.counts: dict[str, dict[str, int]] = {
            lang: dict.fromkeys(STATES, 0) for lang in languages
        }

    def add(
        self, sources: dict[str, str], version: int, *, deleted: bool
    ) -> dict[str, TranslationState]:
        """One paragraph (`sources`: the source of each language's translation of it): its
        state in each language, counted unless it is deleted."""
        found = states(sources, version, self.languages)
        if not deleted:
            for lang, state in found.items():
                self.counts[lang][state] += 1
        return found
