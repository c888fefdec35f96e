"""Notes of a document: footnotes naming no delegation, kept in their own table, added and
edited by the secretariat, imported from texts, printed as footnotes by every export."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from workplan.cli import cli
from workplan.errors import PermissionDenied, ProcedureError
from workplan.footnotes import TITLE_KEY, note_sources, section_key
from workplan.formats.draft_md import parse_draft, write_draft
from workplan.formats.export import render_html, render_markdown, render_text
from workplan.model import Principal
from workplan.model.note import Note
from workplan.service import Service
from workplan.store import connect
from workplan.store.schema import schema_problems

DOC = "third-work-plan"
Make = Callable[..., Service]

#: A UN-style resolution of our own: digit calls glued to words, end notes naming no state.
UN_TEXT = """\
Resolution on safe migration routes

The Assembly,

Recalling its earlier decisions on the protection of migrants,1

Noting with concern that recruitment fees,2 where charged, trap workers in debt;

1. Urges States to regulate recruitment agencies;

2. Invites the Secretariat to report next year;

Notes

1 See decisions 12/3 and 14/7 of the Assembly.
2 See the report of the expert group on fair recruitment.
"""

#: An OAS-style text whose title calls a note (a note of the document as a whole) and whose
#: operative paragraph calls a state's reservation.
OAS_TEXT = """\
OEA/Ser.G
CP/CSH-9999/26
1 June 2026
Original: English

DRAFT DECLARATION ON SHELTERS FOR SURVIVORS[1]/

THE COMMITTEE,

RECALLING its mandate on victim assistance;

RESOLVES:

1. To promote shelters run with survivors.1/

1. Paraguay joins the consensus on the understanding that its law applies.

2. To ask for a report.

FOOTNOTES

1. Prepared by the Secretariat from the consultations of May 2026.
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- model ---------------------------------------------------------------------------------


def test_a_note_says_where_it_is_called_and_feeds_the_footnote_plan() -> None:
    on_paras = Note(document="d", id="N1", text="One.", paragraphs=["p-1", "p-2"])
    on_title = Note(document="d", id="N2", text="Two.")
    on_heading = Note(document="d", id="N3", text="Three.", section="prevention")
    gone = Note(document="d", id="N4", text="Four.", withdrawn=True)
    assert on_title.on_title
    assert not on_paras.on_title
    assert not on_heading.on_title
    assert on_paras.place({"p-1": "OP1"}) == "OP1, p-2"
    assert on_heading.place({}) == "section prevention"
    assert on_title.place({}) == "the title"
    found = note_sources([on_paras, on_title, on_heading, gone])
    assert set(found) == {"p-1", "p-2", TITLE_KEY, section_key("prevention")}
    assert [s.reservation for s in found["p-2"]] == ["N1"]
    assert found["p-1"][0].delegation == ""


def test_the_draft_format_round_trips_notes() -> None:
    text = (Path(__file__).parent / "fixtures" / "plan_small.md").read_text(encoding="utf-8")
    draft = parse_draft(text)
    a, b = draft.paragraphs[0].uid, draft.paragraphs[2].uid
    draft.notes = [
        Note(
            document=draft.document.id,
            id="N1",
            text="Cites [1] *as is*.\n\nSecond.",
            paragraphs=[b, a],
        ),
        Note(document=draft.document.id, id="N3", text="Of the whole text."),
        Note(document=draft.document.id, id="N4", text="Heading.", section=draft.sections[0].id),
    ]
    written = write_draft(draft)
    assert '{#N1 .note paragraphs="' + f'{b} {a}"' + "}" in written
    again = parse_draft(written)
    assert again.notes == draft.notes
    assert write_draft(again) == written


def test_a_draft_note_naming_an_unknown_paragraph_is_refused() -> None:
    text = (Path(__file__).parent / "fixtures" / "plan_small.md").read_text(encoding="utf-8")
    bad = text.rstrip("\n") + '\n\n{#N1 .note paragraphs="p-nowhere"}\nA note.\n'
    with pytest.raises(Exception, match="names no paragraph of this draft: 'p-nowhere'"):
        parse_draft(bad, "bad.md")


# -- store and migration -------------------------------------------------------------------


