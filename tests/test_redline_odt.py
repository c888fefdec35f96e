"""The OpenDocument redline: real tracked changes (`text:tracked-changes`), each authored by the
delegations whose accepted amendment made it and dated when it was accepted; accepting every
change gives revision B and rejecting every change revision A, paragraph by paragraph. Checked
twice: by accepting and rejecting over the ODT's XML here, and by LibreOffice itself."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from tests.conftest import Clock
from tests.test_redline import A_TEXT, B_TEXT, DELEGATIONS, OP2_CAN, OP2_USA, PLAN, PRY

from workplan.formats.export import EDGE_SPACE, render_binary
from workplan.formats.odt_changes import mark, tracked_changes
from workplan.model import Principal
from workplan.service import Service
from workplan.store import connect

DOC = "third-work-plan"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
DC = "{http://purl.org/dc/elements/1.1/}"
BREAK = object()
"""A paragraph break in the flattened body."""
SYSTEM_PYTHON = Path("/usr/bin/python3")
LIBREOFFICE_SCRIPT = Path(__file__).with_name("libreoffice_changes.py")


@pytest.fixture(scope="module")
def redline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The redline rev. 1 → rev. 2 of the negotiation the Word redline test makes, as .odt;
    and the redline rev. 2 → working draft (nothing changed)."""
    tmp = tmp_path_factory.mktemp("odt")
    clock = Clock()
    svc = Service(connect(tmp / "r.db"), Principal(id="SECRETARIAT"), clock=clock)
    svc.initialise(PLAN)

    def as_(who: str) -> Service:
        clock.advance(minutes=1)
        return Service(svc.db, Principal.parse(who), clock=clock)

    as_("SECRETARIAT").revise(DOC)
    as_("CAN").propose(DOC, "OP2", "modify", text=OP2_CAN, cosponsors=["MEX"])
    as_("CHAIR").decide(DOC, "A1", "accept")
    as_("USA").propose(DOC, "OP2", "modify", text=OP2_USA)
    as_("CHAIR").decide(DOC, "A2", "accept")
    as_("BRA").propose(DOC, "OP1", "insert", text="Protect every victim.", placement="before")
    as_("CHAIR").decide(DOC, "A3", "accept")
    as_("USA").propose(DOC, "OP4", "delete")
    as_("CHAIR").decide(DOC, "A4", "accept")
    as_("CHL").propose(DOC, "FU1", "move", anchor="FU2")
    as_("CHAIR").decide(DOC, "A5", "accept")
    as_("PRY").reserve(DOC, ["OP0 bis", "OP2"], text=PRY)
    as_("SECRETARIAT").revise(DOC)
    red, same = tmp / "red.odt", tmp / "same.odt"
    red.write_bytes(render_binary(svc.export_redline(DOC, "1", "2"), "odt"))
    clock.advance(minutes=1)
    same.write_bytes(render_binary(svc.export_redline(DOC, "2", "draft"), "odt"))
    return red, same


def _body(path: Path) -> ET.Element:
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("content.xml"))
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    assert body is not None
    return body


def _inline(el: ET.Element, out: list[object]) -> None:
    """A paragraph's text, with its change marks as (kind, id) tuples."""
    if el.text:
        out.append(el.text)
    after_note = False
    for child in el:
        tag = child.tag.removeprefix(TEXT)
        call_slash = after_note and tag == "span" and (child.text or "") == "/"
        after_note = tag == "note"
        if call_slash:  # the raised `/` after a footnote call (`1/`): part of the call
            if child.tail:
                out.append(child.tail)
            continue
        if tag == "s":
            out.append(" " * int(child.get(f"{TEXT}c", "1")))
        elif tag == "tab":
            out.append("\t")
        elif tag == "line-break":
            out.append("\n")
        elif tag in ("change-start", "change-end", "change"):
            out.append((tag, child.get(f"{TEXT}change-id")))
        elif tag not in ("note", "bookmark", "bookmark-start", "bookmark-end"):
            _inline(child, out)  # spans; a footnote call prints no text in the paragraph
        if child.tail:
            out.append(child.tail)


def _flat(el: ET.Element, out: list[object]) -> None:
    """Every paragraph and heading under `el`, each followed by a break."""
    for child in el:
        if child.tag in (f"{TEXT}p", f"{TEXT}h"):
            _inline(child, out)
            out.append(BREAK)
        elif child.tag != f"{TEXT}tracked-changes":
            _flat(child, out)


