"""The draft format: Markdown with YAML front matter, `{#id}` headings, one block per paragraph.

    ---
    id: second-work-plan
    title: ...
    ---

    # Prevention {#prevention}

    ## Actions for member states {#prevention-ms}

    {#sw-op01 .operative from="other-doc/uid" status="agreed"}
    Paragraph text, plain; a line ending in a backslash is a line break inside it.

Parsed with markdown-it-py (front matter and block attributes from mdit-py-plugins). Writing
escapes whatever Markdown would interpret, so export → import → export gives the same bytes.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from pydantic import ValidationError

from workplan.errors import InputError
from workplan.model import Decision, Document, Draft, Lineage, Paragraph, ParagraphKind, Section

FRONT_KEYS = (
    "id",
    "title",
    "symbol",
    "period_start",
    "period_end",
    "original_language",
    "adopted",
    "derived_from",
    "numbering",
    "metadata",
)
PARA_ATTRS = {"id", "class", "from", "status", "section"}
KINDS = ", ".join(k.value for k in ParagraphKind)
_HEADING_ID = re.compile(r"^(?P<title>.*?)\s*\{#(?P<id>[^\s{}]+)\}\s*$", re.DOTALL)
_ESCAPE = set("\\`*_[]<>&{}~|!#")
_ORDERED = re.compile(r"^(\d+)([.)])")


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark").use(front_matter_plugin).use(attrs_block_plugin)


class _Fail(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ()))
        msg = str(err.get("msg", exc)).removeprefix("Value error, ")
        return f"{loc}: {msg}" if loc else msg
    return str(exc)


def parse_draft(text: str, source: str = "<draft>") -> Draft:
    """Parse a draft file; errors are `InputError("file:line: what is wrong")`."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    try:
        return _parse(text)
    except _Fail as exc:
        raise InputError(f"{source}:{exc.line}: {exc.message}") from None


def _parse(text: str) -> Draft:
    md = _md()
    tokens = md.parse(text)
    if not tokens or tokens[0].type != "front_matter":
        raise _Fail(1, "the file must start with front matter between '---' lines")
    document = _front_matter(tokens[0])
    sections: list[Section] = []
    paragraphs: list[Paragraph] = []
    stack: list[Section] = []  # open headings, outermost first
    seen_uids: dict[str, int] = {}
    i = 1
    while i < len(tokens):
        tok = tokens[i]
        line = (tok.map[0] + 1) if tok.map else 0
        if tok.type == "heading_open":
            level = int(tok.tag[1:])
            if level > len(stack) + 1:
                raise _Fail(line, f"heading level {level} jumps over level {len(stack) + 1}")
            if tok.attrs:
                raise _Fail(line, "write a section's id at the end of its heading: # Title {#id}")
            stack = stack[: level - 1]
            section = _heading(
                md, tokens[i + 1], line, len(sections), stack[-1].id if stack else None
            )
            if any(s.id == section.id for s in sections):
                raise _Fail(line, f"duplicate section id {section.id!r}")
            sections.append(section)
            stack.append(section)
            i += 3
        elif tok.type == "paragraph_open":
            context = stack[-1].id if stack else None
            para = _paragraph(
                tok,
                tokens[i + 1],
                line,
                len(paragraphs),
                document.id,
                context,
                {s.id for s in sections},
            )
            if para.uid in seen_uids:
                raise _Fail(
                    line,
                    f"duplicate paragraph uid {para.uid!r} (first at line {seen_uids[para.uid]})",
                )
            seen_uids[para.uid] = line
            paragraphs.append(para)
            i += 3
        else:
            what = tok.type.removesuffix("_open").replace("_", " ")
            raise _Fail(line, f"a {what} is not allowed in a draft: one paragraph per block")
    known = {s.id for s in sections}
    for p in paragraphs:
        if p.section is not None and p.section not in known:
            raise _Fail(seen_uids[p.uid], f"unknown section {p.section!r}")
    return Draft(document=document, sections=sections, paragraphs=paragraphs)


def _front_matter(tok: Token) -> Document:
    try:
        data = yaml.safe_load(tok.content)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _Fail(
            (mark.line + 2) if mark else 2,
            f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
        ) from None
    if not isinstance(data, dict):
        raise _Fail(2, "front matter must be a mapping of keys to values")
    unknown = [k for k in data if k not in FRONT_KEYS]
    if unknown:
        raise _Fail(2, f"unknown front matter key {unknown[0]!r} (use {', '.join(FRONT_KEYS)})")
    if isinstance(data.get("adopted"), date):
        data["adopted"] = data["adopted"].isoformat()
    meta = data.get("metadata")
    if meta is None:
        data["metadata"] = {}
    elif isinstance(meta, dict):
        data["metadata"] = {str(k): str(v) for k, v in meta.items()}
    else:
        raise _Fail(2, "metadata must be a mapping of names to texts")
    try:
        return Document.model_validate(data)
    except (ValidationError, InputError) as exc:
        raise _Fail(2, f"front matter: {_message(exc)}") from None


