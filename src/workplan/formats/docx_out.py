"""Finishing what pandoc wrote: real spaces at the edges of tracked changes, whole paragraphs
inserted or deleted as tracked changes, unique revision ids and one body style.

Pure: bytes in, bytes out.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from datetime import UTC, datetime

from workplan.formats.odt_changes import tracked_changes

_PARA = re.compile(r"<w:p>(.*?)</w:p>", re.DOTALL)
_PPR = re.compile(r"<w:pPr>.*?</w:pPr>", re.DOTALL)
_CHANGE = re.compile(
    r'<w:(ins|del) w:id="\d+" (w:author="[^"]*" w:date="[^"]*")>.*?</w:\1>', re.DOTALL
)
_REVISION_ID = re.compile(r'(<w:(?:ins|del) w:id=")\d+(")')
_ANY_ID = re.compile(r'w:id="(\d+)"')


def postprocess(
    data: bytes, fmt: str, edge_space: str, *, at: datetime | None = None, title: str = ""
) -> bytes:
    """Put real spaces back where `edge_space` kept them inside tracked changes (pandoc moves
    a change's edge spaces out of it); in Word's main part, mark each paragraph wholly inserted
    or deleted (so accepting or rejecting every change leaves no empty paragraph behind) and
    number the revisions uniquely; hang footnotes under their number, their later
    paragraphs under the first one's text (`word_footnotes`, `odt_footnotes`); keep ODT lines
    ended by line breaks unstretched (`odt_lines`). With `at`, date the file then: its creation
    and modification properties and every zip entry (pandoc, sandboxed, writes 1970 in some,
    the time the reference document was made in others). `title` becomes the file's title
    property; an OpenDocument header table gets its styles (`masthead_styles`)."""
    marker = edge_space.encode("utf-8")
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if fmt == "odt" and info.filename == "content.xml":
                content = tracked_changes(content.decode("utf-8"), edge_space).encode("utf-8")
            if info.filename.endswith(".xml") and marker in content:
                content = content.replace(marker, b" ")
            if fmt == "docx" and info.filename == "word/document.xml":
                content = revisions(content.decode("utf-8")).encode("utf-8")
            if fmt == "docx" and info.filename == "word/footnotes.xml":
                content = word_footnotes(content.decode("utf-8")).encode("utf-8")
            if fmt == "odt" and info.filename == "content.xml":
                content = odt_lines(odt_footnotes(content.decode("utf-8"))).encode("utf-8")
                content = masthead_styles(content)
            if title and info.filename in _PROPERTY_DATES:
                content = _titled(content, title)
            if at is not None:
                content = _dated(info.filename, content, at)
                info.date_time = _zip_time(at)
            dst.writestr(info, content)
    return buf.getvalue()


_PROPERTY_DATES = {
    "docProps/core.xml": re.compile(rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(<)"),
    "meta.xml": re.compile(rb"(<(?:meta:creation-date|dc:date)>)[^<]*(<)"),
}


def _dated(name: str, content: bytes, at: datetime) -> bytes:
    """A document-properties part with its creation and modification dates set to `at`."""
    pattern = _PROPERTY_DATES.get(name)
    if pattern is None:
        return content
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return pattern.sub(lambda m: m.group(1) + stamp + m.group(2), content)


_TITLE = re.compile(rb"<dc:title>\s*</dc:title>|<dc:title\s*/>")


def _titled(content: bytes, title: str) -> bytes:
    """A properties part with an empty title given `title`."""
    value = html.escape(title, quote=False).encode("utf-8")
    return _TITLE.sub(lambda _: b"<dc:title>" + value + b"</dc:title>", content, count=1)


#: The OpenDocument header table's styles: no borders, columns of 3.75 and 2.75 inches (US
#: Letter less 1-inch margins), each line a left-aligned paragraph without spacing.
_MASTHEAD_STYLES = (
    b'<style:style style:name="WPMasthead" style:family="table">'
    b'<style:table-properties style:width="6.5in" table:align="left" /></style:style>'
    b'<style:style style:name="WPMastheadLeft" style:family="table-column">'
    b'<style:table-column-properties style:column-width="3.75in" /></style:style>'
    b'<style:style style:name="WPMastheadRight" style:family="table-column">'
    b'<style:table-column-properties style:column-width="2.75in" /></style:style>'
    b'<style:style style:name="WPMastheadLine" style:family="paragraph"'
    b' style:parent-style-name="Standard"><style:paragraph-properties fo:text-align="start"'
    b' fo:margin-top="0in" fo:margin-bottom="0in" fo:text-indent="0in" /></style:style>'
)


def masthead_styles(content: bytes) -> bytes:
    """OpenDocument content with the header table's automatic styles, if it has the table."""
    if b'table:style-name="WPMasthead"' not in content:
        return content
    if b"<office:automatic-styles>" in content:
        return content.replace(
            b"<office:automatic-styles>", b"<office:automatic-styles>" + _MASTHEAD_STYLES, 1
        )
    styles = b"<office:automatic-styles>" + _MASTHEAD_STYLES + b"</office:automatic-styles>"
    return content.replace(b"<office:body>", styles + b"<office:body>", 1)


def _zip_time(at: datetime) -> tuple[int, int, int, int, int, int]:
    """`at` in UTC as a zip entry's time (from 1980, the earliest a zip entry holds)."""
    t = at.astimezone(UTC)
    if t.year < 1980:
        return (1980, 1, 1, 0, 0, 0)
    return (t.year, t.month, t.day, t.hour, t.minute, t.second)


def revisions(xml: str) -> str:
    """Paragraph marks tracked for whole inserted or deleted paragraphs; unique revision ids;
    Body Text where pandoc writes its "First Paragraph" style."""
    xml = _PARA.sub(_mark, xml).replace('w:val="FirstParagraph"', 'w:val="BodyText"')
    first = max((int(n) for n in _ANY_ID.findall(xml)), default=0) + 1
    counter = iter(range(first, first + len(xml)))
    return _REVISION_ID.sub(lambda m: f"{m.group(1)}{next(counter)}{m.group(2)}", xml)


def _mark(m: re.Match[str]) -> str:
    body = m.group(1)
    changes = list(_CHANGE.finditer(body))
    kinds = {c.group(1) for c in changes}
    rest = _CHANGE.sub("", _PPR.sub("", body))
    if len(kinds) != 1 or "<w:r>" in rest or "<w:r " in rest:
        return m.group(0)
    mark = f'<w:{kinds.pop()} w:id="0" {changes[-1].group(2)} />'
    ppr = _PPR.search(body)
    if ppr is None:
        return f"<w:p><w:pPr><w:rPr>{mark}</w:rPr></w:pPr>{body}</w:p>"
    old = ppr.group(0)
    if "<w:rPr>" in old:
        new = old.replace("<w:rPr>", f"<w:rPr>{mark}", 1)
    else:
        new = old.replace("</w:pPr>", f"<w:rPr>{mark}</w:rPr></w:pPr>")
    return f"<w:p>{body.replace(old, new, 1)}</w:p>"


_WORD_NOTE = re.compile(r"(<w:footnote\b[^>]*>)(.*?)(</w:footnote>)", re.DOTALL)
_WORD_NOTE_REF = re.compile(
    r"<w:r>\s*<w:rPr>\s*<w:rStyle w:val=\"FootnoteReference\" />\s*</w:rPr>\s*<w:footnoteRef />"
    r"\s*</w:r>(?:<w:r><w:t xml:space=\"preserve\"> </w:t></w:r>)?"
)
#: The number at the foot, then a tab to the text (hanging at the style's indent).
_WORD_NUMBER = (
    '<w:r><w:rPr><w:rStyle w:val="FootnoteReference" /></w:rPr><w:footnoteRef /></w:r>'
    "<w:r><w:tab /></w:r>"
)
#: A footnote's later paragraph: its first line under the text, not under the number.
_WORD_HANG = '<w:ind w:firstLine="0" w:hanging="0" />'


def word_footnotes(xml: str) -> str:
    """Word's footnotes with the number hanging: a tab after it (the Footnote Text style hangs
    the text at 0.25 in), and a footnote's later paragraphs indented like its first one's text
    instead of starting under the number."""

    def note(m: re.Match[str]) -> str:
        body = _WORD_NOTE_REF.sub(_WORD_NUMBER, m.group(2), count=1)
        paras = body.split('<w:pStyle w:val="FootnoteText" />')
        later = [p.replace("</w:pPr>", _WORD_HANG + "</w:pPr>", 1) for p in paras[2:]]
        body = '<w:pStyle w:val="FootnoteText" />'.join(paras[:2] + later)
        return m.group(1) + body + m.group(3)

    return _WORD_NOTE.sub(note, xml)


_ODT_NOTE_BODY = re.compile(r"(<text:note-body>)(.*?)(</text:note-body>)", re.DOTALL)


def odt_footnotes(xml: str) -> str:
    """An OpenDocument footnote's later paragraphs in the "Footnote continuation" style (the
    reference document's): under the first paragraph's text, not hanging out to the number."""

    def body(m: re.Match[str]) -> str:
        first, *later = m.group(2).split('<text:p text:style-name="Footnote">')
        joined = '<text:p text:style-name="Footnote">'.join([first, *later[:1]])
        joined += "".join(
            '<text:p text:style-name="Footnote_20_continuation">' + p for p in later[1:]
        )
        return m.group(1) + joined + m.group(3)

    return _ODT_NOTE_BODY.sub(body, xml)


_ODT_BROKEN = re.compile(
    r'<text:p text:style-name="(?:Text_20_body|First_20_paragraph)">'
    r"((?:(?!</text:p>).)*?<text:line-break />)",
    re.DOTALL,
)


def odt_lines(xml: str) -> str:
    """Body paragraphs made of lines ended by line breaks in the "Text lines" style (the
    reference document's, not justified): LibreOffice would stretch each line to the margin."""
    return _ODT_BROKEN.sub(r'<text:p text:style-name="Text_20_lines">\1', xml)