def resolved(path: Path, *, accept: bool) -> list[str]:
    """The paragraphs with every tracked change accepted (or rejected), as ODF says: accepting
    drops the deleted text; rejecting drops everything between an insertion's start and end
    (paragraph breaks too) and puts each deletion's paragraphs back where its mark is."""
    body = _body(path)
    regions = {r.get(f"{TEXT}id"): r for r in body.iter(f"{TEXT}changed-region")}
    flat: list[object] = []
    _flat(body, flat)
    text: list[object] = []
    dropping: set[object] = set()
    for item in flat:
        if isinstance(item, tuple):
            kind, rid = item
            if kind == "change" and not accept:
                deletion = regions[rid].find(f"{TEXT}deletion")
                assert deletion is not None
                restored: list[object] = []
                _flat(deletion, restored)
                text += restored[:-1]  # the last paragraph runs on into the text after the mark
            elif kind == "change-start" and not accept:
                dropping.add(rid)
            elif kind == "change-end":
                dropping.discard(rid)
        elif not dropping:
            text.append(item)
    paragraphs, carry = [], ""
    for item in text:
        if item is BREAK:
            paragraphs.append(carry)
            carry = ""
        else:
            carry += str(item)
    return paragraphs


def changes(path: Path) -> dict[str, str]:
    """Every inserted (`+`) and deleted (`-`) text by author."""
    body = _body(path)
    regions = {r.get(f"{TEXT}id"): r for r in body.iter(f"{TEXT}changed-region")}
    flat: list[object] = []
    _flat(body, flat)
    inserted: dict[object, str] = {}
    open_: set[object] = set()
    for item in flat:
        if isinstance(item, tuple):
            kind, rid = item
            if kind == "change-start":
                open_.add(rid)
                inserted[rid] = ""
            elif kind == "change-end":
                open_.discard(rid)
        else:
            for rid in open_:
                inserted[rid] += "\n" if item is BREAK else str(item)
    out: dict[str, str] = {}
    for rid, region in regions.items():
        change = region[0]
        author = change.findtext(f"{OFFICE}change-info/{DC}creator")
        if change.tag == f"{TEXT}insertion":
            key, text = f"+{author}", inserted[rid]
        else:
            restored: list[object] = []
            _flat(change, restored)
            text = "".join("\n" if x is BREAK else str(x) for x in restored[:-1])
            key = f"-{author}"
        out[key] = out.get(key, "") + "|" + text
    return out


