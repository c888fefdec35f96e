"""The draft format: Markdown with YAML front matter, `{#id}` headings, one block per paragraph.

Each paragraph follows a `{#uid .kind from="doc/uid" status="agreed" section="id"}` line; its
text is plain (a line ending in a backslash is a line break inside it). Parsed with
markdown-it-py and mdit-py-plugins, or, for the common case, by `draft_lines` line by line
with the same result; writing escapes whatever Markdown would interpret, so write → parse →
write gives the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from workplan.errors import InputError
from workplan.model import Decision, Document, Draft, Lineage, Paragraph, ParagraphKind, Section
from workplan.model.note import Note
from workplan.model.text import check_file_text, clean_line, clean_paragraphs

if TYPE_CHECKING:  # markdown-it is imported when a draft is not in the common case
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore
    from markdown_it.token import Token

FRONT_KEYS = tuple(Document.model_fields)
PARA_ATTRS = {"id", "class", "from", "status", "section"}
NOTE_ATTRS = {"id", "class", "paragraphs", "section"}
_NOTE_ID = re.compile(r"^N[1-9]\d{0,8}$")
KINDS = ", ".join(k.value for k in ParagraphKind)
STATUSES = ", ".join(d.value for d in Decision)
_HEADING_ID = re.compile(r"^(?P<title>.*?)\s*\{#(?P<id>[^\s{}]+)\}\s*$", re.DOTALL)
_ATTR_LINE = re.compile(r"^ {0,3}\{.*\}\s*$")
_ESCAPE = frozenset("\\`*_[]<>&{}~|!#")
_ORDERED = re.compile(r"^(\d+)([.)])")
_BLOCKS = {
    "bullet_list_open": "a bulleted list",
    "ordered_list_open": "a numbered list",
    "blockquote_open": "a block quote",
    "fence": "a fenced code block",
    "code_block": "an indented code block",
    "html_block": "an HTML block",
    "hr": "a thematic break (---)",
}
_INLINES = {
    "em_open": "emphasis",
    "strong_open": "strong emphasis",
    "link_open": "link",
    "image": "image",
    "code_inline": "code",
    "html_inline": "HTML",
}


class _FrontDumper(yaml.SafeDumper):
    """Safe YAML, but a text with line breaks is one double-quoted line (no stray '---' line)."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = '"' if any(c in data for c in "\n\r\x85\u2028\u2029") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_FrontDumper.add_representer(str, _represent_str)


