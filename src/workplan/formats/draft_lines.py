"""A line-based reader for the draft format's common case, markdown-it's result without it.

A draft as `write_draft` writes it, and most that people write by hand, is front matter,
`# Title {#id}` headings, and blocks of one attribute line (`{#uid .kind key="value"}`, or a
note's `{#N1 .note paragraphs="uid"}`) over plain text: text in which markdown-it finds
nothing but backslash escapes, hard breaks (a backslash or two spaces at a line's end) and
soft ones. `read_common` reads that in one pass over the lines and checks what
`draft_md._parse` checks, building paragraphs without pydantic's validation (their values
are checked here: the uid, the kind, the status, the section, the text's hygiene).

It returns None for anything it does not recognise with certainty, or that is wrong: a line
that could open a Markdown block (`#` but a heading as above, `>`, `-`, `+`, `*`, `=`, `_`,
a backtick, `~`, `<`, `{`, `|`, `[`, `1.`, indentation), text with a character an inline
rule could act on (`` ` ``, `*`, `_`, `[`, `]`, `<`, `&` unless escaped), an attribute line
in any other form, or any error at all. `draft_md.parse_draft` then parses the file with
markdown-it, which gives the Draft or the error with its line: the two readers give the same
Draft for every file this one accepts (a property test in tests/test_draft_lines.py).
"""

from __future__ import annotations

import re
from typing import Any

from workplan.errors import InputError
from workplan.formats import draft_md as md
from workplan.model import Decision, Document, Draft, Lineage, Paragraph, ParagraphKind, Section
from workplan.model.base import trusted
from workplan.model.document import SLUG, UID
from workplan.model.note import Note
from workplan.model.text import clean_checked_text, clean_line, clean_paragraphs, clean_text
from workplan.model.vocab import Numbering

#: A line that may open a block other than a paragraph starts with one of these.
_BLOCK_START = frozenset("#>-+*=_`~<{|[ \t")
_LIST_NUMBER = re.compile(r"[0-9]+[.)]")
_DIGITS = frozenset("0123456789")
#: What an inline rule other than escapes and breaks acts on.
_INLINE = re.compile(r"[`*_\[\]<&]")
_INLINE_CHARS = "\\`*_[]<&"
#: A line of spaces and tabs (blank to markdown-it).
_SPACE_LINES = re.compile(r"^[ \t]+$", re.MULTILINE)
#: ASCII punctuation: what a backslash escapes (markdown-it's `_ESCAPED`).
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
#: An attribute line in the form the writer gives it: id, one class, quoted values.
_ATTRS = re.compile(
    r'\{#(?P<id>[A-Za-z0-9_-]+) \.(?P<cls>[A-Za-z0-9_-]+)(?P<kv>(?: [a-z]+="[^"\\{}]*")*)\}'
)
_KEY_VALUE = re.compile(r' ([a-z]+)="([^"]*)"')
_KINDS = {k.value: k for k in ParagraphKind}
_DECISIONS = {d.value: d for d in Decision}
#: The fields `draft_md` gives a Paragraph (the document is set after it is built).
_GIVEN = ("uid", "section", "position", "kind", "text", "lineage", "decision", "document")


#: The document's fields that hold a line of text, and how a refusal names them.
_LINES = {"title": "title", "symbol": "symbol", "original_language": "original language"}
_NUMBERINGS = {n.value: n for n in Numbering}


class _Unsure(Exception):
    """Not the common case, or wrong: markdown-it reads it (and says what is wrong)."""


def read_common(text: str) -> Draft | None:
    """The Draft `draft_md._parse` gives for `text` (checked by `check_file_text`), or None
    when the text is not in the common case or holds an error."""
    try:
        return _Reader(text).read()
    except (_Unsure, md._Fail, InputError, ValueError):
        return None


