"""Make the README's pictures of the exports: a small negotiation, every export in every format,
and each Word, OpenDocument and HTML file as a PDF and PNGs of its first pages.

Run: .venv/bin/python scripts/render_exports.py [--out docs/exports]

It builds a fresh record in a temporary folder (the shipped starting plan, three reservations
on the same paragraphs, one of them three paragraphs long, a revision, accepted amendments, a
second revision, open proposals), exports the clean text, the compilation text and the redline
between the two revisions as txt, markdown, html, docx and odt into `--out`, then prints the
Word and OpenDocument files to PDF with LibreOffice (`soffice --headless`, a private profile,
a time limit), the HTML pages with headless Chromium, and the first pages of each PDF to PNGs
with poppler's `pdftoppm -r 60`. The clock is fixed, so the files only change when the exports
do.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from demo_record import chromium, start_record

from workplan.formats import export as render
from workplan.service import Service

DOC = "third-work-plan"
PRY = (
    "Paraguay joins the consensus on this paragraph on the understanding that its application"
    " will be in accordance with its Constitution and domestic law."
)
JAM = (
    "The Government of Jamaica joins the consensus on the understanding that the paragraph is"
    " applied in accordance with the Constitution of Jamaica."
)
LCA = (
    "The Government of Saint Lucia reaffirms its commitment to combat trafficking in persons"
    " and joins the consensus on this paragraph.\n\n"
    "It does so on the understanding that the recommendations will be applied in accordance"
    " with its national laws, its Constitution and the international instruments to which it is"
    " a party.\n\n"
    "Nothing in this paragraph creates obligations beyond those the State has accepted."
)
#: How long LibreOffice may take to convert one file, in seconds.
TIMEOUT = 180
#: How many pages of each PDF become PNGs.
PAGES = 2


def negotiate(db_path: Path) -> Service:
    """A record with footnotes, revisions and open proposals."""
    svc, as_ = start_record(db_path)
    draft = svc.draft(DOC)
    refs = list(draft.refs.values())
    pps = [r for r in refs if r.startswith("PP")]
    ops = [r for r in refs if r.startswith("OP")]
    as_("SECRETARIAT").revise(DOC)
    text = svc.draft(DOC).resolve(ops[1]).text
    am = as_("CAN").propose(
        DOC,
        ops[1],
        "modify",
        text=text.rstrip(".") + ", with a gender perspective.",
        cosponsors=["MEX"],
    )
    as_("CHAIR").decide(DOC, am.id, "accept")
    ins = as_("BRA").propose(
        DOC,
        ops[2],
        "insert",
        text="Strengthen cooperation among border, labour and consular authorities to identify"
        " victims early.",
    )
    as_("CHAIR").decide(DOC, ins.id, "accept")
    as_("SECRETARIAT").revise(DOC)
    ops = [r for r in svc.draft(DOC).refs.values() if r.startswith("OP")]
    as_("CHAIR").agree(DOC, [*pps, *ops[:8]])
    as_("PRY").reserve(DOC, [pps[0], ops[0], ops[3]], text=PRY)
    as_("JAM").reserve(DOC, [pps[0], ops[0], ops[3]], text=JAM)
    as_("LCA").reserve(DOC, [pps[0], ops[0], ops[3]], text=LCA)
    text = svc.draft(DOC).resolve(ops[9]).text
    as_("USA").propose(DOC, ops[9], "modify", text=text.rstrip(".") + " on request.")
    as_("ARG").record_position(DOC, ops[9], "object")
    return svc


def exports(svc: Service, out: Path) -> list[Path]:
    """Every export in every format into `out`; the written paths."""
    built = {
        "clean": svc.export_clean(DOC),
        "compilation": svc.export_compilation(DOC),
        "redline": svc.export_redline(DOC, "1", "2"),
    }
    written = []
    for name, doc in built.items():
        for fmt, data in (
            ("txt", render.render_text(doc)),
            ("markdown.md", render.render_markdown(doc)),
            ("html", render.render_html(doc)),
            ("docx", render.render_binary(doc, "docx")),
            ("odt", render.render_binary(doc, "odt")),
        ):
            path = out / f"{name}.{fmt}"
            if isinstance(data, str):
                path.write_text(data, encoding="utf-8")
            else:
                path.write_bytes(data)
            written.append(path)
    return written


def html_to_pdf(path: Path, out: Path) -> Path:
    """An HTML page printed to PDF in `out` by headless Chromium, as a browser prints it."""
    pdf = out / f"{path.name.replace('.', '-')}.pdf"
    chromium(
        "--no-pdf-header-footer", f"--print-to-pdf={pdf}", path.resolve().as_uri(), timeout=TIMEOUT
    )
    return pdf


def to_pdf(path: Path, out: Path) -> Path:
    """`path` converted to PDF in `out` by headless LibreOffice with a private profile."""
    if path.suffix == ".html":
        return html_to_pdf(path, out)
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("needs LibreOffice: sudo apt-get install libreoffice-writer-nogui")
    pdf = out / f"{path.name.replace('.', '-')}.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "profile"
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf:writer_pdf_Export",
                "--outdir",
                tmp,
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT,
        )
        shutil.move(Path(tmp) / f"{path.stem}.pdf", pdf)
    return pdf


def to_png(pdf: Path) -> list[Path]:
    """A PNG of each of the first PAGES pages of `pdf`, beside it (`name-1.png`, ...)."""
    for old in pdf.parent.glob(f"{pdf.stem}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "60", "-l", str(PAGES), "-png", str(pdf), str(pdf.with_suffix(""))],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )
    pngs = []
    for png in sorted(pdf.parent.glob(f"{pdf.stem}-*.png")):  # name-01.png → name-1.png
        number = int(png.stem.rsplit("-", 1)[1])
        pngs.append(png.rename(png.with_name(f"{pdf.stem}-{number}.png")))
    return pngs


def main() -> None:
    """Build the record, export, convert."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/exports", type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "wg"
        folder.mkdir(mode=0o700)
        svc = negotiate(folder / "wg.db")
        written = exports(svc, args.out)
        svc.close()
    for path in written:
        print(path)
        if path.suffix in (".docx", ".odt", ".html"):
            pdf = to_pdf(path, args.out)
            print(pdf)
            for png in to_png(pdf):
                print(png)


if __name__ == "__main__":
    main()
