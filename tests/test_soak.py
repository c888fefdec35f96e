"""Shared and safe under load: concurrent writers, SIGKILL crashes, tampering, fuzzing, backups."""

from __future__ import annotations

import itertools
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
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tests.conftest import PLAN

from workplan.errors import InputError, WorkplanError
from workplan.model import Principal
from workplan.service import Service, open_service
from workplan.store import connect

pytestmark = pytest.mark.slow  # processes under load, SIGKILL crashes: seconds each

DOC = "third-work-plan"
REFS = ["PP1", "PP2", "OP1", "OP2", "OP3", "OP4", "FU1", "FU2"]
CODES = ["ARG", "BRA", "CAN", "CHL", "COL", "MEX", "PER", "USA"]


def _init(path: Path) -> None:
    open_service(path, Principal(id="SECRETARIAT"), create=True).initialise(PLAN)


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


def _event_count(path: Path) -> int:
    """How many events the record holds now (read by another connection)."""
    conn = sqlite3.connect(path, timeout=30)
    try:
        return int(conn.execute("SELECT count(*) FROM events").fetchone()[0])
    finally:
        conn.close()


def test_sigkill_never_leaves_a_half_applied_action(tmp_path: Path) -> None:
    path = tmp_path / "crash.db"
    _init(path)
    rng = random.Random(25)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for _ in range(25):
        before = _event_count(path)
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], env=env)
        # Kill it while it writes: once its first action is in (however loaded the machine
        # is), at a random moment of the actions that follow.
        deadline = time.monotonic() + 60
        while _event_count(path) == before:
            assert proc.poll() is None, "the writer stopped before writing"
            assert time.monotonic() < deadline, "the writer never wrote"
            time.sleep(0.01)
        time.sleep(rng.random() * 0.05)
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


def test_backup_during_writes_verifies_and_restores(tmp_path: Path) -> None:
    path = tmp_path / "live.db"
    _init(path)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], env=env)
    try:
        watch, deadline = open_service(path), time.monotonic() + 30
        while not watch.negotiation(DOC).amendments:  # the writer is under way
            assert time.monotonic() < deadline, "the writer never wrote"
            assert proc.poll() is None, "the writer never wrote"
            time.sleep(0.05)
        watch.close()
        copies = []
        for k in range(3):
            target = tmp_path / f"copy{k}.db"
            open_service(path).backup(target)
            copies.append(target)
            time.sleep(0.1)
    finally:
        proc.kill()
        proc.wait()
    heads = []
    for target in copies:
        copy = Service(connect(target))
        assert copy.verify() == []
        heads.append((copy.head(), len(copy.events())))
        copy.close()
    live = open_service(path, Principal(id="CAN"))
    live.propose(DOC, "OP3", "modify", text="Written after the copies.")
    after_writes = (live.head(), len(live.events()))
    live.close()
    keep = tmp_path / "live.db.before-restore"
    restored = open_service(path, Principal(id="SECRETARIAT")).restore(copies[1], keep)
    assert (restored.backup_head, restored.events) == heads[1]
    again = open_service(path)  # a new connection sees the restored record
    last = again.events()[-1]  # the copy's events, then the restore itself, chained to them
    assert (last.prev_hash, last.id - 1) == heads[1]
    assert last.action == "record.restored"
    assert last.payload["old_head"] == after_writes[0] == restored.old_head
    assert again.head() == restored.head == last.hash
    assert again.verify() == []
    texts = [a.text for a in again.negotiation(DOC).amendments]
    assert texts  # the copy's state, exactly
    assert "Written after the copies." not in texts
    kept = Service(connect(keep))  # and the record as it was is kept, intact
    assert (kept.head(), len(kept.events())) == after_writes
    assert kept.verify() == []


#: Characters no accepted text may hold (besides C0/C1 controls other than tab and newline).
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
SEPARATORS = frozenset("\u2028\u2029")
C0_C1 = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]]
COMBINING = ["\u0300", "\u0301", "\u0308", "\u0323", "\u0327", "\u0338", "\u0591", "\u0951"]
COMBINING += ["\u1dc0", "\u20d7", "\u302a", "\ufe20"]
#: Texts that NFC changes: decomposed letters, singletons, reordered marks, Hangul jamo.
UNNORMAL = ["e\u0301", "A\u030a", "\u212b", "\u2126", "s\u0323\u0307", "q\u0307\u0323"]
UNNORMAL += ["\u1100\u1161", "=\u0338", "\u0958", "\uf900"]
WHITE = [" ", "\n", "\r\n", "\r", "\t", "\n\n", "  ", "\u00a0", "\u3000"]
_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC .,;:-’“”", min_size=1, max_size=12)
_hostile = st.lists(
    st.one_of(
        st.characters(exclude_categories=["Cs"]),  # anything, assigned or not
        st.sampled_from(C0_C1 + sorted(BIDI | SEPARATORS)),
        st.sampled_from(COMBINING + UNNORMAL + WHITE),
        _words,
    ),
    max_size=40,
).map("".join)
#: Mostly acceptable text, so the accepted branch is exercised as well as the refusals.
_benign = st.lists(
    st.one_of(_words, st.sampled_from(COMBINING + UNNORMAL + [" ", "\t"])), min_size=1, max_size=25
).map("".join)
#: Acceptable text with one forbidden character in it: each must be refused on its own.
_one_bad = st.tuples(
    _benign, st.one_of(st.sampled_from(C0_C1), st.sampled_from(sorted(BIDI | SEPARATORS))), _benign
).map("".join)
fuzz_texts = st.one_of(_hostile, _benign, _one_bad)
FUZZ_INPUTS = [
    "amendment text",
    "justification",
    "comment",
    "reservation text",
    "reservation edit",
    "revised amendment text",
    "title",
    "symbol",
    "language",
    "imported paragraph",
    "imported title",
]
_imports = itertools.count(1)


