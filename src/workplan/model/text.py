"""Text hygiene for everything that enters the record: NFC, no control or bidi characters."""

from __future__ import annotations

import unicodedata

from workplan.errors import InputError

#: Bidirectional embedding/override/isolate controls ("Trojan Source") and marks.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
#: Line and paragraph separators that would silently split or join paragraphs.
SEPARATORS = frozenset("\u2028\u2029\x85")

MAX_TEXT_LENGTH = 20_000
MAX_LINE_LENGTH = 500


def _bad_char(ch: str, allow_newlines: bool) -> bool:
    if ch == "\n":
        return not allow_newlines
    if ch == "\t":
        return False
    if ch in BIDI_CONTROLS or ch in SEPARATORS:
        return True
    return unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn") and ch != "\t"


def _label(ch: str) -> str:
    """The character's name, or what it is when it has none (a control, an unassigned...)."""
    kinds = {"Cn": "unassigned", "Co": "private use", "Cs": "surrogate"}
    return unicodedata.name(ch, "") or kinds.get(unicodedata.category(ch), "control")


def check_chars(text: str, what: str, *, allow_newlines: bool = False) -> None:
    """Raise InputError if text holds a control, bidi-override or unassigned character.

    Each distinct character is looked at once (a paragraph has a few dozen), then the first
    bad one is located: reading a 1,000-paragraph file spent most of its time here.
    """
    bad = [ch for ch in set(text) if _bad_char(ch, allow_newlines)]
    if bad:
        i = min(text.index(ch) for ch in bad)
        ch = text[i]
        raise InputError(
            f"{what} contains a forbidden character U+{ord(ch):04X} "
            f"({_label(ch)}) at position {i + 1}"
        )


def clean_line(value: str, what: str = "text", *, max_length: int = MAX_LINE_LENGTH) -> str:
    """Normalise a one-line value (a title, a symbol, a comment line): NFC, stripped."""
    value = unicodedata.normalize("NFC", value).strip()
    check_chars(value, what)
    if len(value) > max_length:
        raise InputError(f"{what} is too long ({len(value)} characters, at most {max_length})")
    return value


def clean_text(
    value: str, what: str = "paragraph text", *, max_length: int = MAX_TEXT_LENGTH
) -> str:
    """Normalise a paragraph text.

    NFC; CRLF/CR become LF; every line is stripped; the text may hold line breaks
    (sub-items) but no blank line; it must not be empty.
    """
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    check_chars(value, what, allow_newlines=True)
    lines = [line.strip() for line in value.strip().split("\n")]
    if not lines or lines == [""]:
        raise InputError(f"{what} is empty")
    if any(not line for line in lines):
        raise InputError(f"{what} contains a blank line: one paragraph is one block of text")
    value = "\n".join(lines)
    if len(value) > max_length:
        raise InputError(f"{what} is too long ({len(value)} characters, at most {max_length})")
    return value
