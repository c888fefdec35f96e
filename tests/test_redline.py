"""The redline: tracked changes whose accept-all is B and reject-all is A, each change authored
by the delegations whose accepted amendment made it, checked on the .docx XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import FIXTURES, Clock

from workplan.cli import cli
from workplan.formats.export import render_binary
from workplan.model import Principal
from workplan.service import Service
from workplan.store import connect

PLAN = FIXTURES / "plan_redline.md"
DOC = "third-work-plan"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PRY = "Paraguay joins the consensus on the understanding that its domestic law prevails."
OP2_CAN = "Train and equip border officials to spot trafficking."
OP2_USA = "Train and equip border guards to spot trafficking at once."

A_TEXT = [
    "Preamble",
    "RECALLING the commitments of the member states;",
    "Prevention",
    "1. Adopt national plans on every form of exploitation.",
    "2. Train border officials to recognise the signs of trafficking.",
    "3. Run campaigns in the languages people speak.",
    "Mandates",
    "4. Support member states in drafting model laws.",
    "Follow-up",
    "1. Meet every two years.",
    "2. Report each year.",
]
B_TEXT = [
    "Preamble",
    "RECALLING the commitments of the member states;",
    "Prevention",
    "1. Protect every victim.",
    "2. Adopt national plans on every form of exploitation.",
    f"3. {OP2_USA}",
    "4. Run campaigns in the languages people speak.",
    "Follow-up",
    "1. Report each year.",
    "2. Meet every two years.",
]
DELEGATIONS = {"Canada, Mexico", "United States", "Brazil", "Chile"}


def _call_slash(el: ET.Element) -> bool:
    """The raised `/` after a footnote call (`1/`): part of the call, not of the text."""
    raised = el.find(f"{W}rPr/{W}vertAlign")
    return raised is not None and raised.get(f"{W}val") == "superscript"


def _text(el: ET.Element, accept: bool) -> Iterator[str]:
    for child in el:
        if child.tag == f"{W}pPr" or child.tag == (f"{W}del" if accept else f"{W}ins"):
            continue
        if child.tag == f"{W}r" and _call_slash(child):
            continue
        if child.tag in (f"{W}t", f"{W}delText"):
            yield child.text or ""
        elif child.tag == f"{W}br":
            yield "\n"
        elif child.tag == f"{W}tab":
            yield "\t"
        else:
            yield from _text(child, accept)


def resolved(path: Path, *, accept: bool) -> list[str]:
    """The document's paragraphs with every tracked change accepted (or rejected), as Word does
    it: a paragraph whose mark is deleted (or, rejecting, inserted) joins the next one."""
    with zipfile.ZipFile(path) as z:
        body = ET.fromstring(z.read("word/document.xml")).find(f"{W}body")
    assert body is not None
    out, carry = [], ""
    mark = f"{W}pPr/{W}rPr/{W}{'del' if accept else 'ins'}"
    for p in body.findall(f"{W}p"):  # the body's own paragraphs (the header is a table)
        carry += "".join(_text(p, accept))
        if p.find(mark) is None:
            out.append(carry)
            carry = ""
    return out


def changes(path: Path) -> dict[str, str]:
    """Every inserted (`+`) and deleted (`-`) text by author."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    out: dict[str, str] = {}
    for el in root.iter():
        if el.tag in (f"{W}ins", f"{W}del"):
            op = "+" if el.tag == f"{W}ins" else "-"
            text = "".join(_text(el, accept=op == "+"))
            key = f"{op}{el.get(f'{W}author')}"
            out[key] = out.get(key, "") + "|" + text
    return out


