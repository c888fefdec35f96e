"""Tracked changes in an OpenDocument text.

Pandoc's OpenDocument writer drops the insertion and deletion spans a redline is written with,
so the Markdown it reads for an .odt carries each change as marks it passes through as text
(`mark`), and `tracked_changes` turns the marks in content.xml into ODF tracked changes: a
`text:tracked-changes` list of `text:changed-region`s, each a `text:insertion` or
`text:deletion` with its `office:change-info` (`dc:creator`, `dc:date`), and in the body
`text:change-start`/`text:change-end` around inserted text and a `text:change` where deleted
text stood (the deleted text lives in its region, as ODF wants). A paragraph wholly inserted or
deleted takes its paragraph break with it (the break after the paragraph before it), so that
accepting every change gives the new text and rejecting every change the old one, paragraph by
paragraph, with no empty paragraph left behind.

Pure: text in, text out.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

START, SEP, END = "\ue001", "\ue002", "\ue003"
"""The marks around one change in the Markdown pandoc reads: START, the change's kind, author
and date (`_meta`), SEP, the changed text, END."""

_REGION = re.compile(f"{START}([^{SEP}]*){SEP}(.*?){END}", re.DOTALL)
_ADJACENT = re.compile(f"({START}([^{SEP}]*){SEP}[^{START}{END}]*){END}{START}\\2{SEP}")
_TAG = re.compile(r"<(/?)text:(p|h)\b[^>]*?(/?)>")
_BOOKMARK = re.compile(r"<text:bookmark(?:-start|-end)?\b[^>]*/>")
_BODY = re.compile(r"(<office:text\b[^>]*>)(.*)(</office:text>)", re.DOTALL)


def mark(markdown: str, kind: str, author: str, date: str) -> str:
    """`markdown` marked as one change: `kind` is `insertion` or `deletion`."""
    return f"{START}{_meta(kind, author, date)}{SEP}{markdown}{END}"


def _meta(kind: str, author: str, date: str) -> str:
    # Hexadecimal digits: nothing pandoc would escape, smarten or reflow.
    return f"{kind[0]}{author.encode().hex()}.{date.encode().hex()}"


@dataclass(frozen=True, slots=True)
class _Change:
    kind: str
    author: str
    date: str

    @classmethod
    def parse(cls, meta: str) -> _Change:
        author, _, date = meta[1:].partition(".")
        kind = "insertion" if meta[0] == "i" else "deletion"
        return cls(kind, bytes.fromhex(author).decode(), bytes.fromhex(date).decode())


@dataclass
class _Para:
    """A top-level paragraph or heading of the body, being rewritten."""

    open: str
    inner: str
    close: str
    removed: bool = False

    @property
    def name(self) -> str:
        return self.open[1:].split(None, 1)[0].rstrip("/>")

    def empty(self) -> str:
        """An empty paragraph like this one."""
        return self.open.rstrip(">").rstrip("/").rstrip() + "/>"

    def xml(self) -> str:
        return "" if self.removed else self.open + self.inner + self.close


@dataclass
class _Regions:
    """The changed regions made so far, in order."""

    items: list[str] = field(default_factory=list)

    def add(self, change: _Change, deleted: str = "") -> str:
        """A new region's id; `deleted` is the XML of the text a deletion took away."""
        rid = f"ct{len(self.items) + 1}"
        info = (
            f"<office:change-info><dc:creator>{html.escape(change.author, quote=False)}"
            f"</dc:creator><dc:date>{_date(change.date)}</dc:date></office:change-info>"
        )
        element = f"text:{change.kind}"
        self.items.append(
            f'<text:changed-region text:id="{rid}"><{element}>{info}{deleted}'
            f"</{element}></text:changed-region>"
        )
        return rid


def _date(iso: str) -> str:
    """An ISO date as ODF writes it: UTC, without an offset."""
    try:
        t = datetime.fromisoformat(iso)
    except ValueError:
        return html.escape(iso)
    if t.tzinfo is not None:
        t = t.astimezone(UTC).replace(tzinfo=None)
    return t.isoformat(timespec="seconds")


