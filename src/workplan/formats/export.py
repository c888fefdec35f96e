"""Rendering exports: a document as blocks, with footnotes and tracked changes, to text formats.

Pure: the service builds an `ExportDoc`; this module turns it into OAS plain text, pandoc
Markdown (the source for .docx and .odt), a self-contained HTML page, or JSON.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from workplan.footnotes import (
    TITLE_KEY,
    FootnotePlan,
    call_suffix,
    continuation_section,
    foot_lines,
)
from workplan.model.base import Model

Style = Literal["plain", "bracket", "ins", "del", "struck", "underlined"]


class Segment(Model):
    """A run of text in one style; tracked changes carry their author and date."""

    text: str
    """The text."""
    style: Style = "plain"
    """plain, bracket (not agreed), ins or del (tracked change), struck or underlined (the
    words a proposal takes out or puts in, marked, not tracked: the compilation's word diffs)."""
    author: str = ""
    """Author of a tracked change (a delegation's name, or Secretariat)."""
    date: str = ""
    """ISO date of a tracked change."""


class Block(Model):
    """A heading or a paragraph of the export."""

    kind: Literal["heading", "paragraph", "note"]
    """What it is; a note is an annotation line of the compilation text."""
    level: int = 1
    """Heading level."""
    label: list[Segment] = Field(default_factory=list)
    """The printed number (`12.`), possibly as tracked changes."""
    segments: list[Segment] = Field(default_factory=list)
    """The text."""
    key: str = ""
    """What the footnote calls belong to: a paragraph's uid, a heading's section key."""


class ExportDoc(Model):
    """Everything an export prints."""

    organ: list[str] = Field(default_factory=list)
    """The header's left column: the organ's lines (none when unknown)."""
    header: list[str] = Field(default_factory=list)
    """The header's right column: series, symbol with revision, date, `Original: ...`."""
    title: str = ""
    """The title (and period); empty when the document has none yet."""
    blocks: list[Block] = Field(default_factory=list)
    """Headings and paragraphs in reading order."""
    footnotes: FootnotePlan = Field(default_factory=FootnotePlan)
    """Reservation footnotes."""
    closing: str = ""
    """The last line (`Record 3febb8fd...`: the record's chain head, short), or empty."""
    properties: dict[str, str] = Field(default_factory=dict)
    """Document properties (the full chain heads): Word custom properties, OpenDocument
    user-defined metadata, HTML `<meta>`."""
    at: datetime | None = None
    """When the text is dated: a revision's freeze time, an adopted text's adoption, the time a
    working draft was printed. Word and OpenDocument files carry it as their creation time and
    their entries' times, so a revision's reprint is the same file byte for byte."""
    language: str = ""
    """The language it is printed in, when it is a translation (`es`), else empty."""
    untranslated: list[str] = Field(default_factory=list)
    """What a translation prints in the original's words, in brackets, and why:
    `OP3: stale`, `R2: missing`, `section prevention: missing`."""


def _plain(segments: list[Segment]) -> str:
    out = []
    for s in segments:
        if s.style == "bracket":
            out.append(f"[{s.text}]")
        elif s.style == "ins":
            out.append(f"{{+{s.text}+}}")
        elif s.style == "del":
            out.append(f"[-{s.text}-]")
        elif s.style in ("struck", "underlined"):
            out.append(_edged(s.text, *(("[-", "-]") if s.style == "struck" else ("{+", "+}"))))
        else:
            out.append(s.text)
    return "".join(out)


def _edged(text: str, opening: str, closing: str, escape: Callable[[str], str] = str) -> str:
    """`text` between `opening` and `closing`, its edge spaces left outside (a word diff's runs
    start or end with the space between words, which Markdown's marks may not touch)."""
    core = text.strip()
    if not core:
        return escape(text)
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
    return escape(lead) + opening + escape(core) + closing + escape(trail)


def render_text(doc: ExportDoc) -> str:
    """OAS plain text: `N/` calls after the last word, bodies at the foot, FOOTNOTES at the end."""
    head = [*doc.organ, *doc.header]
    lines = [*head, ""] if head else []
    titled = doc.footnotes.calls.get(TITLE_KEY, [])
    lines += [doc.title + call_suffix(titled), ""] if doc.title or titled else []
    lines += [*foot_lines(doc.footnotes, titled), ""] if titled else []
    for b in doc.blocks:
        text = _plain(b.segments)
        if b.kind == "heading":
            called = doc.footnotes.calls.get(b.key, []) if b.key else []
            lines += [_plain(heading_case(b)) + call_suffix(called), ""]
            lines += [*foot_lines(doc.footnotes, called), ""] if called else []
            continue
        if b.kind == "note":
            lines += [f"\t{text}", ""]
            continue
        label = _plain(b.label)
        calls = doc.footnotes.calls.get(b.key, [])
        body = f"{label}\t{text}" if label else text
        lines.append(body.replace("\n", "\n\t") + call_suffix(calls))
        if calls:
            lines += ["", *foot_lines(doc.footnotes, calls)]
        lines.append("")
    lines += continuation_section(doc.footnotes)
    if doc.closing:
        lines.append(doc.closing)
    return "\n".join(lines).rstrip("\n") + "\n"


def heading_case(block: Block) -> list[Segment]:
    """A heading's text as plain text prints it: a top-level section's title in capitals (its
    level stays recognisable without bold or size), deeper ones as written. Word, OpenDocument
    and HTML print the same capitals by style (the text itself keeps its case)."""
    if block.level != 1:
        return block.segments
    return [s.model_copy(update={"text": s.text.upper()}) for s in block.segments]


#: What Markdown (pandoc's, and CommonMark) could read as markup inside a line: escapes,
#: code, emphasis (`_` only at a word's edge), links and notes, raw HTML and autolinks, strikeout
#: and sub/superscript, TeX math (`$` before a non-space), citations, entities, table pipes.
_MD_INLINE = re.compile(
    r"[\\`*\[\]~^|]|(?<!\w)_|_(?!\w)|<(?=[A-Za-z/!?])|\$(?=\S)|(?<!\w)@(?=[\w{])|&(?=#?\w+;)"
)
#: What opens a block at the start of a line: a heading, quote, list item, rule or setext
#: underline, definition, fenced div, title block, numbered or example list item. The mark is
#: escaped, the words kept.
_MD_LINE_START = re.compile(
    r"^[ \t]*(?:(?P<mark>#+(?=\s|$)|>|[-+](?=\s|$)|[-=]+\s*$|:(?=\s|$|::)|%)"
    r"|(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+|#)(?P<delim>[.)])(?=\s|$)"
    r"|(?P<paren>\()(?=(?:\d+|[A-Za-z]|[ivxlcdmIVXLCDM]+|@\w*)\)(?:\s|$)))"
)


#: The characters `_MD_INLINE` can match at: a line with none of them needs only the line-start
#: check (one quick scan instead of the full pattern's at every character).
_MD_MARKUP_CHARS = re.compile(r"[\\`*\[\]~^|_<$@&]")


def _md_line(line: str) -> str:
    """One line with a backslash before each character Markdown would take as markup."""
    at = (
        {hit.start() for hit in _MD_INLINE.finditer(line)}
        if _MD_MARKUP_CHARS.search(line)
        else set()
    )
    m = _MD_LINE_START.match(line)
    if m is not None:
        at.add(m.start(m.lastgroup or 0))
    if not at:
        return line
    parts, prev = [], 0
    for i in sorted(i for i in at if i < len(line)):
        parts += [line[prev:i], "\\"]
        prev = i
    parts.append(line[prev:])
    return "".join(parts)


def _md(text: str, *, heading: bool = False) -> str:
    """`text` as Markdown that reads back as exactly this text: only what Markdown would take
    as markup is escaped (`OEA/Ser.G` stays as it is); a line break is a hard line break. In a
    heading, `{` and `#` too (attributes and closing hashes)."""
    escaped = "\\\n".join(_md_line(line) for line in text.split("\n"))
    if heading:
        escaped = escaped.replace("{", "\\{").replace("#", "\\#")
    return escaped


def _md_attr(value: str) -> str:
    return value.replace("\\", "").replace('"', "'")


#: Stands for a space at the edge of a tracked change while pandoc runs (pandoc would move it
#: out of the change); replaced by a real space in the written file.
EDGE_SPACE = "\ue000"


def _edges(text: str) -> str:
    stripped = text.strip(" ")
    lead = len(text) - len(text.lstrip(" "))
    trail = len(text) - len(text.rstrip(" "))
    return EDGE_SPACE * lead + stripped + EDGE_SPACE * trail if stripped else EDGE_SPACE * len(text)


def _md_segments(
    segments: list[Segment],
    *,
    edge_spaces: bool = False,
    heading: bool = False,
    marks: bool = False,
) -> str:
    out = []
    for s in segments:
        raw = _edges(s.text) if edge_spaces and s.style in ("ins", "del") else s.text
        t = _md(raw, heading=heading)
        if s.style == "bracket":
            out.append(f"\\[{t}\\]")
        elif s.style in ("ins", "del"):
            out.append(_span(t, s, marks=marks))
        elif s.style == "struck":
            out.append(_edged(s.text, "~~", "~~", _md))
        elif s.style == "underlined":
            out.append(_edged(s.text, "[", "]{.underline}", _md))
        else:
            out.append(t)
    return "".join(out)


def _span(markdown: str, s: Segment, *, marks: bool = False) -> str:
    """`markdown` as a tracked change with `s`'s kind, author and date: a span pandoc's Word
    writer makes a tracked change, or (`marks`) marks `odt_changes` makes one in an .odt."""
    kind = "insertion" if s.style == "ins" else "deletion"
    if marks:
        from workplan.formats.odt_changes import mark

        return mark(markdown, kind, s.author, s.date)
    return f'[{markdown}]{{.{kind} author="{_md_attr(s.author)}" date="{_md_attr(s.date)}"}}'


def _separator(label: list[Segment]) -> Segment:
    """The space after a printed number: inserted or deleted with a number only on one side."""
    styles = {s.style for s in label}
    if len(styles) == 1 and styles <= {"ins", "del"}:
        return label[-1].model_copy(update={"text": " "})
    return Segment(text=" ")


def md_calls(numbers: list[int], *, superscript: bool = False) -> str:
    """Footnote calls OAS-style, each number followed by a slash so that no two run together
    (`1/2/3/`): `[^1]/`, or `[^1]^/^` (the slash raised with the number) for pandoc."""
    slash = "^/^" if superscript else "/"
    return "".join(f"[^{n}]{slash}" for n in numbers)


def render_markdown(
    doc: ExportDoc,
    *,
    edge_spaces: bool = False,
    marks: bool = False,
    target: Literal["docx", "odt"] | None = None,
) -> str:
    """Pandoc Markdown with real footnotes (`[^n]`, called `N/`) and tracked-change spans.

    `edge_spaces`: the source pandoc reads to write a Word or OpenDocument file (tracked
    changes keep their edge spaces, the calls' slashes are superscript like their numbers).
    `marks`: the tracked changes as the marks `odt_changes` reads in pandoc's .odt instead.
    For pandoc making a `target` file: the properties as a metadata block, and the header as a
    borderless two-column table in the target's own markup (organ left; series, symbol, date
    and `Original:` right)."""
    lines: list[str] = []
    if target is not None:
        if doc.properties:
            props = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in doc.properties.items()]
            lines += ["---", *props, "---", ""]
        if doc.organ or doc.header:
            lines += [f"```{{={_RAW[target]}}}", masthead_xml(doc, target), "```", ""]
    else:
        lines = [_md(h) + "\\" for h in [*doc.organ, *doc.header]]
        if lines:
            lines[-1] = lines[-1].removesuffix("\\")
            lines.append("")
    titled = md_calls(doc.footnotes.calls.get(TITLE_KEY, []), superscript=edge_spaces)
    if doc.title or titled:
        lines += [f"# {_md(doc.title, heading=True)}{titled}", ""]
    for b in doc.blocks:
        text = _md_segments(b.segments, edge_spaces=edge_spaces, marks=marks)
        if b.kind == "heading":
            title = _md_segments(b.segments, edge_spaces=edge_spaces, heading=True, marks=marks)
            called = md_calls(
                doc.footnotes.calls.get(b.key, []) if b.key else [], superscript=edge_spaces
            )
            lines += [f"{'#' * min(b.level + 1, 6)} {title}{called}", ""]
            continue
        if b.kind == "note":
            lines += [f"*{text}*", ""]
            continue
        label = _md_segments([*b.label, _separator(b.label)], edge_spaces=edge_spaces, marks=marks)
        calls = md_calls(doc.footnotes.calls.get(b.key, []), superscript=edge_spaces)
        whole = {s.style for s in b.label + b.segments}
        if calls and whole == {"ins"}:  # rejecting the paragraph must take its calls too
            calls = _span(calls, b.segments[-1], marks=marks)
        lines += [(label if b.label else "") + text + calls, ""]
    for f in doc.footnotes.footnotes:
        body = f.full_text if f.idem_of is None else f.text
        paras = [_md(p) for p in body.split("\n\n")]
        lines.append(f"[^{f.number}]: " + "\n\n    ".join(paras))
        lines.append("")
    if doc.closing:
        lines.append(_md(doc.closing))
    return "\n".join(lines).rstrip("\n") + "\n"


