"""Shared and safe under load: concurrent writers, SIGKILL crashes, tampering, fuzzing, backups."""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import PLAN

from workplan.errors import InputError, WorkplanError
from workplan.model import Principal
from workplan.service import Service, open_service
from workplan.store import connect

DOC = "third-work-plan"
REFS = ["PP1", "PP2", "OP1", "OP2", "OP3", "OP4", "FU1", "FU2"]
CODES = ["ARG", "BRA", "CAN", "CHL", "COL", "MEX", "PER", "USA"]


def _init(path: Path) -> None:
    open_service(path, Principal(id="SECRETARIAT")).initialise(PLAN)


def _worker(args: tuple[str, str, int, int]) -> dict[str, int]:
    path, code, n, seed = args
    rng = random.Random(seed)
    svc = open_service(path, Principal(id=code))
    done = {"position.recorded": 0, "amendment.proposed": 0, "reservation.attached": 0}
    errors = 0
    for i in range(n):
        roll = rng.random()
        try:
            if roll < 0.6:
                svc.record_position(
                    DOC, rng.choice(REFS), rng.choice(["support", "join", "object"])
                )
                done["position.recorded"] += 1
            elif roll < 0.85:
                svc.propose(DOC, rng.choice(REFS), "modify", text=f"{code} text {i}.")
                done["amendment.proposed"] += 1
            else:
                svc.reserve(DOC, [rng.choice(REFS)], text=f"{code} reserves {i}.")
                done["reservation.attached"] += 1
                done["position.recorded"] += 1
        except WorkplanError:
            errors += 1
    done["errors"] = errors
    return done


def test_eight_processes_hundred_actions_each(tmp_path: Path) -> None:
    path = tmp_path / "soak.db"
    _init(path)
    jobs = [(str(path), code, 100, k) for k, code in enumerate(CODES)]
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        results = pool.map(_worker, jobs)
    assert sum(r["errors"] for r in results) == 0
    svc = open_service(path)
    events = svc.events(DOC)
    for action in ("position.recorded", "amendment.proposed", "reservation.attached"):
        assert sum(1 for e in events if e.action == action) == sum(r[action] for r in results)
    assert len(svc.negotiation(DOC).amendments) == sum(r["amendment.proposed"] for r in results)
    assert svc.verify() == []


WRITER = """
import sys
from workplan.model import Principal
from workplan.service import open_service
svc = open_service(sys.argv[1], Principal(id="CAN"))
i = 0
while True:
    i += 1
    svc.record_position("third-work-plan", "OP1", "object" if i % 2 else "support")
    svc.propose("third-work-plan", "OP2", "modify", text=f"Canada text {i}.")
"""


def test_sigkill_never_leaves_a_half_applied_action(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    _init(path)
    rng = random.Random(25)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(25):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], env=env)
        time.sleep(0.25 + rng.random() * 0.3)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    svc = open_service(path)
    assert svc.verify() == []
    proposed = sum(1 for e in svc.events(DOC) if e.action == "amendment.proposed")
    assert proposed == len(svc.negotiation(DOC).amendments) > 0


def test_deleting_an_event_is_named(svc: Service) -> None:
    svc.db.execute("DROP TRIGGER events_no_delete")
    svc.db.execute("DELETE FROM events WHERE id = 2")
    problems = svc.verify()
    assert any("event 2 is missing" in p for p in problems)
    assert any("trigger events_no_delete is missing" in p for p in problems)
    assert any("in the table but never recorded" in p for p in problems)


def test_backup_during_writes_verifies(tmp_path: Path) -> None:
    path = tmp_path / "live.db"
    _init(path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], env=env)
    try:
        time.sleep(0.6)
        copies = []
        for k in range(3):
            target = tmp_path / f"copy{k}.db"
            open_service(path).backup(target)
            copies.append(target)
            time.sleep(0.1)
    finally:
        proc.kill()
        proc.wait()
    for target in copies:
        assert Service(connect(target)).verify() == []


inputs = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=0, max_size=60)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=inputs, which=st.sampled_from(["amend", "justify", "reserve", "comment", "title"]))
def test_fuzzing_text_inputs(svc: Service, as_, text: str, which: str) -> None:  # type: ignore[no-untyped-def]
    before = len(svc.events())
    can = as_("CAN")
    try:
        if which == "amend":
            result = can.propose(DOC, "OP3", "modify", text=text).text
        elif which == "justify":
            result = can.propose(DOC, "OP3", "delete", justification=text).justification
        elif which == "reserve":
            result = can.reserve(DOC, ["OP4"], text=text).text
        elif which == "comment":
            result = can.record_position(DOC, "OP4", "support", text).comment
        else:
            result = as_("SECRETARIAT").set_metadata(DOC, title=text).title
    except InputError:
        refused = [e for e in svc.events()[before:] if e.action != "permission.refused"]
        assert refused == []
        return
    except WorkplanError:
        return
    assert result == unicodedata.normalize("NFC", result)
    assert not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in result)
    assert "\u202e" not in result


@pytest.mark.parametrize("name", ["bad.md"])
def test_malformed_import_exit_65_untouched(svc: Service, tmp_path: Path, name: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(b"---\nid: x\ntitle: [unclosed\n---\n")
    before = len(svc.events())
    with pytest.raises(InputError, match=r"bad\.md:\d+: front matter"):
        svc.import_draft(bad)
    bad.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(InputError, match="not UTF-8"):
        svc.import_draft(bad)
    assert len(svc.events()) == before