def _inline_text(inline: Token, line: int) -> str:
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "text_special"):
            parts.append(child.content)
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "softbreak":
            parts.append(" ")
        else:
            kind = child.type.removesuffix("_open").replace("_", " ")
            raise _Fail(
                line,
                f"Markdown formatting is not allowed in text (found {kind});"
                " escape it with a backslash",
            )
    return "".join(parts)


def _heading(
    md: MarkdownIt, inline: Token, line: int, position: int, parent: str | None
) -> Section:
    m = _HEADING_ID.match(inline.content)
    if not m:
        raise _Fail(line, "a heading must end with its section id: # Title {#id}")
    title_tokens = md.parseInline(m["title"])
    title = _inline_text(title_tokens[0], line) if title_tokens else ""
    try:
        return Section(id=m["id"], title=title, position=position, parent=parent)
    except (ValidationError, InputError) as exc:
        raise _Fail(line, _message(exc)) from None


def _paragraph(
    open_tok: Token,
    inline: Token,
    line: int,
    position: int,
    doc_id: str,
    context: str | None,
    sections: set[str],
) -> Paragraph:
    attrs = {k: str(v) for k, v in open_tok.attrs.items()}
    if "id" not in attrs or "class" not in attrs:
        raise _Fail(line, "paragraph has no {#uid .kind} line before it")
    unknown = sorted(set(attrs) - PARA_ATTRS)
    if unknown:
        raise _Fail(line - 1, f"unknown paragraph attribute {unknown[0]!r}")
    kind = attrs["class"]
    if kind not in {k.value for k in ParagraphKind}:
        raise _Fail(line - 1, f"unknown paragraph kind {kind!r} (use {KINDS})")
    section = context
    if "section" in attrs:
        section = attrs["section"] or None
        if section is not None and section not in sections:
            raise _Fail(line - 1, f"section {section!r} is not declared above this paragraph")
    try:
        lineage = Lineage.parse(attrs["from"]) if "from" in attrs else None
        status = Decision(attrs.get("status", "open"))
        return Paragraph(
            uid=attrs["id"],
            document=doc_id,
            section=section,
            position=position,
            kind=ParagraphKind(kind),
            text=_inline_text(inline, line),
            lineage=lineage,
            decision=status,
        )
    except (ValidationError, InputError, ValueError) as exc:
        raise _Fail(line, _message(exc)) from None


# -- writing --------------------------------------------------------------------------------


def _escape_line(line: str, *, block_start: bool = True) -> str:
    out = "".join("\\" + ch if ch in _ESCAPE else ch for ch in line)
    if block_start:
        if out[:1] in ("-", "+", "=", ">"):
            out = "\\" + out
        out = _ORDERED.sub(lambda m: f"{m[1]}\\{m[2]}", out, count=1)
    return out


def _text_block(text: str) -> str:
    return "\\\n".join(_escape_line(line) for line in text.split("\n"))


def _attr(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_draft(draft: Draft) -> str:
    """The draft in the draft format (deterministic; parse_draft reads it back exactly)."""
    d = draft.document
    front: dict[str, Any] = d.model_dump(mode="json", exclude={"metadata"})
    if d.metadata:
        front["metadata"] = dict(d.metadata)
    blocks = [
        "---\n"
        + yaml.safe_dump(
            front, sort_keys=False, allow_unicode=True, width=10**6, default_flow_style=False
        )
        + "---"
    ]
    sections = sorted(draft.sections, key=lambda s: s.position)
    depth = {s.id: len(draft.section_path(s.id)) for s in sections}
    emitted = 0
    context: str | None = None

    def emit_until(section_id: str) -> None:
        nonlocal emitted, context
        while emitted < len(sections):
            s = sections[emitted]
            emitted += 1
            title = _escape_line(s.title, block_start=False)
            blocks.append(f"{'#' * max(depth[s.id], 1)} {title} {{#{s.id}}}")
            context = s.id
            if s.id == section_id:
                return

    pending = {s.id for s in sections}
    for p in sorted(draft.paragraphs, key=lambda p: p.position):
        if p.section is not None and p.section in pending:
            emit_until(p.section)
            pending = {s.id for s in sections[emitted:]}
        attrs = [f"#{p.uid}", f".{p.kind}"]
        if p.lineage:
            attrs.append(f"from={_attr(str(p.lineage))}")
        if p.decision != Decision.OPEN:
            attrs.append(f"status={_attr(str(p.decision))}")
        if p.section != context:
            attrs.append(f"section={_attr(p.section or '')}")
        blocks.append("{" + " ".join(attrs) + "}\n" + _text_block(p.text))
    emit_until("")
    return "\n\n".join(blocks) + "\n"
