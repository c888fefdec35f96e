"""Pasted tabs and runs of spaces become one space: in paragraph texts, amendments,
justifications, comments and reservations. Line breaks stay only where a text may have them
(a reservation's paragraphs; a paragraph's sub-items)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import PLAN

from workplan.cli import cli
from workplan.errors import InputError
from workplan.model.text import clean_line, clean_paragraphs, clean_text, squeeze_spaces
from workplan.service import Service
from workplan.store import connect

DOC = "third-work-plan"

#: Visible characters (Latin with accents, a no-break space, punctuation, a combining accent
#: that NFC composes) and what pasting brings: spaces, tabs, line breaks, CRLF.
VISIBLE = list("abcXYZeé,;.()«»“”—1")
WORDS = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(VISIBLE),
    st.text(alphabet=st.sampled_from([*VISIBLE, "\u00a0", "\u0301"]), max_size=8),
)
SPACES = st.text(alphabet=st.sampled_from([" ", "\t"]), max_size=4)
LINE = st.lists(st.tuples(SPACES, WORDS), min_size=1, max_size=6).map(
    lambda parts: "".join(s + w for s, w in parts)
) | st.builds(lambda a, w, b: a + w + b, SPACES, WORDS, SPACES)


def visible(text: str) -> list[str]:
    """The characters a reader sees, in order (after NFC, which the record applies)."""
    return [c for c in unicodedata.normalize("NFC", text) if not c.isspace()]


@given(st.text(alphabet=st.sampled_from(list("ab \t\u00a0.")), max_size=40))
def test_squeezing_is_idempotent_and_keeps_what_is_visible(line: str) -> None:
    once = squeeze_spaces(line)
    assert squeeze_spaces(once) == once
    assert visible(once) == visible(line)
    assert "\t" not in once
    assert "  " not in once
    assert once == once.strip()


@given(st.lists(LINE, min_size=1, max_size=5), st.sampled_from(["\n", "\r\n"]))
def test_clean_text_is_idempotent_and_loses_no_visible_character(
    lines: list[str], newline: str
) -> None:
    text = newline.join(lines)
    once = clean_text(text)
    assert clean_text(once) == once
    assert visible(once) == visible(text)
    assert once.count("\n") == len(lines) - 1  # a sub-item stays a line of its own
    assert all(line == squeeze_spaces(line) for line in once.split("\n"))


@given(LINE)
def test_clean_line_is_idempotent_and_loses_no_visible_character(line: str) -> None:
    once = clean_line(line, max_length=10_000)
    assert clean_line(once, max_length=10_000) == once
    assert visible(once) == visible(line)


@given(
    st.lists(st.lists(LINE, min_size=1, max_size=3), min_size=1, max_size=4),
    st.lists(st.sampled_from(["\n\n", "\n \t\n", "\n\n\n", "\r\n\r\n"]), min_size=3, max_size=3),
)
def test_reservation_paragraphs_keep_their_breaks_and_nothing_visible_is_lost(
    paragraphs: list[list[str]], seps: list[str]
) -> None:
    text = ""
    for i, lines in enumerate(paragraphs):
        text += ("\n".join(lines)) + (seps[i % 3] if i < len(paragraphs) - 1 else "  \t")
    once = clean_paragraphs(text)
    assert clean_paragraphs(once) == once
    assert visible(once) == visible(text)
    assert once.count("\n\n") == len(paragraphs) - 1
    assert "\n\n\n" not in once
    assert "\t" not in once
    assert "  " not in once


def test_the_forms_a_paste_takes() -> None:
    assert clean_text("Adopt\t\tnational   plans \t") == "Adopt national plans"
    assert clean_text("  (a)\tvictims;  \n\t(b)  witnesses.") == "(a) victims;\n(b) witnesses."
    assert clean_line("needs\tconsultation   now") == "needs consultation now"
    assert clean_text("art.\u00a05") == "art.\u00a05"  # a no-break space is meant
    assert clean_paragraphs("First  one.\t\n \t\n\n\tSecond\tone.  ") == (
        "First one.\n\nSecond one."
    )
    with pytest.raises(InputError, match="reservation text is empty"):
        clean_paragraphs(" \t\n\t \n", "reservation text")


@pytest.fixture
def svc(tmp_path: Path) -> Service:
    from workplan.model import Principal

    s = Service(connect(tmp_path / "wg.db"), Principal(id="SECRETARIAT"))
    s.initialise(PLAN)
    return s


def _as(svc: Service, who: str) -> Service:
    from workplan.model import Principal

    return Service(svc.db, Principal.parse(who))


def test_every_text_an_action_takes_is_squeezed(svc: Service) -> None:
    am = _as(svc, "CAN").propose(
        DOC,
        "OP1",
        "modify",
        text="Adopt\tand fund   national plans.",
        justification="Funding \t matters.",
    )
    assert (am.text, am.justification) == ("Adopt and fund national plans.", "Funding matters.")
    ins = _as(svc, "MEX").propose(DOC, "OP1", "insert", placement="after", text="New\t\ttext.")
    assert ins.text == "New text."
    revised = _as(svc, "CAN").revise_amendment(DOC, am.id, "Adopt  and\tfund plans.")
    assert revised.text == "Adopt and fund plans."
    pos = _as(svc, "USA").record_position(DOC, "OP2", "object", "needs\t\tconsultation  ")
    assert pos.comment == "needs consultation"
    res = _as(svc, "JAM").reserve(
        DOC, ["OP3"], text="Jamaica\treserves   on this.  \n\t\n\n  It\tstays committed.\t"
    )
    assert res.text == "Jamaica reserves on this.\n\nIt stays committed."
    edited = _as(svc, "JAM").edit_reservation(DOC, res.id, "One\t\tparagraph  now.")
    assert edited.text == "One paragraph now."
    _as(svc, "CHAIR").decide(DOC, am.id, "accept")
    assert svc.draft(DOC).resolve("OP1").text == "Adopt and fund plans."


def test_the_draft_format_round_trip_stays_byte_identical(svc: Service, tmp_path: Path) -> None:
    """A plan whose file holds pasted tabs reads squeezed; its export then reads back to the
    same bytes."""
    pasted = PLAN.read_text(encoding="utf-8").replace(
        "Adopt national action plans", "Adopt\tnational   action plans"
    )
    pasted = pasted.replace("id: first-plan", "id: pasted")
    for uid in ("pp1", "pp2", "op1", "op2", "op3", "op4", "fu1", "fu2"):
        pasted = pasted.replace(f"#fp-{uid} ", f"#pa-{uid} ")
    source = tmp_path / "pasted.md"
    source.write_text(pasted, encoding="utf-8")
    svc.import_draft(source)
    assert svc.draft("pasted").resolve("OP1").text.startswith("Adopt national action plans")
    first = svc.export_draft("pasted")
    again = tmp_path / "again.md"
    again.write_text(first.replace("id: pasted", "id: again").replace("#pa-", "#ag-"))
    svc.import_draft(again)
    assert svc.export_draft("again") == first.replace("id: pasted", "id: again").replace(
        "#pa-", "#ag-"
    )


def test_an_oas_text_with_pasted_tabs_imports_squeezed(svc: Service, tmp_path: Path) -> None:
    text = (
        "RECALLING\tthe commitments   of the member states;\n\n"
        "RESOLVES:\n\n"
        "1.\tTo adopt\t\tnational  plans.\n"
    )
    path = tmp_path / "pasted.txt"
    path.write_text(text, encoding="utf-8")
    svc.import_file(path, "pasted-oas")
    texts = [p.text for p in svc.draft("pasted-oas").paragraphs]
    assert "RECALLING the commitments of the member states;" in texts
    assert "To adopt national plans." in texts


def test_cli_amend_and_reserve_squeeze_what_was_pasted(tmp_path: Path) -> None:
    db = tmp_path / "wg.db"

    def run(who: str, *args: str) -> str:
        r = CliRunner().invoke(cli, ["--db", str(db), "--as", who, *args])
        assert r.exit_code == 0, r.output
        return r.output

    run("SECRETARIAT", "init", "--from-file", str(PLAN))
    run("CAN", "amend", "OP1", "--text", "Adopt\t\tnational    plans.", "--json")
    run("JAM", "reserve", "OP2", "--text", "Jamaica\t reserves.\n \n\nSecond\tparagraph.")
    shown = run("OBSERVER", "amendments", "--json")
    assert "Adopt national plans." in shown
    assert "\\t" not in shown
    reservations = run("OBSERVER", "reservations", "--json")
    assert "Jamaica reserves.\\n\\nSecond paragraph." in reservations
