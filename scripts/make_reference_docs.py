"""Write the OAS-style reference documents pandoc styles .docx and .odt exports from.

Starts from pandoc's own defaults (the pandoc that pypandoc-binary bundles) and makes them
look like an OAS document: Times New Roman 12 throughout, black headings of body size (bold,
the title centred), justified body text, 10-point footnotes. Run it again after a pandoc
upgrade and commit the two files it writes:

    .venv/bin/python scripts/make_reference_docs.py
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pypandoc

OUT = Path(__file__).resolve().parent.parent / "src" / "workplan" / "formats"
SERIF = "Times New Roman"
FONTS = f'<w:rFonts w:ascii="{SERIF}" w:hAnsi="{SERIF}" w:eastAsia="{SERIF}" w:cs="{SERIF}" />'
_STYLE = re.compile(r'(<w:style [^>]*w:styleId="([^"]+)"[^>]*>)(.*?)(</w:style>)', re.DOTALL)


@dataclass(frozen=True)
class Look:
    """How one kind of paragraph looks, in points and inches; Word and ODT both get it."""

    size: float = 12
    bold: bool = False
    italic: bool = False
    align: str = "left"
    """left, center or justify."""
    before: float = 0
    """Space above, in points."""
    after: float = 12
    """Space below, in points."""
    hanging: float = 0
    """A hanging indent, in inches (the footnote number hangs in it)."""
    caps: bool = False
    """Printed in capitals (the text keeps its case)."""


#: The one OAS style, by Word style id and OpenDocument style name. The title is pandoc's
#: level-1 heading; a section is level 2 (its title in capitals), a sub-section level 3, a
#: deeper one level 4 and below.
LOOKS: dict[tuple[str, str], Look] = {
    ("BodyText", "Text_20_body"): Look(align="justify"),
    ("Heading1", "Heading_20_1"): Look(bold=True, align="center", before=12),
    ("Heading2", "Heading_20_2"): Look(bold=True, before=12, caps=True),
    ("Heading3", "Heading_20_3"): Look(bold=True, before=6),
    ("Heading4", "Heading_20_4"): Look(italic=True, before=6),
    ("Heading5", "Heading_20_5"): Look(italic=True, before=6),
    ("Heading6", "Heading_20_6"): Look(italic=True, before=6),
    ("FootnoteText", "Footnote"): Look(size=10, after=3, hanging=0.25),
}
#: Word's names of the styles above.
_WORD_NAMES = {"BodyText": "Body Text", "FootnoteText": "footnote text"}


def _twips(points: float) -> int:
    return round(points * 20)


def _word_style(style_id: str, look: Look) -> str:
    """A Word paragraph style with `look`."""
    name = _WORD_NAMES.get(style_id) or f"heading {style_id[-1]}"
    heading = style_id.startswith("Heading")
    ppr = ("<w:keepNext /><w:keepLines />" if heading else "") + (
        f'<w:spacing w:before="{_twips(look.before)}" w:after="{_twips(look.after)}" />'
    )
    if look.hanging:
        inches = _twips(look.hanging * 72)
        ppr += f'<w:ind w:left="{inches}" w:hanging="{inches}" />'
    ppr += '<w:jc w:val="{}" />'.format({"justify": "both"}.get(look.align, look.align))
    if heading:
        ppr += f'<w:outlineLvl w:val="{int(style_id[-1]) - 1}" />'
    rpr = FONTS + ("<w:b /><w:bCs />" if look.bold else '<w:b w:val="0" /><w:bCs w:val="0" />')
    rpr += "<w:i /><w:iCs />" if look.italic else ""
    rpr += "<w:caps />" if look.caps else ""
    rpr += f'<w:sz w:val="{round(look.size * 2)}" /><w:szCs w:val="{round(look.size * 2)}" />'
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}" />'
        f'<w:basedOn w:val="Normal" /><w:next w:val="BodyText" /><w:qFormat />'
        f"<w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def _docx_style(style_id: str, body: str) -> str:
    body = re.sub(r"<w:color\b[^>]*/>", "", body)
    body = re.sub(r"<w:rFonts\b[^>]*[Tt]heme[^>]*/>", FONTS, body)
    if style_id == "Normal":
        body += f'<w:rPr>{FONTS}<w:sz w:val="24" /><w:szCs w:val="24" /></w:rPr>'
    if style_id == "Title":
        body = re.sub(r'<w:sz(Cs)? w:val="\d+" />', r'<w:sz\1 w:val="24" />', body)
    return body


def docx_styles(xml: str) -> str:
    """pandoc's styles.xml, OAS-style: serif black text, and the paragraph styles of LOOKS."""
    xml = re.sub(r"<w:rFonts\b[^>]*[Tt]heme[^>]*/>", FONTS, xml, count=1)  # docDefaults
    looks = {word: look for (word, _), look in LOOKS.items()}

    def one(m: re.Match[str]) -> str:
        if m.group(2) in looks:
            return _word_style(m.group(2), looks[m.group(2)])
        return m.group(1) + _docx_style(m.group(2), m.group(3)) + m.group(4)

    return _STYLE.sub(one, xml)