def _assert_clean(value: str, *, newlines: bool) -> None:
    assert value == unicodedata.normalize("NFC", value), ascii(value)
    for ch in value:
        assert ch not in BIDI, ascii(value)
        assert ch not in SEPARATORS, ascii(value)
        if unicodedata.category(ch) == "Cc":
            assert ch == "\t" or (newlines and ch == "\n"), ascii(value)


def _state(svc: Service) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, the events included: what "nothing written" compares."""
    conn = svc.db.conn
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {n: sorted(conn.execute(f"SELECT * FROM [{n}]").fetchall(), key=repr) for n in names}


def _yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar that reads back exactly (every odd char escaped)."""
    out = []
    for ch in text:
        if ch in '"\\' or not ch.isprintable() or ch in BIDI or ord(ch) > 0xFFFF:
            out.append(f"\\U{ord(ch):08x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _draft_file(tmp: Path, text: str, where: str) -> tuple[Path, str]:
    n = next(_imports)
    source = PLAN.read_text(encoding="utf-8").replace("{#fp-", f"{{#z{n}-")
    source = source.replace("id: first-plan\n", f"id: fuzz-{n}\n", 1)
    if where == "imported title":
        source = source.replace(
            "title: First Test Plan against Trafficking in Persons", f"title: {_yaml_quoted(text)}"
        )
    else:
        source = source.replace(
            "Adopt national action plans that cover every form of exploitation.", text
        )
    path = tmp / f"fuzz-{n}.md"
    path.write_bytes(source.encode("utf-8"))
    return path, f"fuzz-{n}"


@pytest.fixture
def fuzz_record(svc: Service, as_, tmp_path: Path):
    """The record, with an amendment and a reservation of Canada's to revise and edit."""
    can = as_("CAN")
    aid = can.propose(DOC, "OP2", "modify", text="Canada's first words.").id
    rid = can.reserve(DOC, ["OP1"], text="Canada's first reservation.").id
    return svc, can, as_("SECRETARIAT"), aid, rid, tmp_path


@pytest.mark.parametrize("which", FUZZ_INPUTS)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=fuzz_texts)
def test_fuzzing_every_text_input(fuzz_record, which: str, text: str) -> None:
    """Random Unicode into every text the service takes: a clean InputError with nothing
    written, or an accepted text that is NFC and free of controls, bidi marks and separators."""
    svc, can, sec, aid, rid, tmp = fuzz_record
    before = _state(svc)
    newlines = True
    try:
        if which == "amendment text":
            am = can.propose(DOC, "OP3", "modify", text=text)
            stored = [am.text, svc.negotiation(DOC).amendment(am.id).text]
        elif which == "justification":
            am = can.propose(DOC, "OP3", "delete", justification=text)
            stored = [am.justification, svc.negotiation(DOC).amendment(am.id).justification]
        elif which == "comment":
            pos = can.record_position(DOC, "OP4", "support", text)
            stored = [pos.comment or ""]
            stored += [
                p.comment or "" for p in svc.negotiation(DOC).positions if p.delegation == "CAN"
            ]
            newlines = False  # a comment is one line
        elif which == "reservation text":
            res = can.reserve(DOC, ["OP4"], text=text)
            stored = [res.text, svc.negotiation(DOC).reservation(res.id).text]
        elif which == "reservation edit":
            res = can.edit_reservation(DOC, rid, text)
            stored = [res.text, svc.negotiation(DOC).reservation(rid).text]
        elif which == "revised amendment text":
            am = can.revise_amendment(DOC, aid, text)
            stored = [am.text, svc.negotiation(DOC).amendment(aid).text]
        elif which in ("title", "symbol", "language"):
            field = {"language": "original_language"}.get(which, which)
            doc = sec.set_metadata(DOC, **{field: text})
            stored = [getattr(doc, field), getattr(svc.document(DOC), field)]
            newlines = False  # one line each
        else:
            path, doc_id = _draft_file(tmp, text, which)
            draft = sec.import_draft(path)
            assert draft.document.id == doc_id
            stored = [p.text for p in svc.draft(doc_id).paragraphs]
            stored += [p.text for p in draft.paragraphs]
            _assert_clean(svc.document(doc_id).title, newlines=False)
    except InputError as exc:
        _check_refusal(which, exc, svc, before)
        return
    event(f"{which}: accepted")
    for value in stored:
        _assert_clean(value, newlines=newlines)


def _check_refusal(which: str, exc: InputError, svc: Service, before: object) -> None:
    """A refusal is one clean line, and the record is as it was."""
    event(f"{which}: refused")
    assert exc.message
    assert "\n" not in exc.message
    assert not any(ch in BIDI or unicodedata.category(ch) == "Cc" for ch in exc.message), (
        f"the error message itself carries a control: {exc.message!a}"
    )
    assert _state(svc) == before, f"{which}: refused, yet the record changed"


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