def test_an_older_record_gains_the_notes_table_and_verifies(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    svc = Service(connect(path), Principal(id="SECRETARIAT"))
    svc.initialise(Path(__file__).parent / "fixtures" / "plan_small.md")
    svc.close()
    raw = sqlite3.connect(path)  # make it a record from before m005
    raw.execute("DROP INDEX notes_document")
    raw.execute("DROP TABLE notes")
    raw.execute("DELETE FROM _sqlite_migrations WHERE name = 'm005_notes'")
    raw.commit()
    raw.close()
    from workplan.service import open_service

    again = open_service(path, Principal(id="SECRETARIAT"))
    assert schema_problems(again.db) == []
    assert again.notes(DOC) == []
    again.add_note(DOC, ["OP1"], "Added after the upgrade.")
    assert again.verify() == []


def test_note_rows_travel_in_events_and_verify_replays_them(svc: Service) -> None:
    n1 = svc.add_note(DOC, ["OP1", "PP1"], "The Secretariat notes the source.")
    n2 = svc.add_note(DOC, [], "A note of the whole text.")
    svc.edit_note(DOC, "n1", "The Secretariat notes the\n\n\nsource, twice.")
    svc.remove_note(DOC, n2.id)
    assert svc.verify() == []
    assert [n.id for n in svc.notes(DOC)] == ["N1"]
    assert [(n.id, n.withdrawn) for n in svc.notes(DOC, removed=True)] == [
        ("N1", False),
        ("N2", True),
    ]
    assert svc.notes(DOC)[0].text == "The Secretariat notes the\n\nsource, twice."
    assert svc.add_note(DOC, ["OP2"], "Next.").id == "N3"  # a removed id is never reused
    events = [e for e in svc.events(DOC) if e.action.startswith("note.")]
    assert [e.action for e in events] == [
        "note.added",
        "note.added",
        "note.edited",
        "note.removed",
        "note.added",
    ]
    assert all(e.payload["changes"][0]["t"] == "notes" for e in events)
    assert n1.paragraphs == [svc.draft(DOC).resolve("OP1").uid, svc.draft(DOC).resolve("PP1").uid]
    # a table edited behind the record's back is caught
    svc.db.execute("UPDATE notes SET text = 'forged' WHERE id = 'N1'")
    svc.db.conn.commit()
    assert any("notes" in p and "text differ" in p for p in svc.verify())


# -- service: who may ----------------------------------------------------------------------


def test_a_delegation_may_not_add_a_note_and_the_refusal_is_recorded(
    svc: Service, as_: Make
) -> None:
    with pytest.raises(PermissionDenied, match="only the chair or the secretariat may"):
        as_("CAN").add_note(DOC, ["OP1"], "Canada's own words.")
    refused = [e for e in svc.events() if e.action == "permission.refused"]
    assert refused[-1].actor == "CAN"
    assert refused[-1].payload["action"] == "note.add"
    assert svc.notes(DOC) == []
    n = as_("CHAIR").add_note(DOC, ["OP1"], "The chair's note.")
    with pytest.raises(PermissionDenied):
        as_("OBSERVER").remove_note(DOC, n.id)
    as_("CHAIR").remove_note(DOC, n.id)
    with pytest.raises(ProcedureError, match="already removed"):
        svc.remove_note(DOC, n.id)


def test_an_adopted_document_takes_no_note(svc: Service) -> None:
    svc.set_metadata(DOC, adopted="2026-01-01")
    with pytest.raises(ProcedureError, match="read only"):
        svc.add_note(DOC, ["OP1"], "Too late.")


# -- import --------------------------------------------------------------------------------


def test_un_end_notes_naming_no_state_become_notes(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    path = _write(tmp_path, "un.txt", UN_TEXT)
    r = CliRunner().invoke(
        cli, ["--db", str(db), "--as", "SECRETARIAT", "import", str(path), "--json"]
    )
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    assert report["reservations"] == []
    assert report["missing"] == []
    assert [(n["id"], n["printed"], n["paragraphs"]) for n in report["notes"]] == [
        ("N1", [1], ["PP1"]),
        ("N2", [2], ["PP2"]),
    ]
    assert not any("unattributed" in w for w in report["warnings"])
    r = CliRunner().invoke(cli, ["--db", str(db), "notes", "un", "--json"])
    listed = json.loads(r.output)
    assert [n["text"] for n in listed] == [
        "See decisions 12/3 and 14/7 of the Assembly.",
        "See the report of the expert group on fair recruitment.",
    ]
    assert [n["called_from"] for n in listed] == ["PP1", "PP2"]
    db_rows = sqlite3.connect(db).execute("SELECT count(*) FROM reservations").fetchone()[0]
    assert db_rows == 0  # never reservations, never paragraphs
    shown = CliRunner().invoke(cli, ["--db", str(db), "show", "un", "--json"]).output
    assert "See decisions" not in shown
    text = (
        CliRunner()
        .invoke(cli, ["--db", str(db), "export", "un", "--include", "all", "--format", "txt"])
        .output
    )
    assert "[Recalling its earlier decisions on the protection of migrants,]1/" in text
    assert "\n1. See decisions 12/3 and 14/7 of the Assembly.\n" in text
    assert "\n2. See the report of the expert group on fair recruitment.\n" in text


def test_a_note_called_from_the_title_is_a_document_note_that_exports(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    path = _write(tmp_path, "decl.txt", OAS_TEXT)
    r = CliRunner().invoke(cli, ["--db", str(db), "--as", "SECRETARIAT", "import", str(path)])
    assert r.exit_code == 0, r.output
    assert "Notes of the document (footnotes naming no delegation): 1" in r.output
    assert "N1 (footnote 1) on the title: Prepared by the Secretariat" in r.output
    assert "R1 PRY: OP1" in r.output
    svc = Service(connect(db), Principal(id="SECRETARIAT"))
    (note,) = svc.notes("decl")
    assert note.on_title
    assert note.text.startswith("Prepared by the Secretariat")
    clean = render_text(svc.export_clean("decl", include_all=True))
    assert (
        "DRAFT DECLARATION ON SHELTERS FOR SURVIVORS1/\n\n1. Prepared by the Secretariat" in clean
    )
    assert "[To promote shelters run with survivors.]2/\n\n2. Paraguay joins" in clean
    md = render_markdown(svc.export_clean("decl", include_all=True))
    assert "# DRAFT DECLARATION ON SHELTERS FOR SURVIVORS[^1]/" in md
    assert "[^1]: Prepared by the Secretariat" in md
    assert (
        'href="#fn1"' in render_html(svc.export_clean("decl", include_all=True)).split("</h1>")[0]
    )
    assert svc.verify() == []


def test_our_own_text_export_with_a_title_note_imports_back_whole(
    svc: Service, tmp_path: Path
) -> None:
    svc.add_note(DOC, [], "Prepared by the Secretariat for the working group.")
    svc.add_note(DOC, ["OP1"], "A note on the first operative paragraph.")
    text = render_text(svc.export_clean(DOC, include_all=True))
    assert "(2022–2027)1/\n\n1. Prepared by the Secretariat" in text
    path = _write(tmp_path, "third.txt", text)
    fresh = Service(connect(tmp_path / "fresh.db"), Principal(id="SECRETARIAT"))
    report = fresh.import_file(path, "again")  # every word in: refused otherwise
    assert report["missing"] == []
    assert report["header"]["title"].startswith("Third Work Plan to Combat Trafficking")
    title_note, op1_note = fresh.notes("again")
    assert title_note.on_title
    assert title_note.text == "Prepared by the Secretariat for the working group."
    assert [fresh.draft("again").ref(u) for u in op1_note.paragraphs] == ["OP1"]
    assert "other" not in report["paragraphs"]  # the title is no paragraph


# -- exports -------------------------------------------------------------------------------


def test_notes_and_reservations_share_one_sequence_in_document_order(
    svc: Service, as_: Make
) -> None:
    as_("JAM").reserve(DOC, ["OP1"], text="Jamaica reserves.")
    svc.add_note(DOC, ["OP1", "OP2"], "The Secretariat explains.")
    svc.add_note(DOC, [], "A note on the whole text.")
    section = svc.draft(DOC).sections[0].id
    svc.add_note(DOC, [], "A note on a heading.", section=section)
    doc = svc.export_compilation(DOC)
    texts = [f.text for f in doc.footnotes.footnotes]
    assert texts[:2] == ["A note on the whole text.", "A note on a heading."]
    at = texts.index("The Secretariat explains.")
    assert texts[at + 1] == "Jamaica reserves."  # a paragraph's notes, then its reservations
    assert f"Idem {at + 1}" in texts[at + 2 :]
    assert [f.number for f in doc.footnotes.footnotes] == list(range(1, len(texts) + 1))
    heading = next(b for b in doc.blocks if b.kind == "heading")
    assert doc.footnotes.calls[heading.key] == [2]
    assert doc.footnotes.calls[TITLE_KEY] == [1]


def test_a_revision_reprints_the_notes_it_froze(svc: Service) -> None:
    svc.add_note(DOC, ["OP1"], "Frozen note.")
    svc.revise(DOC)
    first = render_text(svc.export_compilation(DOC, rev=1))
    svc.edit_note(DOC, "N1", "Changed after the freeze.")
    svc.add_note(DOC, [], "Added after the freeze.")
    assert render_text(svc.export_compilation(DOC, rev=1)) == first
    assert "Frozen note." in first
    assert "after the freeze" not in first
    now = render_text(svc.export_compilation(DOC))
    assert "Changed after the freeze." in now
    assert "Added after the freeze." in now


def test_the_draft_export_round_trips_notes_through_a_fresh_record(
    svc: Service, tmp_path: Path
) -> None:
    svc.add_note(DOC, ["OP2", "PP1"], "First paragraph.\n\nSecond paragraph [sic].")
    svc.add_note(DOC, [], "Whole text.")
    gone = svc.add_note(DOC, ["OP1"], "Removed.")
    svc.remove_note(DOC, gone.id)
    exported = svc.export_draft(DOC)
    assert "Removed." not in exported
    path = _write(tmp_path, "third.md", exported)
    fresh = Service(connect(tmp_path / "fresh.db"), Principal(id="SECRETARIAT"))
    fresh.import_file(path)
    assert fresh.export_draft(DOC) == exported
    assert [n.id for n in fresh.notes(DOC)] == ["N1", "N2"]
    assert fresh.add_note(DOC, [], "Next.").id == "N3"  # after the highest id imported
    assert fresh.verify() == []


def test_word_export_carries_notes_as_real_footnotes(svc: Service) -> None:
    import zipfile
    from io import BytesIO

    from workplan.formats.export import render_binary

    svc.add_note(DOC, [], "Note of the whole text.")
    svc.add_note(DOC, ["OP1"], "Note on a paragraph.")
    data = render_binary(svc.export_compilation(DOC), "docx")
    with zipfile.ZipFile(BytesIO(data)) as z:
        notes = z.read("word/footnotes.xml").decode("utf-8")
        body = z.read("word/document.xml").decode("utf-8")
    assert "Note of the whole text." in notes
    assert "Note on a paragraph." in notes
    assert body.count("<w:footnoteReference") == 2


# -- CLI -----------------------------------------------------------------------------------


def test_note_commands_with_json(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    run = CliRunner()

    def go(*args: str) -> object:
        r = run.invoke(cli, ["--db", db, *args])
        assert r.exit_code == 0, r.output
        return r.output

    go("--as", "SECRETARIAT", "init")
    added = json.loads(
        str(go("--as", "SECRETARIAT", "note", "add", "OP1", "--text", "A.", "--json"))
    )
    assert added["id"] == "N1"
    assert added["called_from"] == "OP1"
    assert not added["withdrawn"]
    assert go("--as", "SECRETARIAT", "note", "add", "title", "--text", "B.") == "N2 on the title\n"
    edited = json.loads(str(go("--as", "CHAIR", "note", "edit", "N1", "--text", "A2.", "--json")))
    assert edited["text"] == "A2."
    removed = json.loads(str(go("--as", "SECRETARIAT", "note", "remove", "N2", "--json")))
    assert removed["withdrawn"] is True
    listed = json.loads(str(go("notes", "--json")))
    assert [n["id"] for n in listed] == ["N1"]
    assert "N2 (removed) on the title: B." in str(go("notes", "--all"))
    r = run.invoke(cli, ["--db", db, "--as", "MEX", "note", "add", "OP1", "--text", "x"])
    assert r.exit_code == 77
    assert r.output.count("\n") == 1
    r = run.invoke(cli, ["--db", db, "--as", "SECRETARIAT", "note", "edit", "N9", "--text", "x"])
    assert r.exit_code == 66
    assert "no note N9" in r.output
    assert "Record intact" in str(go("verify"))


# -- TUI -----------------------------------------------------------------------------------


async def test_the_detail_pane_shows_a_paragraphs_notes_under_its_reservations(
    svc: Service, as_: Make
) -> None:
    from workplan.tui.app import make_app
    from workplan.tui.widgets.detail_tabs import DetailTabs
    from workplan.tui.widgets.outline import Outline
    from workplan.tui.widgets.reservations_list import ReservationsList

    as_("JAM").reserve(DOC, ["OP1"], text="Jamaica reserves.")
    svc.add_note(DOC, ["OP1", "OP2"], "The Secretariat explains the source.")
    app = make_app(as_("CAN"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.draft_screen
        target = svc.draft(DOC).resolve("OP1").uid
        outline = screen.query_one(Outline)
        for _ in range(len(outline.uids)):
            if outline.current_uid == target:
                break
            await pilot.press("j")
        screen.query_one(DetailTabs).active = "reservations-tab"
        await pilot.pause()
        shown = str(screen.query_one(ReservationsList).render())
        assert shown.index("Jamaica reserves.") < shown.index("Notes of the document")
        assert "N1 (secretariat) · also on OP2" in shown
        assert "The Secretariat explains the source." in shown
