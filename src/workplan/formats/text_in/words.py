"""Nothing is lost: every word of the input must be in the record or in the list of what was
dropped on purpose."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

_WORD = re.compile(r"[^\W\d_]+")
#: Markup of the forms read, never words of the text.
_MARKUP = {"footnoteref", "idem", "ídem", "ibidem"}


def words(text: str) -> list[str]:
    """The words of `text` that must survive: runs of letters (numbers are not words: a note's
    number printed glued to its first word, `1La`, is read off it)."""
    text = unicodedata.normalize("NFC", text)
    return _WORD.findall(text)


def missing_words(lines: list[str], kept: Iterable[str]) -> list[tuple[int, str]]:
    """Words of the input `lines` not found in `kept` (every text of the record and every line
    dropped on purpose), counted: a word printed three times must be kept three times. Each
    with the line it is on (1-based), in reading order."""
    have = Counter(w.casefold() for text in kept for w in words(text))
    missing: list[tuple[int, str]] = []
    for no, line in enumerate(lines, start=1):
        for w in words(line):
            key = w.casefold()
            if key in _MARKUP:
                continue
            if have[key] > 0:
                have[key] -= 1
            else:
                missing.append((no, w))
    return missing
