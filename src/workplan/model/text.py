"""Text hygiene for everything that enters the record: NFC, nothing hidden.

Refused, named with its code point, name and position:

- controls (C0, C1, DEL), surrogates, private use and unassigned code points (noncharacters
  such as U+FFFE included): "forbidden character";
- bidirectional embeddings, overrides, isolates and marks ("Trojan Source"), and the line and
  paragraph separators: "forbidden character";
- every other invisible character: all format characters (Unicode category Cf: zero width
  space, joiners, word joiner, invisible operators, soft hyphen, byte order mark, interlinear
  annotation marks, tag characters U+E0000–U+E007F, Mongolian vowel separator, ...) and the
  invisible letters and marks that are not Cf (combining grapheme joiner, Hangul fillers,
  Khmer inherent vowels, variation selectors, Mongolian free variation selectors, Braille
  blank): "invisible character". Variation selectors are refused too, though emoji use them:
  a negotiated text has no need of them, and they can make two texts that look alike differ.

Pasted tabs and runs of spaces are made one space within each line, and lines are stripped
(`squeeze_spaces`); line breaks stay only where a text may have them (`clean_text`).

A single byte order mark at the very start of an imported file is an encoding mark, not text:
`check_file_text` strips it; anywhere else it is refused like any invisible character.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from workplan.errors import InputError

#: Bidirectional embedding/override/isolate controls ("Trojan Source") and marks.
BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
#: Line and paragraph separators that would silently split or join paragraphs.
SEPARATORS = frozenset("\u2028\u2029\x85")
#: Invisible characters outside category Cf (every Cf character is refused as well).
INVISIBLE = frozenset(
    "\u034f"  # COMBINING GRAPHEME JOINER
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers
    "\u17b4\u17b5"  # KHMER VOWEL INHERENT AQ, AA
    "\u180b\u180c\u180d\u180f"  # MONGOLIAN FREE VARIATION SELECTOR ONE..FOUR
    "\u2800"  # BRAILLE PATTERN BLANK
    + "".join(map(chr, range(0xFE00, 0xFE10)))  # VARIATION SELECTOR-1..16
    + "".join(map(chr, range(0xE0100, 0xE01F0)))  # VARIATION SELECTOR-17..256
)

MAX_TEXT_LENGTH = 20_000
MAX_LINE_LENGTH = 500

#: What a file may hold besides visible text: line ends and tabs.
FILE_WHITESPACE = frozenset("\n\r\t")


def _is_noncharacter(cp: int) -> bool:
    return 0xFDD0 <= cp <= 0xFDEF or (cp & 0xFFFE) == 0xFFFE


def _label(ch: str) -> str:
    """The character's name, or what it is when it has none (a control, an unassigned...)."""
    if _is_noncharacter(ord(ch)):
        return "noncharacter"
    kinds = {"Cn": "unassigned", "Co": "private use", "Cs": "surrogate"}
    return unicodedata.name(ch, "") or kinds.get(unicodedata.category(ch), "control")


@lru_cache(maxsize=4096)
def describe_bad_char(ch: str, *, allow_newlines: bool = False) -> str | None:
    """What is wrong with `ch` in a text (None when it may stand there).

    "forbidden character U+202E (RIGHT-TO-LEFT OVERRIDE)" or "invisible character U+200B
    ZERO WIDTH SPACE".
    """
    if ch == "\n":
        return None if allow_newlines else f"forbidden character U+000A ({_label(ch)})"
    if ch == "\t":
        return None
    category = unicodedata.category(ch)
    if ch in BIDI_CONTROLS or ch in SEPARATORS or category in ("Cc", "Cs", "Co", "Cn"):
        return f"forbidden character U+{ord(ch):04X} ({_label(ch)})"
    if category == "Cf" or ch in INVISIBLE:
        name = unicodedata.name(ch, "")
        return f"invisible character U+{ord(ch):04X} {name}".rstrip()
    return None


def find_bad_char(text: str, *, allow_newlines: bool = False) -> tuple[int, str] | None:
    """(index, description) of the first character `text` may not hold, or None.

    Each distinct character is looked at once (a paragraph has a few dozen, and what a
    character is, is remembered across texts), then the first bad one is located: reading a
    1,000-paragraph file spent most of its time here.
    """
    bad = {}
    for ch in set(text):
        what = describe_bad_char(ch, allow_newlines=allow_newlines)
        if what is not None:
            bad[ch] = what
    if not bad:
        return None
    i = min(text.index(ch) for ch in bad)
    return i, bad[text[i]]


def check_chars(text: str, what: str, *, allow_newlines: bool = False) -> None:
    """Raise InputError if text holds a control, bidi, invisible or unassigned character.

    The message names the character and its position (1-based, in characters):
    "amendment text contains an invisible character U+200B ZERO WIDTH SPACE at position 17".
    """
    found = find_bad_char(text, allow_newlines=allow_newlines)
    if found is not None:
        i, problem = found
        raise InputError(f"{what} contains {_article(problem)} {problem} at position {i + 1}")


def _article(problem: str) -> str:
    return "an" if problem[0] in "aeiou" else "a"