def _document(data: dict[str, Any]) -> Document | None:
    """The Document `Document.model_validate(data)` gives, built without pydantic when every
    value has the type its field takes as it is (no coercion); None to have it validated."""
    values: dict[str, Any] = {
        "id": data.get("id"),
        "title": data.get("title"),
        "symbol": data.get("symbol", ""),
        "period_start": data.get("period_start"),
        "period_end": data.get("period_end"),
        "original_language": data.get("original_language", "English"),
        "adopted": data.get("adopted"),
        "derived_from": data.get("derived_from"),
        "numbering": _NUMBERINGS.get(str(data.get("numbering", "continuous"))),
        "metadata": data.get("metadata", {}),
    }
    start, end, derived = values["period_start"], values["period_end"], values["derived_from"]
    if (
        not isinstance(values["id"], str)
        or not SLUG.match(values["id"])
        or not (derived is None or (isinstance(derived, str) and SLUG.match(derived)))
        or not all(type(v) is int for v in (start, end) if v is not None)
        or not (values["adopted"] is None or isinstance(values["adopted"], str))
        or values["numbering"] is None
        or not isinstance(data.get("numbering", ""), str)
        or (start is not None and end is not None and end < start)
    ):
        return None
    for key, what in _LINES.items():
        if key in data:
            if not isinstance(data[key], str):
                return None
            values[key] = clean_line(data[key], what)
    values["metadata"] = {
        clean_line(k, "metadata key"): clean_text(v, f"metadata {k}")
        for k, v in values["metadata"].items()
    }
    return trusted(Document, values, set(data))


def _line_text(line: str) -> tuple[str, int, bool]:
    """One line's text with its escapes resolved, the number of spaces that end it after its
    last escape, and whether it ends with a backslash that escapes nothing."""
    if "\\" not in line:
        if _INLINE.search(line):
            raise _Unsure
        return line, len(line) - len(line.rstrip(" ")), False
    out: list[str] = []
    start = 0
    while (i := line.find("\\", start)) >= 0:
        if _INLINE.search(line, start, i):
            raise _Unsure
        out.append(line[start:i])
        if i + 1 == len(line):
            return "".join(out), 0, True
        ch = line[i + 1]
        out.append(ch if ch in _ESCAPABLE else "\\" + ch)
        start = i + 2
    tail = line[start:]
    if _INLINE.search(tail):
        raise _Unsure
    out.append(tail)
    return "".join(out), len(tail) - len(tail.rstrip(" ")), False


def _inline(lines: list[str]) -> str:
    """The text markdown-it's inline rules give for a paragraph of plain lines: escapes
    resolved, a hard break as a line break, a soft break as a space."""
    lines = [*lines[:-1], lines[-1].rstrip()]  # the block's content is trimmed at its end
    lines[0] = lines[0].lstrip()
    parts: list[str] = []
    last = len(lines) - 1
    for k, line in enumerate(lines):
        text, spaces, backslash = _line_text(line)
        if k == last:
            parts.append(text + "\\" if backslash else text)
        elif backslash:
            parts.append(text + "\n")
        elif spaces >= 2:
            parts.append(text[:-spaces] + "\n")
        else:  # a soft break: a space (one space that ends the line is dropped for it)
            parts.append(text if spaces else text + " ")
    return "".join(parts)


def _plain_line(line: str) -> bool:
    """Whether the line can only be a paragraph's text (or its continuation)."""
    if not line or line[0] in _BLOCK_START:
        return False
    return not (line[0] in _DIGITS and _LIST_NUMBER.match(line))


