"""Service and CLI tests of comparisons: revisions, plans, files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import PLAN

from workplan.cli import cli
from workplan.errors import UsageError
from workplan.model.diff import ParaStatus
from workplan.service import Service

DOC = "third-work-plan"


def test_revision_against_draft(svc: Service, as_) -> None:
    as_("SECRETARIAT").revise(DOC)
    a1 = as_("CAN").propose(DOC, "OP1", "modify", text="Adopt and fund national action plans.")
    ins = as_("MEX").propose(DOC, "OP3", "insert", text="Protect witnesses.")
    mv = as_("BRA").propose(DOC, "OP1", "move", anchor="OP3")
    chair = as_("CHAIR")
    for a in (a1, ins, mv):
        chair.decide(DOC, a.id, "accept")
    side_a, side_b, d = svc.compare(DOC)
    assert side_a.label.endswith("rev. 1")
    assert "working draft" in side_b.label
    by_status = {p.status for p in d.paragraphs if p.changed}
    assert ParaStatus.INSERTED in by_status
    assert ParaStatus.MODIFIED in by_status
    modified = next(p for p in d.paragraphs if p.status == ParaStatus.MODIFIED)
    assert modified.moved
    assert modified.a_ref == "OP1"
    assert ("+", "and fund ") in modified.ops
    # Refs hold still until the next revision: the insertion is OP3 bis, nothing renumbers.
    assert not [p for p in d.paragraphs if p.status == ParaStatus.RENUMBERED]
    inserted = next(p for p in d.paragraphs if p.status == ParaStatus.INSERTED)
    assert inserted.b_ref == "OP3 bis"
    assert d.summary["inserted"] == 1


def test_no_revision_yet_names_the_sides(svc: Service) -> None:
    with pytest.raises(UsageError, match="no revision yet"):
        svc.compare(DOC)


def test_plan_against_its_predecessor(svc: Service, as_) -> None:
    as_("CAN").propose(DOC, "OP2", "delete")
    as_("CHAIR").decide(DOC, "A1", "accept")
    _, _, d = svc.lineage(DOC)
    statuses = [p.status for p in d.paragraphs]
    assert statuses.count(ParaStatus.DELETED) == 1
    assert statuses.count(ParaStatus.UNCHANGED) + statuses.count(ParaStatus.RENUMBERED) == 7


def test_diff_cli_formats(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    run = CliRunner()

    def wp(*args: str, who: str | None = None):
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        return run.invoke(cli, [*pre, *args], catch_exceptions=False)

    wp("init", "--from-file", str(PLAN), who="SECRETARIAT")
    wp("amend", "OP1", "--text", "Adopt <b>bold</b> plans & more.", who="CAN")
    wp("decide", "A1", "accept", who="CHAIR")
    data = json.loads(wp("diff", "first-plan", "draft", "--format", "json").output)
    assert data["a"] == "first-plan"
    assert data["summary"]["modified"] == 1
    para = data["paragraphs"][0]
    assert para["status"] == "modified"
    assert para["a_ref"] == "OP1"
    assert ["+", "<b>bold</b> plans & more"] in para["ops"] or any(
        op == "+" for op, _ in para["ops"]
    )
    page = wp("diff", "first-plan", "draft", "--format", "html").output
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "<b>bold" not in page
    porcelain = wp("diff", "first-plan", "draft", "--format", "porcelain").output
    assert porcelain.startswith("@@ modified - OP1 OP1 fp-op1 ")
    out = tmp_path / "d.md"
    assert wp("diff", "first-plan", "draft", "--format", "md", "-o", str(out)).exit_code == 0
    assert "{++" in out.read_text(encoding="utf-8")
    out_json = tmp_path / "d.json"
    assert wp("diff", "first-plan", "draft", "--format", "json", "-o", str(out_json)).exit_code == 0
    assert json.loads(out_json.read_text(encoding="utf-8"))["summary"]["modified"] == 1
    everything = wp("diff", "first-plan", "draft", "--format", "json", "--context").output
    assert len(json.loads(everything)["paragraphs"]) == 8


def test_diff_files_by_content(tmp_path: Path) -> None:
    old = PLAN.read_text(encoding="utf-8")
    new = (
        old.replace("fp-", "xx-")
        .replace("Run awareness campaigns", "Run wide campaigns")
        .replace("id: first-plan", "id: other-plan")
    )
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text(old, encoding="utf-8")
    b.write_text(new, encoding="utf-8")
    r = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "x.db"), "diff", "--files", str(a), str(b), "--format", "json"]
    )
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["summary"]["modified"] == 1
    assert data["summary"]["inserted"] == 0


def test_lineage_of_a_fresh_plan_is_all_unchanged(svc: Service) -> None:
    _, _, d = svc.lineage(DOC)
    assert {p.status for p in d.paragraphs} == {ParaStatus.UNCHANGED}