#: Printable ASCII and the file's whitespace: what most of a file is, and never refused.
_PLAIN_BYTES = bytes(range(0x20, 0x7F)) + "".join(sorted(FILE_WHITESPACE)).encode()


def _unusual_chars(text: str) -> set[str]:
    """The distinct characters of `text` other than printable ASCII, line ends and tabs.

    The text is encoded and its plain ASCII bytes deleted at C speed (they are one byte each
    in UTF-8, so what remains decodes to the other characters in order): a 7 MB file takes
    ~10 ms instead of the ~60 ms of `set(text)`."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, _PLAIN_BYTES)
    return set(rest.decode("utf-8", "surrogatepass"))


def check_file_text(text: str, source: str) -> str:
    """`text` of a whole file, without a leading byte order mark; refuse what it may not hold.

    Line ends and tabs aside, a file may hold only what a text may: a NUL, a control, a bidi
    control or an invisible character anywhere (in a title, a heading, an attribute or a
    paragraph) is refused as `file:line:column: contains ...` (1-based, columns in
    characters). One byte order mark at the very start is an encoding mark and is dropped.
    """
    text = text.removeprefix("\ufeff")
    bad = {}
    for ch in _unusual_chars(text):
        what = describe_bad_char(ch)
        if what is not None:
            bad[ch] = what
    if bad:
        i = min(text.index(ch) for ch in bad)
        line = text.count("\n", 0, i) + 1
        column = i - text.rfind("\n", 0, i)
        problem = bad[text[i]]
        raise InputError(f"{source}:{line}:{column}: contains {_article(problem)} {problem}")
    return text


#: What pasted text brings in between words: tabs and runs of spaces (one space each).
_SPACES = re.compile(r"[ \t]+")
#: A blank line (it may hold spaces and tabs), or several: what separates paragraphs.
BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")


def squeeze_spaces(line: str) -> str:
    """One line with every tab and run of spaces made one space, stripped at both ends.

    Only spaces and tabs are squeezed: a no-break space (French typography, "art. 5") is a
    deliberate character and stays. Idempotent, and keeps every other character in order.
    """
    if "  " not in line and "\t" not in line:  # no run to squeeze: most lines (~20x faster)
        return line.strip()
    return _SPACES.sub(" ", line).strip()


def clean_line(value: str, what: str = "text", *, max_length: int = MAX_LINE_LENGTH) -> str:
    """Normalise a one-line value (a title, a symbol, a comment line): NFC, tabs and runs of
    spaces made one space, stripped.

    Characters are checked as given, so a position counts what was typed; NFC never turns
    accepted characters into refused ones (every code point was checked).
    """
    check_chars(value, what)
    value = squeeze_spaces(unicodedata.normalize("NFC", value))
    if len(value) > max_length:
        raise InputError(f"{what} is too long ({len(value)} characters, at most {max_length})")
    return value


def clean_text(
    value: str, what: str = "paragraph text", *, max_length: int = MAX_TEXT_LENGTH
) -> str:
    """Normalise a paragraph text (also an amendment's text, a justification, one paragraph
    of a reservation).

    NFC; CRLF/CR become LF; in every line tabs and runs of spaces become one space, and the
    line is stripped; the text may hold line breaks (sub-items) but no blank line; it must
    not be empty.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    check_chars(value, what, allow_newlines=True)
    return clean_checked_text(value, what, max_length=max_length)


def clean_checked_text(
    value: str, what: str = "paragraph text", *, max_length: int = MAX_TEXT_LENGTH
) -> str:
    """`clean_text` of a value without carriage returns whose characters were checked already
    (a file's text, after `check_file_text`, and read from it): the rest of its refusals
    (empty, a blank line, too long) and its normalisation."""
    value = unicodedata.normalize("NFC", value)
    if "\n" not in value:  # one line (most paragraphs): what the lines below do to it
        value = squeeze_spaces(value)
        if not value:
            raise InputError(f"{what} is empty")
        if len(value) > max_length:
            raise InputError(f"{what} is too long ({len(value)} characters, at most {max_length})")
        return value
    lines = [squeeze_spaces(line) for line in value.strip().split("\n")]
    if not lines or lines == [""]:
        raise InputError(f"{what} is empty")
    if any(not line for line in lines):
        raise InputError(f"{what} contains a blank line: one paragraph is one block of text")
    value = "\n".join(lines)
    if len(value) > max_length:
        raise InputError(f"{what} is too long ({len(value)} characters, at most {max_length})")
    return value


def clean_paragraphs(value: str, what: str = "text") -> str:
    """Normalise a text that may hold several paragraphs (a long reservation): each paragraph
    is cleaned as by `clean_text`, and one blank line separates them, however many blank or
    space-only lines were typed. Empty is refused."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    parts = [p for p in BLANK_LINES.split(value) if p.strip()]
    if not parts:
        raise InputError(f"{what} is empty")
    return "\n\n".join(clean_text(p, what) for p in parts)


def counted(n: int, word: str, plural: str | None = None) -> str:
    """`n` and the word, singular for one: "1 paragraph", "3 paragraphs"."""
    return f"{n} {word if n == 1 else plural or word + 's'}"
