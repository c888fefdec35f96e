"""Store tests: pragmas, migrations racing, the append-only chain, fixed-query loading."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from workplan.store import connect, transaction
from workplan.store import events as store_events
from workplan.store.documents import load_draft


def test_pragmas(tmp_path: Path) -> None:
    db = connect(tmp_path / "x.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_transaction_rolls_back_as_a_whole(tmp_path: Path) -> None:
    db = connect(tmp_path / "x.db")

    def append_then_fail() -> None:
        with transaction(db):
            store_events.append(db, actor="SECRETARIAT", action="roster.loaded", payload={})
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        append_then_fail()
    assert store_events.list_events(db) == []


def test_events_are_append_only_and_chained(tmp_path: Path) -> None:
    db = connect(tmp_path / "x.db")
    with transaction(db):
        a = store_events.append(db, actor="CAN", action="roster.loaded", payload={"n": 1})
        b = store_events.append(db, actor="MEX", action="position.recorded", payload={"n": 2})
    assert b.prev_hash == a.hash
    assert store_events.chain_problems(db) == []
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE events SET actor = 'USA' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("DELETE FROM events WHERE id = 1")


def test_tampering_is_detected(tmp_path: Path) -> None:
    db = connect(tmp_path / "x.db")
    with transaction(db):
        for i in range(3):
            store_events.append(db, actor="CAN", action="position.recorded", payload={"n": i})
    db.execute("DROP TRIGGER events_no_update")
    db.execute("UPDATE events SET payload = '{\"n\": 7}' WHERE id = 2")
    problems = store_events.chain_problems(db)
    assert any("events_no_update is missing" in p for p in problems)
    assert any("event 2 (position.recorded) was altered" in p for p in problems)


def _open(path: str) -> int:
    db = connect(path)
    return len(db.execute("SELECT name FROM _sqlite_migrations").fetchall())


def test_first_start_by_several_processes_at_once(tmp_path: Path) -> None:
    path = str(tmp_path / "race.db")
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_open, [path] * 8)
    assert len(set(results)) == 1
    assert results[0] >= 1


def test_load_draft_uses_a_fixed_number_of_queries(svc) -> None:
    statements: list[str] = []
    svc.db.conn.set_trace_callback(statements.append)
    draft = load_draft(svc.db, "third-work-plan")
    svc.db.conn.set_trace_callback(None)
    assert draft is not None
    assert len(draft.paragraphs) == 8
    assert len(statements) <= 3


def test_trusted_rows_build_the_same_models_as_model_construct() -> None:
    from datetime import UTC, datetime

    from workplan.model import Decision, Lineage, Paragraph, ParagraphKind
    from workplan.store.documents import trusted

    values = {
        "uid": "p-1",
        "document": "d",
        "section": "s",
        "position": 3,
        "kind": ParagraphKind.OPERATIVE,
        "text": "Belém do Pará — “quoted”.",
        "lineage": trusted(Lineage, {"document": "src", "uid": "u"}),
        "version": 2,
        "decision": Decision.AGREED_AD_REF,
        "silence_until": datetime(2026, 3, 5, 17, tzinfo=UTC),
        "ad_ref": ["JAM"],
        "held_ref": "OP4",
    }
    fields: dict[str, Any] = dict(values)
    fast, slow = trusted(Paragraph, fields), Paragraph.model_construct(**fields)
    assert fast == slow
    assert fast.model_dump() == slow.model_dump()
    assert fast.model_fields_set == slow.model_fields_set == set(Paragraph.model_fields)
    assert set(values) == set(Paragraph.model_fields)  # every field given: nothing defaulted


def test_paragraphs_load_with_their_enums(tmp_path) -> None:
    import warnings

    from workplan.model import Decision, ParagraphKind, Principal
    from workplan.service import Service

    svc = Service(connect(tmp_path / "r.db"), Principal(id="SECRETARIAT"))
    svc.initialise()
    p = svc.draft("third-work-plan").paragraphs[0]
    assert type(p.kind) is ParagraphKind
    assert type(p.decision) is Decision
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p.model_dump(mode="json")


def test_amendments_load_as_the_models_validation_gives(tmp_path) -> None:
    import warnings

    from workplan.model import Principal
    from workplan.model.negotiation import Amendment
    from workplan.service import Service
    from workplan.store import negotiation as store_neg

    db = connect(tmp_path / "r.db")
    Service(db, Principal(id="SECRETARIAT")).initialise()
    can = Service(db, Principal(id="CAN"))
    can.propose("third-work-plan", "OP1", "modify", text="A new text.", cosponsors=["MEX"])
    can.propose("third-work-plan", "OP2", "insert", text="A new paragraph.", placement="after")
    a1 = can.propose("third-work-plan", "OP3", "delete")
    Service(db, Principal(id="CHAIR")).decide("third-work-plan", a1.id, "reject")
    loaded = store_neg.amendments(db, "third-work-plan")
    assert [a.id for a in loaded] == ["A1", "A2", "A3"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for a in loaded:
            assert a == Amendment.model_validate(a.model_dump())
            a.model_dump(mode="json")
    assert loaded[0].cosponsors == ["MEX"]
    assert loaded[2].decided_at is not None