_RAW = {"docx": "openxml", "odt": "opendocument"}
#: The header table's column widths in twentieths of a point (US Letter, 1-inch margins).
_LEFT, _RIGHT = 5400, 3960


_DATE = re.compile(r"\d{1,2} [A-Z][a-z]+ \d{4}(?: \d\d:\d\d UTC)?")


def _unbroken(line: str) -> str:
    """`line` with its dates held together (`5 December 2026 06:26 UTC` never wraps)."""
    return _DATE.sub(lambda m: m[0].replace(" ", "\u00a0"), line)


def masthead_xml(doc: ExportDoc, target: Literal["docx", "odt"]) -> str:
    """The header block as a borderless two-column table, each line its own left-aligned
    paragraph (never justified), its dates unbroken: WordprocessingML for docx, OpenDocument
    for odt (its styles, `WPMasthead*`, are added by `docx_out.postprocess`)."""

    def esc(line: str) -> str:
        return html.escape(_unbroken(line), quote=False)

    if target == "docx":

        def cell(lines: list[str], width: int) -> str:
            paras = "".join(
                '<w:p><w:pPr><w:spacing w:before="0" w:after="0" /><w:jc w:val="left" /></w:pPr>'
                f'<w:r><w:t xml:space="preserve">{esc(x)}</w:t></w:r></w:p>'
                for x in lines or [""]
            )
            return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa" /></w:tcPr>{paras}</w:tc>'

        none = "".join(
            f'<w:{side} w:val="nil" />'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        margins = '<w:left w:w="0" w:type="dxa" /><w:right w:w="0" w:type="dxa" />'
        return (
            '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto" /><w:tblInd w:w="0" w:type="dxa" />'
            f'<w:tblBorders>{none}</w:tblBorders><w:tblLayout w:type="fixed" />'
            f"<w:tblCellMar>{margins}</w:tblCellMar>"
            '<w:tblLook w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0"'
            ' w:noHBand="1" w:noVBand="1" /></w:tblPr>'
            f'<w:tblGrid><w:gridCol w:w="{_LEFT}" /><w:gridCol w:w="{_RIGHT}" /></w:tblGrid>'
            f"<w:tr>{cell(doc.organ, _LEFT)}{cell(doc.header, _RIGHT)}</w:tr></w:tbl>"
        )

    def ocell(lines: list[str]) -> str:
        paras = "".join(
            f'<text:p text:style-name="WPMastheadLine">{esc(x)}</text:p>' for x in lines or [""]
        )
        return f'<table:table-cell office:value-type="string">{paras}</table:table-cell>'

    return (
        '<table:table table:name="Masthead" table:style-name="WPMasthead">'
        '<table:table-column table:style-name="WPMastheadLeft" />'
        '<table:table-column table:style-name="WPMastheadRight" />'
        f"<table:table-row>{ocell(doc.organ)}{ocell(doc.header)}</table:table-row>"
        "</table:table>"
    )


_CSS = """body{font-family:"Times New Roman",Georgia,serif;max-width:46em;margin:2em auto;
line-height:1.45}header{display:flex;justify-content:space-between;gap:2em;
font-size:.9em;text-align:left}header div{white-space:pre-line}header .series{width:42%}
h1,h2,h3,h4,h5,h6{font-size:1em;
margin:1em 0}h1{text-align:center}h2{text-transform:uppercase}
h4,h5,h6{font-weight:normal;font-style:italic}ins{color:#1a7f37}del{color:#cf222e}.bracket{background:#fff3c4}
.note{font-style:italic;color:#57606a}p{white-space:pre-wrap;text-align:justify}
.footnotes{font-size:.85em;border-top:1px solid #999;margin-top:2em;padding-left:2em}
.footnotes p{margin:0 0 .3em}"""


_CHANGES_CSS = """ins{text-decoration:underline}del{text-decoration:line-through}
.by{font-family:Arial,Helvetica,sans-serif;font-size:.7em;color:#57606a;white-space:nowrap}
.legend{font-size:.85em}@media print{body{max-width:none;margin:0}
ins,del,.by,.bracket{-webkit-print-color-adjust:exact;print-color-adjust:exact}}"""

_LEGEND = (
    "Insertions are underlined, deletions struck through; each change is followed, in "
    "brackets, by the delegations whose accepted amendment made it (the Secretariat for "
    "editorial changes such as renumbering)."
)


def _tracked(s: Segment | None) -> bool:
    return s is not None and s.style in ("ins", "del")


def _html_segments(segments: list[Segment]) -> str:
    """Segments as HTML; after each run of tracked changes by one author, the author in
    brackets, visible in print (the date is in the hover text)."""
    out = []
    for n, s in enumerate(segments):
        t = html.escape(s.text)
        if s.style == "bracket":
            out.append(f'<span class="bracket">[{t}]</span>')
        elif s.style in ("ins", "del"):
            opening = f'<{s.style} title="{html.escape(s.author)} {html.escape(s.date)}">'
            after = segments[n + 1] if n + 1 < len(segments) else None
            if not s.author or (_tracked(after) and after and after.author == s.author):
                out.append(f"{opening}{t}</{s.style}>")
                continue
            core = s.text.rstrip()  # the author goes before the space after the change
            out.append(f"{opening}{html.escape(core)}</{s.style}>" if core else "")
            out.append(f'<span class="by"> [{html.escape(s.author)}]</span>')
            if core != s.text:
                out.append(f"{opening}{html.escape(s.text[len(core) :])}</{s.style}>")
        elif s.style in ("struck", "underlined"):
            tag = "del" if s.style == "struck" else "ins"
            out.append(f"<{tag}>{t}</{tag}>")
        else:
            out.append(t)
    return "".join(out)


def render_html(doc: ExportDoc) -> str:
    """One self-contained page; every user text is escaped."""
    parts = []
    if doc.organ or doc.header:
        parts.append(
            f'<header><div class="organ">{html.escape(chr(10).join(doc.organ))}</div>'
            f'<div class="series">{html.escape(chr(10).join(doc.header))}</div></header>'
        )

    def html_calls(key: str) -> str:
        return "".join(
            f'<sup><a href="#fn{n}" id="call{n}">{n}</a>/</sup>'
            for n in (doc.footnotes.calls.get(key, []) if key else [])
        )

    if doc.title or html_calls(TITLE_KEY):
        parts.append(f"<h1>{html.escape(doc.title)}{html_calls(TITLE_KEY)}</h1>")
    if any(s.author for b in doc.blocks for s in b.label + b.segments if _tracked(s)):
        parts.append(f'<p class="note legend">{html.escape(_LEGEND)}</p>')
    for b in doc.blocks:
        text = _html_segments(b.segments)
        if b.kind == "heading":
            level = min(b.level + 1, 6)
            parts.append(f"<h{level}>{text}{html_calls(b.key)}</h{level}>")
        elif b.kind == "note":
            parts.append(f'<p class="note">{text}</p>')
        else:
            line = [*b.label, _separator(b.label)] if b.label else []
            calls = html_calls(b.key)
            parts.append(f"<p>{_html_segments(line + b.segments)}{calls}</p>")
    if doc.footnotes.footnotes:
        items = "".join(
            f'<li id="fn{f.number}" value="{f.number}">'
            + "".join(
                f"<p>{html.escape(p)}</p>"
                for p in (f.full_text if f.idem_of is None else f.text).split("\n\n")
            )
            + "</li>"
            for f in doc.footnotes.footnotes
        )
        parts.append(f'<ol class="footnotes">{items}</ol>')
    if doc.closing:
        parts.append(f'<p class="note">{html.escape(doc.closing)}</p>')
    title = html.escape(doc.title)
    metas = "".join(
        f'<meta name="{html.escape(k)}" content="{html.escape(v)}">'
        for k, v in doc.properties.items()
    )
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title>{metas}'
        f"<style>{_CSS}{_CHANGES_CSS}</style></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def render_json(doc: ExportDoc) -> dict[str, Any]:
    """The export as data."""
    return doc.model_dump(mode="json")


#: The reference documents pandoc takes its styles from (see scripts/make_reference_docs.py).
REFERENCE = {fmt: Path(__file__).with_name(f"oas-reference.{fmt}") for fmt in ("docx", "odt")}


def render_binary(doc: ExportDoc, fmt: Literal["docx", "odt"]) -> bytes:
    """A Word or OpenDocument file through pandoc (bundled by pypandoc-binary), run with a
    memory cap and a time limit (`workplan.formats.pandoc`); its temporary folder is removed
    whatever happens. The file is dated `doc.at` (its properties and every zip entry), so the
    same export is the same file byte for byte."""
    import tempfile

    from workplan.formats.docx_out import postprocess
    from workplan.formats.pandoc import run_pandoc

    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / f"export.{fmt}"
        run_pandoc(
            [
                "--from=markdown-smart",
                f"--to={fmt}",
                f"--output={out}",
                "--sandbox",
                "--wrap=none",
                f"--reference-doc={REFERENCE[fmt]}",
            ],
            f"the {fmt} export",
            stdin=render_markdown(doc, edge_spaces=True, marks=fmt == "odt", target=fmt).encode(
                "utf-8"
            ),
        )
        return postprocess(
            out.read_bytes(), fmt, EDGE_SPACE, at=doc.at or datetime.now(UTC), title=doc.title
        )