class _Reader:
    """One pass over the lines of a draft."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sections: list[Section] = []
        self.section_ids: set[str] = set()
        self.stack: list[Section] = []
        self.paragraphs: list[Paragraph] = []
        self.uids: dict[str, int] = {}
        self.notes: list[tuple[int, Note]] = []

    def read(self) -> Draft:
        body = self._front_matter()
        if "\n " in body or "\n\t" in body or body[:1] in (" ", "\t"):
            body = _SPACE_LINES.sub("", body)  # a line of spaces is blank
        # Without a backslash or a character an inline rule acts on, a line is its text.
        self.plain = not any(c in body for c in _INLINE_CHARS)
        lines, n, end = body.split("\n"), 0, 0
        while n < len(lines):
            line = lines[n]
            if not line:
                n += 1
            elif line[0] == "#":
                self._heading(line)
                n += 1
            elif line[0] == "{":
                end = n + 1
                while end < len(lines) and lines[end]:  # the text: up to a blank line
                    end += 1
                self._block(line, lines[n + 1 : end])
                n = end
            else:
                raise _Unsure
        md._check_notes(self.notes, self.uids, self.section_ids)
        values = {
            "document": self.document,
            "sections": self.sections,
            "paragraphs": self.paragraphs,
            "notes": [note for _, note in self.notes],
        }
        return trusted(Draft, values)

    def _front_matter(self) -> str:
        """Read the front matter (exactly `---` lines around it); the text after it."""
        text = self.text
        if not text.startswith("---\n"):
            raise _Unsure
        start = pos = 4
        while (end := text.find("\n", pos)) >= 0 or pos < len(text):
            line = text[pos:] if end < 0 else text[pos:end]
            if line == "---":
                content = text[start : max(pos - 1, start)]
                self.document: Document = md._front_matter(content, _document)
                return "" if end < 0 else text[end + 1 :]
            if line.lstrip(" \t").startswith("---") or line.startswith("..."):
                raise _Unsure
            if end < 0:
                break
            pos = end + 1
        raise _Unsure

    def _heading(self, line: str) -> None:
        level = len(line) - len(line.lstrip("#"))
        rest = line[level:]
        if level > 6 or rest[:1] != " " or not rest.rstrip(" \t").endswith("}"):
            raise _Unsure
        m = md._HEADING_ID.match(rest.strip())
        if not m or level > len(self.stack) + 1:
            raise _Unsure
        title = _inline([m["title"]]) if m["title"] else ""
        stack = self.stack[: level - 1]
        parent = stack[-1].id if stack else None
        sid = m["id"]
        if not SLUG.match(sid) or sid in self.section_ids:
            raise _Unsure
        title = clean_line(title, "section title")
        values = {"id": sid, "title": title, "position": len(self.sections), "parent": parent}
        section = trusted(Section, values)
        self.sections.append(section)
        self.section_ids.add(section.id)
        self.stack = [*stack, section]

    def _block(self, head: str, lines: list[str]) -> None:
        """Read an attribute line and the lines of text under it."""
        m = _ATTRS.fullmatch(head)
        if not m or not lines:
            raise _Unsure  # not an attribute line, or one with no paragraph under it
        attrs: dict[str, str] = {}
        if kv := m["kv"]:
            attrs = dict(_KEY_VALUE.findall(kv))
            if len(attrs) != kv.count('="') or "id" in attrs or "class" in attrs:
                raise _Unsure  # a key given twice, or as the id or the class
        if not all(map(_plain_line, lines)):
            raise _Unsure
        text = lines[0].strip() if self.plain and len(lines) == 1 else _inline(lines)
        if m["cls"] == "note":
            self._note(m["id"], attrs, text)
        else:
            self._paragraph(m["id"], m["cls"], attrs, text)

    def _note(self, nid: str, attrs: dict[str, str], text: str) -> None:
        if not attrs.keys() <= md.NOTE_ATTRS or not md._NOTE_ID.match(nid):
            raise _Unsure
        uids = attrs.get("paragraphs", "").split()
        section = attrs.get("section") or None
        if uids and section:
            raise _Unsure
        body = clean_paragraphs(text, "note text")
        note = Note(document=self.document.id, id=nid, text=body, paragraphs=uids, section=section)
        self.notes.append((0, note))  # a note's line matters only for an error: markdown-it's

    def _paragraph(self, uid: str, kind: str, attrs: dict[str, str], text: str) -> None:
        if kind not in _KINDS or not UID.match(uid) or uid in self.uids:
            raise _Unsure
        if attrs:
            decision, section, lineage = self._attrs(attrs)
        else:
            decision, lineage = Decision.OPEN, None
            section = self.stack[-1].id if self.stack else None
        values: dict[str, Any] = {
            "uid": uid,
            "document": self.document.id,
            "section": section,
            "position": len(self.paragraphs),
            "kind": _KINDS[kind],
            "text": clean_checked_text(text),
            "lineage": lineage,
            "version": 1,
            "decision": decision,
            "silence_until": None,
            "ad_ref": [],
            "held_ref": None,
        }
        self.paragraphs.append(trusted(Paragraph, values, set(_GIVEN)))
        self.uids[uid] = 0

    def _attrs(self, attrs: dict[str, str]) -> tuple[Decision, str | None, Lineage | None]:
        """A paragraph's status, section and lineage from its attribute line."""
        decision = _DECISIONS.get(attrs.get("status", "open"))
        if "section" in attrs:
            section = attrs["section"] or None
        else:
            section = self.stack[-1].id if self.stack else None
        if not attrs.keys() <= md.PARA_ATTRS or decision is None:
            raise _Unsure
        if section is not None and section not in self.section_ids:
            raise _Unsure
        lineage = Lineage.parse(attrs["from"]) if "from" in attrs else None
        return decision, section, lineage