def tracked_changes(content: str, edge_space: str) -> str:
    """content.xml with every marked change made a tracked change (`edge_space` stands for a
    space at a change's edge; inside deleted text it becomes `text:s`, which no reader drops)."""
    found = _BODY.search(content)
    if found is None or START not in content:
        return content
    body = found.group(2)
    pieces: list[str | _Para] = []
    at = 0
    for start, end, para in _paragraphs(body):
        pieces += [body[at:start], para]
        at = end
    pieces.append(body[at:])
    regions = _Regions()
    previous: _Para | None = None
    for piece in pieces:
        if isinstance(piece, _Para):
            _rewrite(piece, previous, regions, edge_space)
            if not piece.removed:
                previous = piece
    if not regions.items:
        return content
    changes = (
        '<text:tracked-changes text:track-changes="false">'
        + "".join(regions.items)
        + "</text:tracked-changes>"
    )
    text = "".join(p.xml() if isinstance(p, _Para) else p for p in pieces)
    return (
        content[: found.start()]
        + found.group(1)
        + changes
        + text
        + found.group(3)
        + content[found.end() :]
    )


def _paragraphs(body: str) -> list[tuple[int, int, _Para]]:
    """The top-level paragraphs and headings of `body` (not those inside notes)."""
    out: list[tuple[int, int, _Para]] = []
    depth, start, open_tag, inner_at = 0, 0, "", 0
    for m in _TAG.finditer(body):
        closing, self_closing = m.group(1), m.group(3)
        if self_closing:
            if depth == 0:
                out.append((m.start(), m.end(), _Para(m.group(0), "", "")))
        elif closing:
            depth -= 1
            if depth == 0:
                para = _Para(open_tag, body[inner_at : m.start()], m.group(0))
                out.append((start, m.end(), para))
        else:
            if depth == 0:
                start, open_tag, inner_at = m.start(), m.group(0), m.end()
            depth += 1
    return out


def _rewrite(para: _Para, previous: _Para | None, regions: _Regions, edge_space: str) -> None:
    """Turn the marks of one paragraph into tracked changes."""
    if START not in para.inner:
        return
    inner = para.inner
    while True:  # one change for neighbouring runs of the same kind, author and date
        joined = _ADJACENT.sub(r"\1", inner)
        if joined == inner:
            break
        inner = joined
    found = [(m, _Change.parse(m.group(1))) for m in _REGION.finditer(inner)]
    rest = _BOOKMARK.sub("", _REGION.sub("", inner)).strip()
    kinds = {c.kind for _, c in found}
    whole = previous is not None and not rest and len(kinds) == 1
    if whole and kinds == {"deletion"}:
        assert previous is not None
        para.removed = True
        for n, (m, change) in enumerate(found):
            text = _spaces(m.group(2), edge_space)
            deleted = para.open + text + para.close
            if n == 0:  # the break after the paragraph before it goes too
                deleted = previous.empty() + deleted
            rid = regions.add(change, deleted)
            previous.inner += f'<text:change text:change-id="{rid}"/>'
        return
    out, at = [], 0
    for n, (m, change) in enumerate(found):
        out.append(inner[at : m.start()])
        at = m.end()
        if change.kind == "deletion":
            deleted = para.open + _spaces(m.group(2), edge_space) + para.close
            out.append(f'<text:change text:change-id="{regions.add(change, deleted)}"/>')
            continue
        rid = regions.add(change)
        begin = f'<text:change-start text:change-id="{rid}"/>'
        if whole and n == 0:
            assert previous is not None
            previous.inner += begin  # the paragraph comes in with the break before it
        else:
            out.append(begin)
        out.append(m.group(2) + f'<text:change-end text:change-id="{rid}"/>')
    out.append(inner[at:])
    para.inner = "".join(out)


def _spaces(xml: str, edge_space: str) -> str:
    return xml.replace(edge_space, "<text:s/>")