class _Fail(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _note_attr_lines(state: StateCore) -> None:
    """Remember each attribute line's number on the block it applies to (the plugin drops it)."""
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type != "attrs_block" or not tok.map:
            continue
        j = i + 1
        while j < len(tokens) and tokens[j].type == "attrs_block":
            j += 1
        if j < len(tokens) and tokens[j].nesting >= 0:
            tokens[j].meta.setdefault("attrs_line", tok.map[0] + 1)
        else:
            state.env.setdefault("dangling_attrs", tok.map[0] + 1)


def _md() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_block_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark").use(front_matter_plugin).use(attrs_block_plugin)
    md.core.ruler.before("attr", "draft_attr_lines", _note_attr_lines)
    return md


def _message(exc: Exception) -> tuple[str, str]:
    """(field, message) of a validation error."""
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        field = str(err["loc"][0]) if err.get("loc") else ""
        msg = str(err["msg"]).removeprefix("Value error, ")
        return field, f"{field}: {msg}" if field else msg
    return "", str(exc)


def parse_draft(text: str, source: str = "<draft>") -> Draft:
    """Parse a draft file; errors are `InputError("file:line: what is wrong")`.

    The common case (attribute lines over plain text) is read line by line
    (`draft_lines.read_common`); anything else, and every error, by markdown-it.

    A control or invisible character anywhere (NUL included: the Markdown parser would turn it
    into U+FFFD) is `InputError("file:line:column: ...")`, before anything is parsed.
    """
    from workplan.formats.draft_lines import read_common

    text = check_file_text(text.replace("\r\n", "\n").replace("\r", "\n"), source)
    common = read_common(text)
    if common is not None:
        return common
    try:
        return _parse(text)
    except _Fail as exc:
        raise InputError(f"{source}:{exc.line}: {exc.message}") from None


def _parse(text: str) -> Draft:
    md, lines = _md(), text.split("\n")
    env: dict[str, Any] = {}
    tokens = md.parse(text, env)
    if not tokens or tokens[0].type != "front_matter":
        if text.startswith("---"):
            raise _Fail(1, "front matter has no closing '---' line")
        raise _Fail(1, "a draft must start with front matter between '---' lines")
    document = _front_matter(tokens[0].content)
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    notes: list[tuple[int, Note]] = []
    stack: list[Section] = []  # open headings, outermost first
    seen: dict[str, int] = {}
    for i, tok in enumerate(tokens):
        line = tok.map[0] + 1 if tok.map else 0
        if tok.level != 0 or tok.nesting < 0 or tok.type in ("front_matter", "inline"):
            continue
        if tok.type == "heading_open":
            stack = _open_heading(md, tok, tokens[i + 1], line, sections, stack)
        elif tok.type == "paragraph_open" and tok.attrs.get("class") == "note":
            notes.append((line, _note(tok, tokens[i + 1], document.id)))
        elif tok.type == "paragraph_open":
            known = {s.id for s in sections}
            context = stack[-1].id if stack else None
            para = _paragraph(tok, tokens[i + 1], lines, len(paragraphs), context, known)
            para.document = document.id  # the front matter's id, not written per paragraph
            if para.uid in seen:
                msg = f"duplicate paragraph uid {para.uid!r} (first at line {seen[para.uid]})"
                raise _Fail(line, msg)
            seen[para.uid] = line
            paragraphs.append(para)
        else:
            what = _BLOCKS.get(tok.type, "a " + tok.type.removesuffix("_open").replace("_", " "))
            raise _Fail(line, f"{what} is not allowed in a draft: one plain paragraph per block")
    if "dangling_attrs" in env:
        raise _Fail(env["dangling_attrs"], "attribute line with no paragraph after it")
    _check_notes(notes, seen, {s.id for s in sections})
    return Draft(
        document=document, sections=sections, paragraphs=paragraphs, notes=[n for _, n in notes]
    )


def _open_heading(
    md: MarkdownIt,
    tok: Token,
    inline: Token,
    line: int,
    sections: list[Section],
    stack: list[Section],
) -> list[Section]:
    """Read a heading into `sections`; return the open headings under it, itself last."""
    level = int(tok.tag[1:])
    if level > len(stack) + 1:
        raise _Fail(line, f"heading level {level} jumps over level {len(stack) + 1}")
    if tok.attrs:
        msg = "an attribute line cannot come before a heading: write # Title {#id}"
        raise _Fail(tok.meta.get("attrs_line", line), msg)
    stack = stack[: level - 1]
    section = _heading(md, inline, line, len(sections), stack)
    if any(s.id == section.id for s in sections):
        raise _Fail(line, f"duplicate section id {section.id!r}")
    sections.append(section)
    return [*stack, section]


def _note(tok: Token, inline: Token, document: str) -> Note:
    """A note block: `{#N1 .note paragraphs="uid uid"}` (or `section="id"`, or neither: the
    title's), its text's paragraphs separated by an empty hard-broken line."""
    assert tok.map is not None
    line = tok.map[0] + 1
    attr_line = int(tok.meta.get("attrs_line", line))
    attrs = {k: str(v) for k, v in tok.attrs.items()}
    unknown = sorted(set(attrs) - NOTE_ATTRS)
    if unknown:
        raise _Fail(attr_line, f"unknown note attribute {unknown[0]!r}")
    nid = attrs.get("id", "")
    if not _NOTE_ID.match(nid):
        raise _Fail(attr_line, f"a note's id is N1, N2, ... not {nid!r}")
    uids = attrs.get("paragraphs", "").split()
    section = attrs.get("section") or None
    if uids and section:
        raise _Fail(attr_line, "a note is called from paragraphs or from a section, not both")
    text = _inline_text(inline, line, "a note")
    try:
        body = clean_paragraphs(text, "note text")
    except InputError as exc:
        raise _Fail(line, exc.message) from None
    return Note(document=document, id=nid, text=body, paragraphs=uids, section=section)


def _check_notes(notes: list[tuple[int, Note]], uids: dict[str, int], sections: set[str]) -> None:
    """Each note's id is new and the paragraphs and section it names are in the draft."""
    ids: set[str] = set()
    for line, n in notes:
        if n.id in ids:
            raise _Fail(line, f"duplicate note id {n.id!r}")
        ids.add(n.id)
        for uid in n.paragraphs:
            if uid not in uids:
                raise _Fail(line, f"note {n.id} names no paragraph of this draft: {uid!r}")
        if n.section is not None and n.section not in sections:
            raise _Fail(line, f"note {n.id} names no section of this draft: {n.section!r}")


#: Front matter is a mapping of scalars with one mapping of scalars (`metadata`) in it; this
#: leaves room for a clear message about a list or a mapping in the wrong place.
MAX_FRONT_DEPTH = 4


def _check_shape(content: str) -> None:
    """Refuse front matter nested deeper than MAX_FRONT_DEPTH, or with anchors and aliases,
    before it is built: PyYAML builds nested values recursively (100,000 `[` exhaust Python's
    stack) and aliases can make a small text expand into a huge value. Reading the events
    alone is iterative."""
    depth = 0
    for event in yaml.parse(content, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 2 if event.start_mark else 2
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Fail(line, "front matter may not use YAML anchors or aliases")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_FRONT_DEPTH:
                raise _Fail(
                    line, f"front matter nested too deep (more than {MAX_FRONT_DEPTH} levels)"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _load_front(content: str) -> dict[Any, Any]:
    """The front matter read as YAML: a mapping, or the line where it is not one."""
    try:
        _check_shape(content)
        data = yaml.safe_load(content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or exc
        line = mark.line + 2 if mark else 2
        raise _Fail(line, f"front matter is not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise _Fail(2, "front matter must be a mapping of keys to values")
    return data


def _front_matter(
    content: str, build: Callable[[dict[str, Any]], Document | None] | None = None
) -> Document:
    """The front matter's document; `build` makes it from the checked mapping (validated by
    default) or returns None to have it validated."""

    def line_of(key: str) -> int:
        pattern = re.compile(rf"^['\"]?{re.escape(key)}['\"]?\s*:")
        return next((n + 2 for n, t in enumerate(content.split("\n")) if pattern.match(t)), 2)

    data = _load_front(content)
    for key in data:
        if key not in FRONT_KEYS:
            msg = f"unknown front matter key {key!r} (use {', '.join(FRONT_KEYS)})"
            raise _Fail(line_of(str(key)), msg)
    for key in ("title", "symbol", "original_language"):
        try:
            if isinstance(data.get(key), str):
                clean_line(data[key], key)
        except InputError as exc:
            raise _Fail(line_of(key), f"front matter: {exc}") from None
    if isinstance(data.get("adopted"), date):
        data["adopted"] = data["adopted"].isoformat()
    meta = data.get("metadata") or {}
    scalar = (str, int, float, date)
    if not isinstance(meta, dict) or not all(isinstance(v, scalar) for v in meta.values()):
        raise _Fail(line_of("metadata"), "front matter: metadata must map names to texts")
    data["metadata"] = {str(k): str(v) for k, v in meta.items()}
    built = build(data) if build is not None else None
    if built is not None:
        return built
    try:
        return Document.model_validate(data)
    except ValidationError as exc:
        field, msg = _message(exc)
        raise _Fail(line_of(field), f"front matter: {msg}") from None
    except InputError as exc:  # text hygiene of a metadata value
        raise _Fail(line_of("metadata"), f"front matter: {exc}") from None


def _inline_text(inline: Token, line: int, what: str) -> str:
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "text_special"):
            parts.append(child.content)
        elif child.type in ("hardbreak", "softbreak"):
            parts.append("\n" if child.type == "hardbreak" else " ")
            line += 1
        else:
            found = "autolink" if child.markup == "autolink" else _INLINES.get(child.type)
            found = found or child.type.removesuffix("_open").replace("_", " ")
            raise _Fail(line, f"Markdown formatting is not allowed in {what} (found {found})")
    return "".join(parts)


def _heading(
    md: MarkdownIt, inline: Token, line: int, position: int, stack: list[Section]
) -> Section:
    m = _HEADING_ID.match(inline.content)
    if not m:
        raise _Fail(line, "a heading must end with its section id: # Title {#id}")
    title_tokens = md.parseInline(m["title"])
    title = _inline_text(title_tokens[0], line, "a heading") if title_tokens else ""
    parent = stack[-1].id if stack else None
    try:
        return Section(id=m["id"], title=title, position=position, parent=parent)
    except (ValidationError, InputError) as exc:
        raise _Fail(line, _message(exc)[1]) from None


def _para_attrs(tok: Token, lines: list[str]) -> dict[str, str]:
    """The paragraph's attribute line as a mapping, or the line that is wrong."""
    assert tok.map is not None
    first, end = tok.map
    for n in range(first + 1, end):
        if _ATTR_LINE.match(lines[n]):
            raise _Fail(n + 1, "an attribute line must have a blank line before it")
    attrs: dict[str, str] = {k: str(v) for k, v in tok.attrs.items()}
    attrs |= tok.meta.get("insecure_attrs", {})
    if not attrs:
        msg = "paragraph has no {#uid .kind} line"
        if _ATTR_LINE.match(lines[first]):
            from mdit_py_plugins.attrs.parse import ParseError
            from mdit_py_plugins.attrs.parse import parse as parse_attrs

            try:
                parse_attrs(lines[first].strip())
            except ParseError as exc:
                msg = f"cannot read the attribute line: {exc}"
        raise _Fail(first + 1, msg)
    return attrs


def _paragraph(
    tok: Token, inline: Token, lines: list[str], position: int, context: str | None, known: set[str]
) -> Paragraph:
    assert tok.map is not None
    first = tok.map[0]
    line, attr_line = first + 1, int(tok.meta.get("attrs_line", first + 1))
    attrs = _para_attrs(tok, lines)
    unknown = sorted(set(attrs) - PARA_ATTRS)
    if unknown:
        raise _Fail(attr_line, f"unknown paragraph attribute {unknown[0]!r}")
    if "id" not in attrs:
        raise _Fail(attr_line, "the attribute line has no #uid")
    kind = attrs.get("class", "")
    if kind not in {k.value for k in ParagraphKind}:
        raise _Fail(attr_line, f"unknown paragraph kind {kind!r} (use {KINDS})")
    status = attrs.get("status", "open")
    if status not in {d.value for d in Decision}:
        raise _Fail(attr_line, f"unknown status {status!r} (use {STATUSES})")
    section = (attrs["section"] or None) if "section" in attrs else context
    if section is not None and section not in known:
        raise _Fail(attr_line, f"section {section!r} is not declared above this paragraph")
    try:
        lineage = Lineage.parse(attrs["from"]) if "from" in attrs else None
    except ValueError as exc:
        raise _Fail(attr_line, str(exc)) from None
    text = _inline_text(inline, line, "paragraph text")
    try:
        return Paragraph(
            uid=attrs["id"],
            section=section,
            position=position,
            kind=ParagraphKind(kind),
            text=text,
            lineage=lineage,
            decision=Decision(status),
        )
    except (ValidationError, InputError) as exc:
        field, msg = _message(exc)
        raise _Fail(attr_line if field == "uid" else line, msg) from None


# -- writing --------------------------------------------------------------------------------


def _escape_line(line: str, *, block_start: bool = True) -> str:
    out = "".join("\\" + ch if ch in _ESCAPE else ch for ch in line)
    if block_start:
        if out[:1] in ("-", "+", "="):
            out = "\\" + out
        out = _ORDERED.sub(lambda m: f"{m[1]}\\{m[2]}", out, count=1)
    return out


def _depths(sections: list[Section]) -> dict[str, int]:
    """Heading level of each section; ValueError if headings in order cannot express the tree."""
    stack: list[str] = []
    depth: dict[str, int] = {}
    for s in sections:
        while stack and stack[-1] != s.parent:
            stack.pop()
        if (s.parent is not None and not stack) or s.id in depth:
            raise ValueError(f"section {s.id!r} cannot be written: repeated or out of order")
        stack.append(s.id)
        depth[s.id] = len(stack)
    return depth


def _heading_line(section: Section, level: int) -> str:
    title = _escape_line(section.title, block_start=False)
    return " ".join(x for x in ("#" * level, title, f"{{#{section.id}}}") if x)


def write_draft(draft: Draft) -> str:
    """The draft in the draft format: deterministic, and parse_draft reads it back exactly.

    Raises ValueError for a draft the format cannot hold: a sub-section placed (by position)
    anywhere but under its parent, a repeated id or uid, or a paragraph in an unknown section.
    """
    front: dict[str, Any] = draft.document.model_dump(mode="json")
    if not front["metadata"]:
        del front["metadata"]
    dumped = yaml.dump(front, Dumper=_FrontDumper, sort_keys=False, allow_unicode=True, width=10**6)
    blocks = ["---\n" + dumped + "---"]
    sections = sorted(draft.sections, key=lambda s: s.position)
    depth = _depths(sections)
    emitted: set[str] = set()
    context: str | None = None
    uids: set[str] = set()
    for p in sorted(draft.paragraphs, key=lambda p: p.position):
        if (p.section is not None and p.section not in depth) or p.uid in uids:
            raise ValueError(f"paragraph {p.uid!r} cannot be written: repeated or unknown section")
        uids.add(p.uid)
        while p.section is not None and p.section not in emitted:
            s = sections[len(emitted)]
            blocks.append(_heading_line(s, depth[s.id]))
            emitted.add(s.id)
            context = s.id
        attrs = [f"#{p.uid}", f".{p.kind}"]
        if p.lineage:
            attrs.append(f'from="{p.lineage}"')
        if p.decision != Decision.OPEN:
            attrs.append(f'status="{p.decision}"')
        if p.section != context:
            attrs.append(f'section="{p.section or ""}"')
        text = "\\\n".join(_escape_line(line) for line in p.text.split("\n"))
        blocks.append("{" + " ".join(attrs) + "}\n" + text)
    blocks.extend(_heading_line(s, depth[s.id]) for s in sections[len(emitted) :])
    blocks.extend(_note_block(n) for n in draft.notes)
    return "\n\n".join(blocks) + "\n"


def _note_block(note: Note) -> str:
    """A note as the draft format writes it (after every paragraph and heading)."""
    attrs = [f"#{note.id}", ".note"]
    if note.paragraphs:
        attrs.append(f'paragraphs="{" ".join(note.paragraphs)}"')
    if note.section is not None:
        attrs.append(f'section="{note.section}"')
    text = "\\\n".join(_escape_line(line) for line in note.text.split("\n"))
    return "{" + " ".join(attrs) + "}\n" + text
