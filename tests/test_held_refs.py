"""Refs hold still while a text is negotiated: `OP4 bis` for an insertion, numbers never reused,
everything renumbered only when the secretariat issues the next revision."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import PLAN, Clock

from workplan.cli import cli
from workplan.errors import NotFoundError
from workplan.model import Principal
from workplan.model.document import Numbering, ParagraphKind, Section
from workplan.model.refs import canonical_ref, held_refs, resolve_ref, section_prefix
from workplan.service import Service
from workplan.store import connect
from workplan.store.documents import NumberingRow

DOC = "third-work-plan"


def _rows(spec: list[tuple[str, str]]) -> list[NumberingRow]:
    """(uid, kind) in order → numbering rows, none deleted, no section."""
    return [
        NumberingRow(uid, ParagraphKind(kind), None, i, False) for i, (uid, kind) in enumerate(spec)
    ]


# -- the engine ---------------------------------------------------------------------------------


def test_insertions_take_bis_ter_after_the_paragraph_before_them() -> None:
    rows = _rows(
        [
            ("new0", "operative"),
            ("a", "operative"),
            ("new1", "operative"),
            ("new2", "operative"),
            ("b", "operative"),
            ("p", "preambular"),
        ]
    )
    base = {"a": "OP1", "b": "OP2", "p": "PP1"}
    refs = held_refs(rows, [], Numbering.CONTINUOUS, base)
    assert refs == {
        "new0": "OP0 bis",
        "a": "OP1",
        "new1": "OP1 bis",
        "new2": "OP1 ter",
        "b": "OP2",
        "p": "PP1",
    }


def test_a_deleted_paragraphs_number_is_not_reused() -> None:
    rows = _rows([("a", "operative"), ("b", "operative"), ("new", "operative")])
    rows[1] = rows[1]._replace(deleted=True)
    refs = held_refs(rows, [], Numbering.CONTINUOUS, {"a": "OP1", "b": "OP2"})
    assert refs == {"a": "OP1", "b": "", "new": "OP2 bis"}


def test_an_insertion_after_a_moved_paragraph_follows_the_highest_number_before_it() -> None:
    # OP1 moved after OP3; a paragraph inserted after it is OP3 bis, which sorts before OP4.
    rows = _rows([(u, "operative") for u in ("b", "c", "a", "new", "d")])
    base = {"a": "OP1", "b": "OP2", "c": "OP3", "d": "OP4"}
    assert held_refs(rows, [], Numbering.CONTINUOUS, base)["new"] == "OP3 bis"


def test_unnumbered_paragraphs_are_named_by_their_section() -> None:
    assert section_prefix("Guiding principles") == "GP"
    assert section_prefix("Objectives") == "OBJ"
    assert section_prefix("Principios rectores") == "PR"
    assert section_prefix("Áreas de acción") == "AA"
    sections = [
        Section(id="obj", title="Objectives", position=0),
        Section(id="gp", title="Guiding principles", position=1),
        Section(id="gp2", title="General provisions", position=2),
    ]
    rows = [
        NumberingRow("o1", ParagraphKind.OTHER, "obj", 0, False),
        NumberingRow("o2", ParagraphKind.OTHER, "obj", 1, False),
        NumberingRow("g1", ParagraphKind.OTHER, "gp", 2, False),
        NumberingRow("x1", ParagraphKind.OTHER, "gp2", 3, False),
    ]
    refs = held_refs(rows, sections, Numbering.CONTINUOUS, None)
    # Two sections with the same initials get distinct letters.
    assert refs == {"o1": "OBJ1", "o2": "OBJ2", "g1": "GP1", "x1": "GPB1"}


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("OP4 bis", "OP4 bis"),
        ("OP4bis", "OP4 bis"),
        ("op 4 bis", "OP4 bis"),
        ("4 bis", "OP4 bis"),
        ("4BIS", "OP4 bis"),
        ("op 12", "OP12"),
        ("12", "OP12"),
        ("pp 2 ter", "PP2 ter"),
        ("gp2", "GP2"),
        ("prevention/op3 quater", "prevention/OP3 quater"),
    ],
)
def test_every_way_of_writing_a_ref(typed: str, canonical: str) -> None:
    assert canonical_ref(typed) == canonical


def test_an_unknown_ref_names_the_nearest() -> None:
    refs = {"a": "OP11", "b": "OP11 bis", "c": "OP12", "d": "OP13"}
    assert resolve_ref("op 11bis", refs, "d") == "b"
    with pytest.raises(NotFoundError, match=r"no paragraph 'OP12bis' in d; did you mean OP12 or"):
        resolve_ref("OP12bis", refs, "d")
    with pytest.raises(NotFoundError, match=r"^no paragraph '9{40}' in d$"):
        resolve_ref("9" * 5000, refs, "d")


# -- in the record ------------------------------------------------------------------------------


def test_the_practice_scenario(svc: Service, as_) -> None:
    """Insert after OP2, act by the printed refs of the text on the table, freeze, act again."""
    before = svc.draft(DOC)
    op3, op4 = before.resolve("OP3").uid, before.resolve("OP4").uid
    ins = as_("BRA").propose(DOC, "OP2", "insert", text="Protect witnesses and their families.")
    as_("CHAIR").decide(DOC, ins.id, "accept")
    d = svc.draft(DOC)
    # Nothing after the insertion moved: OP3 is still OP3.
    assert d.resolve("OP2 bis").text == "Protect witnesses and their families."
    assert d.resolve("OP3").uid == op3
    assert d.resolve("OP4").uid == op4
    pos = as_("USA").record_position(DOC, "OP3", "object")
    assert pos.target == op3
    # The record's summary names the paragraph by its ref at the time and its uid.
    assert f"OP3 ({op3})" in svc.events(DOC)[-1].payload["summary"]
    as_("SECRETARIAT").revise(DOC)
    d = svc.draft(DOC)
    assert d.resolve("OP3").text == "Protect witnesses and their families."
    assert d.resolve("OP4").uid == op3
    assert d.resolve("OP5").uid == op4
    rev = svc.revision(DOC, 1)
    formerly = {p["uid"]: p["formerly"] for p in rev.snapshot["paragraphs"]}
    assert formerly[op3] == "OP3"
    assert formerly[op4] == "OP4"
    assert formerly[d.resolve("OP3").uid] == "OP2 bis"
    # After the freeze an insertion is again a bis of the new numbers.
    again = as_("MEX").propose(DOC, "OP5", "insert", text="Share data across borders.")
    as_("CHAIR").decide(DOC, again.id, "accept")
    assert svc.draft(DOC).resolve("OP5 bis").text == "Share data across borders."


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.sampled_from(["insert", "delete", "move", "modify"]), st.integers(0, 50)),
        min_size=1,
        max_size=8,
    )
)
def test_no_ref_changes_between_two_freezes(tmp_path_factory, ops) -> None:
    clock = Clock()
    path = tmp_path_factory.mktemp("held") / "h.db"
    sec = Service(connect(path), Principal(id="SECRETARIAT"), clock=clock)
    sec.initialise(PLAN)
    chair = Service(sec.db, Principal(id="CHAIR"), clock=clock)
    can = Service(sec.db, Principal(id="CAN"), clock=clock)
    sec.revise(DOC)
    seen: dict[str, str] = dict(sec.refs(DOC))
    for kind, pick in ops:
        clock.advance(minutes=1)
        live = [p for p in sec.draft(DOC).paragraphs if not p.deleted and p.kind != "other"]
        if len(live) < 2:
            break
        target = live[pick % len(live)]
        ref = sec.draft(DOC).ref(target.uid)
        if kind == "insert":
            am = can.propose(DOC, ref, "insert", text=f"New text {pick}.")
        elif kind == "delete":
            am = can.propose(DOC, ref, "delete")
        elif kind == "move":
            other = live[(pick + 1) % len(live)]
            if other.uid == target.uid:
                continue
            am = can.propose(DOC, ref, "move", anchor=sec.draft(DOC).ref(other.uid))
        else:
            am = can.propose(DOC, ref, "modify", text=target.text + " Amended.")
        chair.decide(DOC, am.id, "accept")
        refs = sec.refs(DOC)
        for uid, was in seen.items():
            if refs.get(uid):  # still there (a deleted paragraph loses its ref)
                assert refs[uid] == was, f"{uid} was {was}, now {refs[uid]}"
        seen.update({u: r for u, r in refs.items() if r})
        assert len({r for r in refs.values() if r}) == len([r for r in refs.values() if r])
    sec.close()


def test_cli_acts_by_bis_refs_and_show_says_formerly(tmp_path: Path) -> None:
    db, runner = tmp_path / "c.db", CliRunner()

    def wp(who: str | None, *args: str, code: int = 0) -> Result:
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        r = runner.invoke(cli, [*pre, *args], catch_exceptions=False)
        assert r.exit_code == code, r.output
        return r

    wp("SECRETARIAT", "init", "--from-file", str(PLAN))
    wp("BRA", "amend", "--insert-after", "OP2", "--text", "Protect witnesses.")
    wp("CHAIR", "decide", "A1", "accept")
    wp("USA", "position", "op 2 bis", "support")
    assert "OP2 bis" in wp(None, "show").output
    miss = wp("USA", "position", "OP2ter", "support", code=66)
    assert "did you mean OP2 bis" in miss.output
    wp("SECRETARIAT", "revise")
    shown = json.loads(wp(None, "show", "--json").output)
    by_ref = {p["ref"]: p for p in shown["paragraphs"]}
    assert by_ref["OP3"]["formerly"] == "OP2 bis (before rev. 1)"
    assert by_ref["OP4"]["formerly"] == "OP3 (before rev. 1)"
    assert "formerly OP2 bis" in wp(None, "show").output
    status = json.loads(wp(None, "status", "--json").output)
    rows = {p["ref"]: p for p in status["paragraphs"]}
    assert rows["OP3"]["formerly"] == "OP2 bis (before rev. 1)"
