"""The rendering test: each Word and OpenDocument export opened by LibreOffice, printed to PDF
and read back with poppler's `pdftotext -layout`, as a secretariat officer would see it.

It needs LibreOffice and poppler-utils (`make test` installs them from Debian's packages when
it can); without them it fails with one line saying how to install them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from workplan.formats.export import render_binary
from workplan.service import Service

pytestmark = [pytest.mark.rendering, pytest.mark.slow]  # LibreOffice prints every file

DOC = "third-work-plan"
PRY = "Paraguay joins the consensus on the understanding that its domestic law prevails."
JAM = "The Government of Jamaica joins the consensus on the understanding of its Constitution."
LCA = "Saint Lucia reaffirms its commitment.\n\nIt applies its laws.\n\nNothing more is accepted."
INSTALL = "sudo apt-get install libreoffice-writer-nogui poppler-utils"
#: How long LibreOffice may take to print the files, in seconds.
TIMEOUT = 300


def _tools() -> tuple[str, str]:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if soffice is None or pdftotext is None:
        pytest.fail(f"the rendering test needs LibreOffice and poppler-utils: {INSTALL}", False)
    return soffice, pdftotext


def _to_pdf(files: list[Path], out: Path) -> None:
    """Print `files` to PDF in `out` with headless LibreOffice and a private profile."""
    soffice, _ = _tools()
    profile = out / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
    )


def _pages(pdf: Path) -> list[str]:
    """The PDF's pages as `pdftotext -layout` lays them out."""
    _, pdftotext = _tools()
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    return [p for p in text.split("\f") if p.strip()]


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The clean and compilation texts, three reservations on PP1 and OP1, in Word and ODT,
    printed by LibreOffice: file name → pages."""
    from tests.conftest import PLAN, Clock

    from workplan.model import Principal
    from workplan.store import create_record

    _tools()
    tmp = tmp_path_factory.mktemp("rendering")
    (tmp / "wg").mkdir(mode=0o700)
    clock = Clock()
    svc = Service(create_record(tmp / "wg" / "wg.db"), Principal(id="SECRETARIAT"), clock=clock)
    svc.initialise(PLAN)

    def as_(who: str) -> Service:
        return Service(svc.db, Principal.parse(who), clock=clock)

    as_("CHAIR").agree(DOC, ["PP1", "PP2", "OP1", "OP3", "OP4", "FU1", "FU2"])
    for who, text in (("PRY", PRY), ("JAM", JAM), ("LCA", LCA)):
        as_(who).reserve(DOC, ["PP1", "OP1"], text=text)
    files = []
    for kind, doc in (
        ("clean", svc.export_clean(DOC)),
        ("compilation", svc.export_compilation(DOC)),
    ):
        for fmt in ("docx", "odt"):
            path = tmp / f"{kind}-{fmt}.{fmt}"
            path.write_bytes(render_binary(doc, fmt))
            files.append(path)
    svc.close()
    _to_pdf(files, tmp)
    return {f.name: _pages(tmp / f"{f.stem}.pdf") for f in files}


NAMES = ["clean-docx.docx", "clean-odt.odt", "compilation-docx.docx", "compilation-odt.odt"]


@pytest.mark.parametrize("name", NAMES)
def test_rendering_calls_read_number_slash(printed: dict[str, list[str]], name: str) -> None:
    text = "\n".join(printed[name])
    assert re.search(r"and since;1/ ?2/ ?3/", text), text[:2000]
    assert re.search(r"every form of exploitation\.4/ ?5/ ?6/", text)


@pytest.mark.parametrize("name", NAMES)
def test_rendering_header_lines_are_not_stretched(printed: dict[str, list[str]], name: str) -> None:
    first = printed[name][0]
    assert re.search(r"PERMANENT COUNCIL OF THE", first), first[:600]
    assert re.search(r"ORGANIZATION OF AMERICAN STATES", first)
    assert not re.search(r"\S {4,}\S", first.split("Original:")[0].split("OEA/Ser.G")[0].strip())


@pytest.mark.parametrize("name", NAMES)
def test_rendering_footnotes_at_the_foot_of_the_page(
    printed: dict[str, list[str]], name: str
) -> None:
    page = next(p for p in printed[name] if re.search(r"1/ ?2/ ?3/", p))
    lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
    call = next(i for i, ln in enumerate(lines) if re.search(r"1/ ?2/ ?3/", ln))
    notes = [i for i, ln in enumerate(lines) if "Paraguay joins the consensus" in ln]
    assert notes
    assert notes[0] > call
    # Below the first footnote: only footnotes (Saint Lucia's three paragraphs kept apart)
    # and the page number.
    foot = lines[notes[0] :]
    assert re.fullmatch(r"-\s?\d+\s?-", foot[-1])
    assert not any("Adopt national action plans" in ln or "RECALLING" in ln for ln in foot)
    lucia = [
        i for i, ln in enumerate(foot) if ln.endswith(("commitment.", "its laws.", "accepted."))
    ]
    assert len(lucia) == 3


@pytest.mark.parametrize("name", NAMES)
def test_rendering_pages_are_numbered(printed: dict[str, list[str]], name: str) -> None:
    pages = printed[name]
    assert pages
    for n, page in enumerate(pages, start=1):
        last = [ln.strip() for ln in page.splitlines() if ln.strip()][-1]
        assert re.fullmatch(rf"-\s?{n}\s?-", last), (n, last)


@pytest.mark.parametrize("name", NAMES)
def test_rendering_headings_keep_one_case(printed: dict[str, list[str]], name: str) -> None:
    text = "\n".join(printed[name])
    assert "\nPREVENTION\n" in text
    assert "\nActions for member states\n" in text