def _dates(path: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for info in _body(path).iter(f"{OFFICE}change-info"):
        author, date = info.findtext(f"{DC}creator"), info.findtext(f"{DC}date")
        out.setdefault(str(author), set()).add(str(date))
    return out


def _within(paragraphs: list[str], expected: list[str]) -> tuple[list[str], list[str]]:
    """The paragraphs around the body (from "Preamble"), after checking the body."""
    at = paragraphs.index("Preamble")
    assert paragraphs[at : at + len(expected)] == expected
    return paragraphs[:at], paragraphs[at + len(expected) :]


def test_accepting_gives_b_rejecting_gives_a(redline: tuple[Path, Path]) -> None:
    red, _ = redline
    accepted, rejected = resolved(red, accept=True), resolved(red, accept=False)
    # Header, title and closing lines are the same on both sides; the body is B or A.
    assert _within(accepted, B_TEXT) == _within(rejected, A_TEXT)
    # No labels run together, no paragraph left empty, no words doubled.
    assert not any(p == "" or ".2." in p or "cultures cultures" in p for p in accepted + rejected)


def test_each_change_is_authored_and_dated(redline: tuple[Path, Path]) -> None:
    red, _ = redline
    by = changes(red)
    assert {k[1:] for k in by} == DELEGATIONS | {"Secretariat"}
    assert "and equip " in by["+Canada, Mexico"]
    assert "recognise the signs of" in by["-Canada, Mexico"]
    assert " at once" in by["+United States"]
    assert "officials" in by["-United States"]
    assert "Support member states" in by["-United States"]
    assert "Protect every victim." in by["+Brazil"]
    assert "Meet every two years." in by["+Chile"]
    assert "Meet every two years." in by["-Chile"]
    assert "|2." in by["-Secretariat"]
    assert "|3." in by["+Secretariat"]
    # Dated when the amendment was accepted (the clock starts at 14:00, one minute a step);
    # renumbering is the Secretariat's, at the freeze of rev. 2.
    dates = _dates(red)
    assert dates["Canada, Mexico"] == {"2026-03-02T14:03:00"}
    assert dates["United States"] == {"2026-03-02T14:05:00", "2026-03-02T14:09:00"}
    assert dates["Secretariat"] == {"2026-03-02T14:13:00"}
    ids = [r.get(f"{TEXT}id") for r in _body(red).iter(f"{TEXT}changed-region")]
    assert len(ids) == len(set(ids))
    with zipfile.ZipFile(red) as z:
        xml = z.read("content.xml").decode("utf-8")
    assert xml.count("Paraguay joins the consensus") == 1
    assert "Idem 1" in xml
    assert "\ue001" not in xml  # no mark left behind
    assert "\ue000" not in xml


def test_nothing_changed_means_no_tracked_change(redline: tuple[Path, Path]) -> None:
    _, same = redline
    assert resolved(same, accept=True) == resolved(same, accept=False)
    assert changes(same) == {}
    assert _body(same).find(f"{TEXT}tracked-changes") is None


@pytest.mark.slow  # starts LibreOffice
def test_libreoffice_accepts_and_rejects_them(redline: tuple[Path, Path]) -> None:
    """LibreOffice reads the changes, and its Accept All and Reject All give B and A."""
    red, _ = redline
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice is missing: sudo apt-get install libreoffice-writer-nogui")
    bridge = subprocess.run(
        [str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True, check=False
    )
    if bridge.returncode != 0:
        pytest.fail("LibreOffice's Python bridge is missing: sudo apt-get install python3-uno")
    run = subprocess.run(
        [str(SYSTEM_PYTHON), str(LIBREOFFICE_SCRIPT), str(red)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    authors = {author for _, author, _ in seen["changes"]}
    assert authors == DELEGATIONS | {"Secretariat"}
    assert ["Insert", "Brazil", "2026-03-02T14:07:00"] in seen["changes"]
    assert ["Delete", "United States", "2026-03-02T14:09:00"] in seen["changes"]

    def body(paragraphs: list[list[str]], n: int) -> list[list[str]]:
        at = [text for text, _ in paragraphs].index("Preamble")
        # LibreOffice prints a footnote call as its number, then the call's raised `/`: drop
        # them (`victim.1/` is `victim.` with call 1).
        calls = re.compile(r"(?:\d+/?)+$")
        return [[calls.sub("", text), style] for text, style in paragraphs[at : at + n]]

    accepted, rejected = body(seen["accepted"], len(B_TEXT)), body(seen["rejected"], len(A_TEXT))
    assert [t for t, _ in accepted] == B_TEXT
    assert [t for t, _ in rejected] == A_TEXT
    # A deleted heading comes back a heading, a deleted paragraph a body paragraph.
    assert ["Mandates", "Heading 2"] in rejected
    assert all(style.startswith("Heading") == (text in HEADINGS) for text, style in rejected)
    assert all(style.startswith("Heading") == (text in HEADINGS) for text, style in accepted)
    # Shown with its changes, both versions are there.
    shown = [t for t, _ in seen["shown"]]
    assert any("officialsguards" in t for t in shown)
    assert "Mandates" in shown


HEADINGS = {"Preamble", "Prevention", "Mandates", "Follow-up"}


def _odt(tmp_path: Path, body: str) -> Path:
    """A minimal .odt whose content.xml has `body` (pandoc-like paragraphs with marks) made
    tracked changes."""
    content = (
        '<?xml version="1.0" encoding="utf-8" ?><office:document-content'
        ' xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><office:body><office:text>'
        f"{body}</office:text></office:body></office:document-content>"
    )
    path = tmp_path / "t.odt"
    with zipfile.ZipFile(path, "w") as z:
        # As `postprocess` does: the edge spaces left in the body become spaces.
        z.writestr("content.xml", tracked_changes(content, EDGE_SPACE).replace(EDGE_SPACE, " "))
    return path


def _p(inner: str, tag: str = "p") -> str:
    return f'<text:{tag} text:style-name="Body">{inner}</text:{tag}>'


def test_paragraphs_by_several_authors_come_and_go_whole(tmp_path: Path) -> None:
    can = ("Canada", "2026-03-02T14:03:00+00:00")
    usa = ("United States", "2026-03-02T15:00:00+00:00")

    def ins(text: str, by: tuple[str, str]) -> str:
        return mark(text, "insertion", *by)

    def dele(text: str, by: tuple[str, str]) -> str:
        return mark(text, "deletion", *by)

    body = "".join(
        [
            _p("Title", "h"),
            _p(f"Keep {dele('old', can)}{ins('new', can)} words{ins(f'{EDGE_SPACE}here', usa)}."),
            _p(dele("Gone heading", can), "h"),
            _p(dele(f"Gone{EDGE_SPACE}", usa) + dele("paragraph.", can)),
            _p(ins("New ", can) + ins("paragraph", usa) + ins(" by two.", can)),
            _p("Last."),
        ]
    )
    path = _odt(tmp_path, body)
    assert resolved(path, accept=True) == [
        "Title",
        "Keep new words here.",
        "New paragraph by two.",
        "Last.",
    ]
    assert resolved(path, accept=False) == [
        "Title",
        "Keep old words.",
        "Gone heading",
        "Gone paragraph.",
        "Last.",
    ]
    by = changes(path)
    assert by["-Canada"] == "|old|\nGone heading|paragraph."
    assert by["-United States"] == "|\nGone "
    assert by["+United States"] == "| here|paragraph"
    assert _dates(path)["United States"] == {"2026-03-02T15:00:00"}
    # A deleted paragraph's text lives in its region, not in the body.
    assert "Gone" not in "".join(str(x) for x in _flat_body(path))


def _flat_body(path: Path) -> list[object]:
    out: list[object] = []
    _flat(_body(path), out)
    return out
