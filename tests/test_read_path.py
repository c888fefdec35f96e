"""The read path: `service.reading` gives what `Service.status` gives, without pydantic."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from workplan.cli import cli
from workplan.model import Principal
from workplan.service import Service
from workplan.service.reading import Reading

DOC = "third-work-plan"


def reading(svc: Service, db_path: Path, clock) -> Reading:
    """A read path over the same record, on its own connection and the same clock."""
    return Reading(sqlite3.connect(db_path), Principal(id="OBSERVER"), lambda: svc, clock)


def busy_record(svc: Service, as_) -> None:
    """Positions, amendments, an insertion, a reservation, silence, ad ref, a deletion and a
    revision that renumbered a paragraph."""
    chair = as_("CHAIR")
    as_("CAN").propose(DOC, "OP4", "insert", text="A paragraph in between.", placement="after")
    svc.revise(DOC)  # rev. 1 renumbers nothing yet; the insertion stays open
    as_("MEX").propose(DOC, "OP1", "insert", text="Another new paragraph.", placement="after")
    as_("USA").record_position(DOC, "OP1", "object", "needs consultation")
    as_("BRA").record_position(DOC, "OP1", "support")
    as_("CAN").propose(DOC, "OP2", "modify", text="Adopt and fund national plans.")
    as_("JAM").reserve(DOC, ["OP2", "PP1"], text="Jamaica reserves its position.")
    as_("ARG").record_position(DOC, "PP2", "ad-ref")
    chair.agree(DOC, ["PP2"], ad_ref=True)
    chair.silence(DOC, ["OP3"], "+72h")
    chair.delete_paragraph(DOC, ["PP1"])


def test_the_status_page_is_the_services_status(svc: Service, as_, db_path: Path, clock) -> None:
    busy_record(svc, as_)
    want = svc.status(DOC)
    page = reading(svc, db_path, clock).status(DOC)
    assert page.as_json() == want
    statuses = {r["status"] for r in want["paragraphs"]}
    assert {"deleted", "agreed-ad-ref", "under-silence", "under-negotiation"} <= statuses
    assert any(r["reservations"] for r in want["paragraphs"])
    assert any(r["insertions"] for r in want["paragraphs"])


def test_formerly_after_a_revision_renumbers(svc: Service, as_, db_path: Path, clock) -> None:
    am = as_("CAN").propose(DOC, "OP1", "insert", text="A new first action.", placement="after")
    as_("CHAIR").decide(DOC, am.id, "accept")
    svc.revise(DOC)
    want = svc.status(DOC)
    assert any(r["formerly"] for r in want["paragraphs"])
    assert reading(svc, db_path, clock).status(DOC).as_json() == want


def test_a_passed_silence_is_settled_by_the_write_side(
    svc: Service, as_, db_path: Path, clock
) -> None:
    as_("CHAIR").silence(DOC, ["OP3"], "+72h")
    clock.advance(hours=73)
    page = reading(svc, db_path, clock).status(DOC)
    row = next(r for r in page.rows if r.ref == "OP3")
    assert row.state.status == "agreed"
    assert [e.action for e in svc.events(DOC)][-1] == "silence.ended"
    assert page.as_json() == svc.status(DOC)


def test_status_as_a_process_imports_neither_pydantic_nor_the_write_side(
    tmp_path: Path,
) -> None:
    db = tmp_path / "wg.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "--as", "SECRETARIAT", "init"]).exit_code == 0
    probe = (
        "import sys\n"
        "from workplan.cli import main\n"
        f"sys.argv = ['workplan', '--db', {str(db)!r}, 'status', '--json']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    p = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=True
    )
    assert '"paragraphs"' in p.stdout
    loaded = set(p.stderr.split())
    assert "workplan.service.reading" in loaded
    assert not {m for m in loaded if m == "pydantic" or m.startswith("pydantic.")}
    assert not loaded & {"workplan.service.front", "workplan.service.core", "workplan.store.rows"}
    assert not loaded & {"workplan.commands.negotiate", "workplan.commands.exports"}


def test_the_light_record_check_knows_every_migration() -> None:
    """`store.kind` (the read path's check, without sqlite-utils) lists the migrations of
    `store.schema`, in order."""
    from workplan.store import kind, schema

    assert [m.name for m in schema.migrations._migrations] == list(kind.MIGRATION_NAMES)
    assert schema.migrations.name == kind.MIGRATION_SET
