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
from pathlib import Path

import pypandoc

OUT = Path(__file__).resolve().parent.parent / "src" / "workplan" / "formats"
SERIF = "Times New Roman"
FONTS = f'<w:rFonts w:ascii="{SERIF}" w:hAnsi="{SERIF}" w:eastAsia="{SERIF}" w:cs="{SERIF}" />'
_STYLE = re.compile(r'(<w:style [^>]*w:styleId="([^"]+)"[^>]*>)(.*?)(</w:style>)', re.DOTALL)


def _docx_style(style_id: str, body: str) -> str:
    body = re.sub(r"<w:color\b[^>]*/>", "", body)
    body = re.sub(r"<w:rFonts\b[^>]*[Tt]heme[^>]*/>", FONTS, body)
    if style_id == "Normal":
        body += f'<w:rPr>{FONTS}<w:sz w:val="24" /><w:szCs w:val="24" /></w:rPr>'
    if re.match(r"(Heading\d|Title)", style_id):
        body = re.sub(r'<w:sz(Cs)? w:val="\d+" />', r'<w:sz\1 w:val="24" />', body)
        if "<w:b />" not in body:
            body = body.replace(FONTS, FONTS + "<w:b /><w:bCs />", 1)
        body = re.sub(r'<w:spacing w:before="\d+" w:after="\d+" />', _HEADING_SPACING, body)
    if style_id in ("Heading1", "Title"):
        body = body.replace(_HEADING_SPACING, _HEADING_SPACING + '<w:jc w:val="center" />', 1)
    if style_id == "BodyText":
        body = re.sub(
            r"<w:spacing [^>]*/>",
            '<w:spacing w:before="0" w:after="240" /><w:jc w:val="both" />',
            body,
        )
    if style_id == "FootnoteText":
        body += '<w:rPr><w:sz w:val="20" /><w:szCs w:val="20" /></w:rPr>'
    return body


_HEADING_SPACING = '<w:spacing w:before="240" w:after="240" />'


def docx_styles(xml: str) -> str:
    """pandoc's styles.xml, OAS-style."""
    xml = re.sub(r"<w:rFonts\b[^>]*[Tt]heme[^>]*/>", FONTS, xml, count=1)  # docDefaults
    return _STYLE.sub(lambda m: m.group(1) + _docx_style(m.group(2), m.group(3)) + m.group(4), xml)


def docx_theme(xml: str) -> str:
    """Theme fonts serif too, for anything that still asks the theme."""
    return re.sub(r'<a:latin typeface="[^"]*"', f'<a:latin typeface="{SERIF}"', xml)


def odt_styles(xml: str) -> str:
    """pandoc's ODT styles.xml: serif, body-size headings."""
    xml = xml.replace('style:font-name="Arial"', f'style:font-name="{SERIF}"')

    def heading(m: re.Match[str]) -> str:
        size = "12pt" if m.group(1) == "Heading" else "100%"
        return re.sub(r'fo:font-size="[^"]*"', f'fo:font-size="{size}"', m.group(0))

    pattern = r'<style:style style:name="(Heading(?:_20_\d)?)".*?</style:style>'
    xml = re.sub(pattern, heading, xml, flags=re.DOTALL)
    return xml.replace('fo:color="#000080"', 'fo:color="#000000"')


def rewrite(data: bytes, edits: dict[str, Callable[[str], str]]) -> bytes:
    """A copy of the zip `data` with the named parts edited (the stored mimetype kept first)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info)
            if info.filename in edits:
                content = edits[info.filename](content.decode("utf-8")).encode("utf-8")
            dst.writestr(info, content)
    return buf.getvalue()


def default(name: str) -> bytes:
    """pandoc's default data file `name`."""
    pandoc = pypandoc.get_pandoc_path()
    return subprocess.run(
        [pandoc, "--print-default-data-file", name], check=True, capture_output=True
    ).stdout


def main() -> None:
    """Write oas-reference.docx and oas-reference.odt next to the export engine."""
    docx = rewrite(
        default("reference.docx"),
        {"word/styles.xml": docx_styles, "word/theme/theme1.xml": docx_theme},
    )
    (OUT / "oas-reference.docx").write_bytes(docx)
    (OUT / "oas-reference.odt").write_bytes(
        rewrite(default("reference.odt"), {"styles.xml": odt_styles})
    )
    print(f"wrote {OUT / 'oas-reference.docx'} and {OUT / 'oas-reference.odt'}")


if __name__ == "__main__":
    main()
