"""Rendering exports: a document as blocks, with footnotes and tracked changes, to text formats.

Pure: the service builds an `ExportDoc`; this module turns it into OAS plain text, pandoc
Markdown (the source for .docx and .odt), a self-contained HTML page, or JSON.
"""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from workplan.footnotes import FootnotePlan, call_suffix, continuation_section, foot_lines
from workplan.model.base import Model

Style = Literal["plain", "bracket", "ins", "del"]


class Segment(Model):
    """A run of text in one style; tracked changes carry their author and date."""

    text: str
    """The text."""
    style: Style = "plain"
    """plain, bracket (not agreed), ins or del (tracked change)."""
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
    """The paragraph uid the footnote calls belong to."""


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


def _plain(segments: list[Segment]) -> str:
    out = []
    for s in segments:
        if s.style == "bracket":
            out.append(f"[{s.text}]")
        elif s.style == "ins":
            out.append(f"{{+{s.text}+}}")
        elif s.style == "del":
            out.append(f"[-{s.text}-]")
        else:
            out.append(s.text)
    return "".join(out)


def render_text(doc: ExportDoc) -> str:
    """OAS plain text: `N/` calls after the last word, bodies at the foot, FOOTNOTES at the end."""
    head = [*doc.organ, *doc.header]
    lines = [*head, ""] if head else []
    lines += [doc.title, ""] if doc.title else []
    for b in doc.blocks:
        text = _plain(b.segments)
        if b.kind == "heading":
            lines += [text.upper() if b.level == 1 else text, ""]
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


_MD_SPECIAL = set("\\`*_{}[]()<>#+-.!|~^$@&\"'=:")


def _md(text: str) -> str:
    escaped = "".join("\\" + c if c in _MD_SPECIAL else c for c in text)
    return escaped.replace("\n", "\\\n")


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


def _md_segments(segments: list[Segment], *, edge_spaces: bool = False) -> str:
    out = []
    for s in segments:
        t = _md(_edges(s.text) if edge_spaces and s.style in ("ins", "del") else s.text)
        if s.style == "bracket":
            out.append(f"\\[{t}\\]")
        elif s.style in ("ins", "del"):
            out.append(_span(t, s))
        else:
            out.append(t)
    return "".join(out)


def _span(markdown: str, s: Segment) -> str:
    """`markdown` as a tracked change with `s`'s kind, author and date."""
    kind = "insertion" if s.style == "ins" else "deletion"
    return f'[{markdown}]{{.{kind} author="{_md_attr(s.author)}" date="{_md_attr(s.date)}"}}'


def _separator(label: list[Segment]) -> Segment:
    """The space after a printed number: inserted or deleted with a number only on one side."""
    styles = {s.style for s in label}
    if len(styles) == 1 and styles <= {"ins", "del"}:
        return label[-1].model_copy(update={"text": " "})
    return Segment(text=" ")


def render_markdown(
    doc: ExportDoc, *, edge_spaces: bool = False, target: Literal["docx", "odt"] | None = None
) -> str:
    """Pandoc Markdown with real footnotes (`[^n]`) and tracked-change spans.

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
    lines += [f"# {_md(doc.title)}", ""] if doc.title else []
    for b in doc.blocks:
        text = _md_segments(b.segments, edge_spaces=edge_spaces)
        if b.kind == "heading":
            lines += [f"{'#' * min(b.level + 1, 6)} {text}", ""]
            continue
        if b.kind == "note":
            lines += [f"*{text}*", ""]
            continue
        label = _md_segments([*b.label, _separator(b.label)], edge_spaces=edge_spaces)
        calls = "".join(f"[^{n}]" for n in doc.footnotes.calls.get(b.key, []))
        whole = {s.style for s in b.label + b.segments}
        if calls and whole == {"ins"}:  # rejecting the paragraph must take its calls too
            calls = _span(calls, b.segments[-1])
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
h1{font-size:1.2em;
text-align:center}h2,h3{font-size:1em}ins{color:#1a7f37}del{color:#cf222e}
.bracket{background:#fff3c4}.note{font-style:italic;color:#57606a}p{white-space:pre-wrap}
.footnotes{font-size:.85em;border-top:1px solid #999;margin-top:2em}"""


def _html_segments(segments: list[Segment]) -> str:
    out = []
    for s in segments:
        t = html.escape(s.text)
        if s.style == "bracket":
            out.append(f'<span class="bracket">[{t}]</span>')
        elif s.style in ("ins", "del"):
            tag = s.style
            out.append(f'<{tag} title="{html.escape(s.author)} {html.escape(s.date)}">{t}</{tag}>')
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
    if doc.title:
        parts.append(f"<h1>{html.escape(doc.title)}</h1>")
    for b in doc.blocks:
        text = _html_segments(b.segments)
        if b.kind == "heading":
            level = min(b.level + 1, 6)
            parts.append(f"<h{level}>{text}</h{level}>")
        elif b.kind == "note":
            parts.append(f'<p class="note">{text}</p>')
        else:
            label = _html_segments(b.label)
            calls = "".join(
                f'<sup><a href="#fn{n}" id="call{n}">{n}</a></sup>'
                for n in doc.footnotes.calls.get(b.key, [])
            )
            parts.append(f"<p>{label + ' ' if label else ''}{text}{calls}</p>")
    if doc.footnotes.footnotes:
        items = "".join(
            f'<li id="fn{f.number}" value="{f.number}">'
            f"{html.escape(f.full_text if f.idem_of is None else f.text)}</li>"
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
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n"
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
                "--from=markdown",
                f"--to={fmt}",
                f"--output={out}",
                "--sandbox",
                "--wrap=none",
                f"--reference-doc={REFERENCE[fmt]}",
            ],
            f"the {fmt} export",
            stdin=render_markdown(doc, edge_spaces=True, target=fmt).encode("utf-8"),
        )
        return postprocess(
            out.read_bytes(), fmt, EDGE_SPACE, at=doc.at or datetime.now(UTC), title=doc.title
        )