def _check(path: Path) -> None:
    accepted, rejected = resolved(path, accept=True), resolved(path, accept=False)
    # The title and the closing line are the same on both sides.
    assert accepted[0] == rejected[0]
    assert accepted[0].endswith("changes from rev. 1 to rev. 2")
    assert accepted[-1] == rejected[-1]
    assert accepted[-1].startswith("Record ")
    assert accepted[1:-1] == B_TEXT
    assert rejected[1:-1] == A_TEXT
    by = changes(path)
    assert {k[1:] for k in by} == DELEGATIONS | {"Secretariat"}
    # Both amendments on OP2 keep their own words.
    assert "and equip " in by["+Canada, Mexico"]
    assert "recognise the signs of" in by["-Canada, Mexico"]
    assert " at once" in by["+United States"]
    assert "officials" in by["-United States"]
    assert "guards" in by["+United States"]
    assert "Support member states" in by["-United States"]
    assert "Protect every victim." in by["+Brazil"]
    assert "Meet every two years." in by["+Chile"]
    assert "Meet every two years." in by["-Chile"]
    # Renumbering is editorial.
    assert "|2." in by["-Secretariat"]
    assert "|3." in by["+Secretariat"]
    with zipfile.ZipFile(path) as z:
        notes = z.read("word/footnotes.xml").decode("utf-8")
        xml = z.read("word/document.xml").decode("utf-8")
    assert notes.count("Paraguay joins the consensus") == 1
    assert notes.count("Idem 1") == 1
    ids = [el.get(f"{W}id") for el in ET.fromstring(xml).iter() if el.tag in (f"{W}ins", f"{W}del")]
    assert len(ids) == len(set(ids))


@pytest.fixture
def record(tmp_path: Path) -> tuple[Service, Clock]:
    clock = Clock()
    svc = Service(connect(tmp_path / "r.db"), Principal(id="SECRETARIAT"), clock=clock)
    svc.initialise(PLAN)
    return svc, clock


def test_redline_through_the_service(record, tmp_path: Path) -> None:
    svc, clock = record

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
    as_("USA").propose(DOC, "OP4", "delete")  # refs hold still: no renumbering before rev. 2
    as_("CHAIR").decide(DOC, "A4", "accept")
    as_("CHL").propose(DOC, "FU1", "move", anchor="FU2")
    as_("CHAIR").decide(DOC, "A5", "accept")
    as_("PRY").reserve(DOC, ["OP0 bis", "OP2"], text=PRY)
    as_("SECRETARIAT").revise(DOC)
    out = tmp_path / "red.docx"
    out.write_bytes(render_binary(svc.export_redline(DOC, "1", "2"), "docx"))
    _check(out)
    # Against the working draft, nothing changed since rev. 2: no tracked change at all.
    clock.advance(minutes=1)
    same = tmp_path / "same.docx"
    same.write_bytes(render_binary(svc.export_redline(DOC, "2", "draft"), "docx"))
    assert resolved(same, accept=True) == resolved(same, accept=False)
    assert changes(same) == {}


def test_redline_through_the_cli(tmp_path: Path) -> None:
    db, runner = tmp_path / "c.db", CliRunner()

    def wp(who: str, *args: str) -> None:
        result = runner.invoke(cli, ["--db", str(db), "--as", who, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    wp("SECRETARIAT", "init", "--from-file", str(PLAN))
    wp("SECRETARIAT", "revise")
    wp("CAN", "amend", "OP2", "--text", OP2_CAN, "--cosponsor", "MEX")
    wp("CHAIR", "decide", "A1", "accept")
    wp("USA", "amend", "OP2", "--text", OP2_USA)
    wp("CHAIR", "decide", "A2", "accept")
    wp("BRA", "amend", "OP1", "--insert-before", "OP1", "--text", "Protect every victim.")
    wp("CHAIR", "decide", "A3", "accept")
    wp("USA", "amend", "OP4", "--delete")
    wp("CHAIR", "decide", "A4", "accept")
    wp("CHL", "amend", "FU1", "--move-after", "FU2")
    wp("CHAIR", "decide", "A5", "accept")
    wp("PRY", "reserve", "OP0 bis", "OP2", "--text", PRY)
    wp("SECRETARIAT", "revise")
    out = tmp_path / "red.docx"
    wp("SECRETARIAT", "export", "--redline", "1", "2", "--format", "docx", "-o", str(out))
    _check(out)
