"""Service tests on a temporary database: init, import, new, export, metadata, permissions."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import PLAN

from workplan.errors import InputError, NotFoundError, PermissionDenied, UsageError
from workplan.model import Principal
from workplan.service import Service
from workplan.store import connect


def test_init_loads_roster_plan_and_third_plan(svc: Service) -> None:
    assert len(svc.delegations()) == 35
    docs = {d.id: (d, n) for d, n in svc.documents()}
    assert set(docs) == {"first-plan", "third-work-plan"}
    third = svc.draft("third-work-plan")
    first = svc.draft("first-plan")
    assert third.document.derived_from == "first-plan"
    assert third.document.period == "2022–2027"
    assert len(third.paragraphs) == len(first.paragraphs) == 8
    for new, old in zip(third.paragraphs, first.paragraphs, strict=True):
        assert new.uid != old.uid
        assert new.lineage is not None
        assert new.lineage.document == "first-plan"
        assert new.lineage.uid == old.uid
        assert new.text == old.text
    assert third.refs[third.paragraphs[2].uid] == "OP1"
    actions = [e.action for e in svc.events()]
    assert actions == ["roster.loaded", "document.imported", "document.started"]
    assert svc.verify() == []


def test_init_twice_refuses_and_changes_nothing(svc: Service) -> None:
    before = len(svc.events())
    with pytest.raises(UsageError, match="already initialised"):
        svc.initialise(PLAN)
    assert len(svc.events()) == before


def test_export_import_round_trip_is_byte_identical(svc: Service, tmp_path: Path) -> None:
    for doc in ("first-plan", "third-work-plan"):
        text = svc.export_draft(doc)
        f = tmp_path / f"{doc}.md"
        f.write_text(text, encoding="utf-8")
        fresh = Service(connect(tmp_path / f"fresh-{doc}.db"), Principal(id="SECRETARIAT"))
        fresh.import_draft(f)
        assert fresh.export_draft(doc) == text


def test_import_malformed_file_names_line_and_writes_nothing(svc: Service, tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(PLAN.read_text().replace(".operative}", ".operatve}", 1), encoding="utf-8")
    before = len(svc.events())
    with pytest.raises(InputError, match=r"bad\.md:\d+:"):
        svc.import_draft(bad, "other")
    assert len(svc.events()) == before
    assert {d.id for d, _ in svc.documents()} == {"first-plan", "third-work-plan"}


def test_import_existing_id_or_uids_refused(svc: Service) -> None:
    with pytest.raises(InputError, match="already exists"):
        svc.import_draft(PLAN)
    with pytest.raises(InputError, match="already in the record"):
        svc.import_draft(PLAN, "again")


def test_import_missing_file(svc: Service) -> None:
    with pytest.raises(NotFoundError, match="no such file"):
        svc.import_draft("/nonexistent/plan.md")


def test_new_document_from_another(svc: Service) -> None:
    d = svc.new_document("fourth", "third-work-plan", title="Fourth Plan", period=(2028, 2032))
    assert d.document.derived_from == "third-work-plan"
    third = svc.draft("third-work-plan")
    assert [p.lineage.uid for p in d.paragraphs if p.lineage] == [p.uid for p in third.paragraphs]
    with pytest.raises(NotFoundError, match="no document 'nope'"):
        svc.new_document("fifth", "nope")


def test_metadata_change_is_recorded(svc: Service) -> None:
    svc.set_metadata("third-work-plan", symbol="CP/CSH-2001/22")
    assert svc.draft().document.symbol == "CP/CSH-2001/22"
    assert svc.events()[-1].action == "document.metadata-changed"
    with pytest.raises(InputError, match="before it starts"):
        svc.set_metadata("third-work-plan", period_start=2030)


def test_observers_and_delegations_cannot_import(svc: Service, as_) -> None:
    before = len(svc.events())
    with pytest.raises(PermissionDenied, match="may not"):
        as_("OBSERVER").new_document("x", "first-plan")
    with pytest.raises(PermissionDenied):
        as_("CAN").set_metadata("third-work-plan", symbol="X")
    events = svc.events()
    assert [e.action for e in events[before:]] == ["permission.refused"] * 2