def docx_theme(xml: str) -> str:
    """Theme fonts serif too, for anything that still asks the theme."""
    return re.sub(r'<a:latin typeface="[^"]*"', f'<a:latin typeface="{SERIF}"', xml)


def docx_settings(xml: str) -> str:
    """Lines ended by a line break are not stretched in a justified paragraph (Word's
    "don't expand character spaces on a line ending with Shift+Return")."""
    compat = "<w:compat><w:doNotExpandShiftReturn /></w:compat>"
    return re.sub(r"(</w:footnotePr>)", r"\1" + compat, xml, count=1)


#: The page number, centred at the foot of every page: `- 2 -`.
FOOTER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:p><w:pPr><w:jc w:val="center" /></w:pPr>'
    '<w:r><w:t xml:space="preserve">- </w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin" /></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate" /></w:r>'
    "<w:r><w:t>1</w:t></w:r>"
    '<w:r><w:fldChar w:fldCharType="end" /></w:r>'
    '<w:r><w:t xml:space="preserve"> -</w:t></w:r></w:p></w:ftr>'
)
_FOOTER_REL = (
    '<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'footer" Id="rIdOasFooter" Target="footer1.xml" />'
)
_FOOTER_TYPE = (
    '<Override PartName="/word/footer1.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.wordprocessingml.footer+xml" />'
)


def docx_footer(edits: dict[str, Callable[[str], str]]) -> None:
    """Add the page-number footer's relationship, content type and section reference."""
    edits["word/_rels/document.xml.rels"] = lambda x: x.replace(
        "</Relationships>", _FOOTER_REL + "</Relationships>"
    )
    edits["[Content_Types].xml"] = lambda x: x.replace("</Types>", _FOOTER_TYPE + "</Types>")
    edits["word/document.xml"] = lambda x: x.replace(
        "<w:sectPr>", '<w:sectPr><w:footerReference w:type="default" r:id="rIdOasFooter" />'
    )


def _inches(value: float) -> str:
    return f"{value:g}in"


def _odt_style(m: re.Match[str], look: Look) -> str:
    """An OpenDocument paragraph style with `look`, keeping its name, parent and level."""
    head = m.group(1)
    para = (
        f'fo:margin-top="{look.before:g}pt" fo:margin-bottom="{look.after:g}pt" '
        f'fo:text-align="{ {"left": "start"}.get(look.align, look.align) }" '
        'style:justify-single-word="false" style:contextual-spacing="false"'
    )
    if look.hanging:
        para += (
            f' fo:margin-left="{_inches(look.hanging)}" fo:text-indent="-{_inches(look.hanging)}"'
        )
    else:
        para += ' fo:margin-left="0in" fo:text-indent="0in"'
    if "Heading" in head:
        para += ' fo:keep-with-next="always"'
    weight = "bold" if look.bold else "normal"
    slant = "italic" if look.italic else "normal"
    text = (
        f'style:font-name="{SERIF}" fo:font-size="{look.size:g}pt" fo:font-weight="{weight}" '
        f'fo:font-style="{slant}" style:font-size-asian="{look.size:g}pt" '
        f'style:font-weight-asian="{weight}" style:font-style-asian="{slant}" '
        f'style:font-size-complex="{look.size:g}pt" style:font-weight-complex="{weight}" '
        f'style:font-style-complex="{slant}" fo:color="#000000"'
        f' fo:text-transform="{"uppercase" if look.caps else "none"}"'
    )
    return (
        f"{head}<style:paragraph-properties {para} /><style:text-properties {text} /></style:style>"
    )


_FOOTNOTE = LOOKS["FootnoteText", "Footnote"]
#: A footnote's second and later paragraphs: under the first one's text, not hanging (both
#: margins given: LibreOffice keeps the left margin and the indent as one property).
_ODT_CONTINUATION = (
    '<style:style style:name="Footnote_20_continuation" style:display-name="Footnote continuation"'
    ' style:family="paragraph" style:parent-style-name="Footnote" style:class="extra">'
    f'<style:paragraph-properties fo:margin-left="{_inches(_FOOTNOTE.hanging)}"'
    ' fo:text-indent="0in" /></style:style>'
)
#: Body text made of short lines ended by line breaks, never stretched: LibreOffice does not
#: read Word's "don't expand a line ending with a line break" from an OpenDocument file.
_ODT_LINES = (
    '<style:style style:name="Text_20_lines" style:display-name="Text lines"'
    ' style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text">'
    '<style:paragraph-properties fo:text-align="start" /></style:style>'
)


def odt_styles(xml: str) -> str:
    """pandoc's ODT styles.xml, OAS-style: serif black text, the paragraph styles of LOOKS,
    footnotes numbered `1.` at the foot, the page number centred at the foot (`- 2 -`)."""
    xml = xml.replace('style:font-name="Arial"', f'style:font-name="{SERIF}"')
    for (_, name), look in LOOKS.items():
        pattern = rf'(<style:style style:name="{name}"[^>]*>).*?</style:style>'
        xml = re.sub(pattern, lambda m, look=look: _odt_style(m, look), xml, count=1, flags=re.S)
    xml = xml.replace('fo:color="#000080"', 'fo:color="#000000"')
    xml = re.sub(
        r'(<text:notes-configuration text:note-class="footnote")',
        r'\1 style:num-suffix="."',
        xml,
        count=1,
    )
    xml = xml.replace("</office:styles>", _ODT_CONTINUATION + _ODT_LINES + "</office:styles>", 1)
    return re.sub(
        r"(<style:footer>\s*<text:p [^>]*>)\s*(<text:page-number\b[^>]*>)\s*1"
        r"(</text:page-number>)\s*",
        r"\1- \g<2>1\3 -",
        xml,
        count=1,
    )


def rewrite(
    data: bytes, edits: dict[str, Callable[[str], str]], added: dict[str, str] | None = None
) -> bytes:
    """A copy of the zip `data` with the named parts edited (the stored mimetype kept first)
    and the `added` parts appended."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename in edits:
                content = edits[info.filename](content.decode("utf-8")).encode("utf-8")
            dst.writestr(info, content)
        for name, text in (added or {}).items():
            dst.writestr(zipfile.ZipInfo(name, info.date_time), text.encode("utf-8"))
    return buf.getvalue()


def default(name: str) -> bytes:
    """pandoc's default data file `name`."""
    pandoc = pypandoc.get_pandoc_path()
    return subprocess.run(
        [pandoc, "--print-default-data-file", name], check=True, capture_output=True
    ).stdout


def main() -> None:
    """Write oas-reference.docx and oas-reference.odt next to the export engine."""
    edits: dict[str, Callable[[str], str]] = {
        "word/styles.xml": docx_styles,
        "word/theme/theme1.xml": docx_theme,
        "word/settings.xml": docx_settings,
    }
    docx_footer(edits)
    docx = rewrite(default("reference.docx"), edits, {"word/footer1.xml": FOOTER})
    (OUT / "oas-reference.docx").write_bytes(docx)
    odt = rewrite(default("reference.odt"), {"styles.xml": odt_styles})
    (OUT / "oas-reference.odt").write_bytes(odt)
    print(f"wrote {OUT / 'oas-reference.docx'} and {OUT / 'oas-reference.odt'}")


if __name__ == "__main__":
    main()
