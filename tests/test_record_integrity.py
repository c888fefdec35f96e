"""What the record proves: the schema check, outside heads, foreign files, backup leftovers."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import PLAN

from workplan.cli import cli
from workplan.store.events import GENESIS, event_hash

DOC = "third-work-plan"


@pytest.fixture
def wp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run the CLI on an initialised record `wg.db` (or on `db=`)."""
    db = tmp_path / "wg.db"
    runner = CliRunner()
    monkeypatch.delenv("WORKPLAN_AS", raising=False)
    monkeypatch.delenv("WORKPLAN_DB", raising=False)

    def run(*args: str, who: str | None = None, db: Path = db):
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        return runner.invoke(cli, [*pre, *args], catch_exceptions=False)

    assert run("init", "--from-file", str(PLAN), who="SECRETARIAT").exit_code == 0
    run.db = db  # type: ignore[attr-defined]
    return run


def _head(wp) -> str:
    return str(json.loads(wp("verify", "--json").stdout)["head"])


def _log(wp) -> str:
    return str(wp("log", "--json").stdout)


def _sql(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path)
    for s in statements:
        conn.execute(s)
    conn.commit()
    conn.close()


def _rewrite_chain(path: Path, keep: Callable[[tuple], bool] = lambda _row: True) -> None:
    """What someone with write access can do: drop events, renumber, recompute every hash.

    The triggers are put back exactly as they were, so only an outside head can tell.
    """
    conn = sqlite3.connect(path)
    cols = "id, at, actor, on_behalf_of, action, document, payload"
    rows = [r for r in conn.execute(f"SELECT {cols} FROM events ORDER BY id") if keep(r)]
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
    for name, _ in triggers:
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DELETE FROM events")
    prev = GENESIS
    for new_id, (_, at, actor, behalf, action, document, payload) in enumerate(rows, 1):
        digest = event_hash(
            id=new_id,
            at=at,
            actor=actor,
            on_behalf_of=behalf,
            action=action,
            document=document,
            payload=payload,
            prev_hash=prev,
        )
        conn.execute(
            f"INSERT INTO events ({cols}, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [new_id, at, actor, behalf, action, document, payload, prev, digest],
        )
        prev = digest
    for _, sql in triggers:
        conn.execute(sql)
    conn.commit()
    conn.close()


# -- verify: the schema ---------------------------------------------------------------------

HIDE = (
    "CREATE TRIGGER hide_refusals BEFORE INSERT ON events"
    " WHEN NEW.action = 'permission.refused' BEGIN SELECT RAISE(IGNORE); END"
)
DECOY = (
    "DROP TRIGGER events_no_update",
    "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT 1; END",
)
TAMPERS: dict[str, tuple[tuple[str, ...], str]] = {
    "hiding trigger": ((HIDE,), "extra trigger hide_refusals on events"),
    "decoy trigger": (DECOY, "trigger events_no_update on events differs from the schema"),
    "decoy delete trigger": (
        (
            "DROP TRIGGER events_no_delete",
            "CREATE TRIGGER events_no_delete BEFORE DELETE ON events WHEN 0"
            " BEGIN SELECT RAISE(ABORT, 'the record is append-only: events cannot be deleted');"
            " END",
        ),
        "trigger events_no_delete on events differs from the schema",
    ),
    "extra column": (("ALTER TABLE events ADD COLUMN note TEXT",), "extra column events.note"),
    "extra table": (("CREATE TABLE shadow (x)",), "extra table shadow"),
    "extra index": (("CREATE INDEX by_actor ON events(actor)",), "extra index by_actor on events"),
    "extra view": (("CREATE VIEW v AS SELECT * FROM events",), "extra view v"),
    "dropped index": (("DROP INDEX events_document",), "index events_document is missing"),
    "changed index": (
        ("DROP INDEX events_document", "CREATE INDEX events_document ON events(document)"),
        "index events_document on events differs from the schema",
    ),
    "application id": (("PRAGMA application_id = 7",), "application id is 7"),
}


@pytest.mark.parametrize("name", list(TAMPERS))
def test_verify_names_each_schema_change(wp, name: str) -> None:
    statements, named = TAMPERS[name]
    _sql(wp.db, *statements)
    r = wp("verify")
    assert r.exit_code == 1
    assert named in r.stderr, r.stderr


def test_the_hiding_trigger_works_and_verify_names_it(wp) -> None:
    _sql(wp.db, HIDE)
    assert wp("agree", "OP1", who="USA").exit_code == 77  # refused ...
    assert "permission.refused" not in _log(wp)  # ... and the refusal silently dropped
    problems = json.loads(wp("verify", "--json").stdout)["problems"]
    assert problems == ["extra trigger hide_refusals on events (not in the schema)"]


def test_whitespace_in_the_schema_sql_does_not_count(wp) -> None:
    conn = sqlite3.connect(wp.db)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'events_no_update'").fetchone()
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute(sql[0].replace(" ", "\n  "))
    conn.commit()
    conn.close()
    assert wp("verify").exit_code == 0


def test_an_intact_record_passes_with_every_head_of_its_chain(wp) -> None:
    first = _head(wp)
    assert wp("position", "OP1", "support", who="CAN").exit_code == 0
    now = _head(wp)
    for head in (first, first[:32], now, now.upper()):
        r = wp("verify", "--expect-head", head)
        assert r.exit_code == 0, r.output
        assert "It holds the expected head" in r.stdout
    data = json.loads(wp("verify", "--expect-head", first, "--json").stdout)
    assert data["ok"]
    assert data["expect_head"]["found"]
    assert data["expect_head"]["hash"] == first


@pytest.mark.parametrize("bad", ["abc", "z" * 20, "0123456789a", "a" * 65])
def test_a_malformed_expected_head_is_a_usage_error(wp, bad: str) -> None:
    r = wp("verify", "--expect-head", bad)
    assert r.exit_code == 2
    assert "hex digits" in r.stderr


def test_a_short_prefix_is_not_an_outside_head(wp) -> None:
    """12 or 16 digits (48, 64 bits) of a head: someone rewriting the record could grind an
    event whose hash starts so. An outside head needs at least 32 digits (128 bits)."""
    head = _head(wp)
    for short in (head[:12], head[:16], head[:31]):
        r = wp("verify", "--expect-head", short)
        assert r.exit_code == 2, r.output
        assert "32 to 64 hex digits" in r.stderr, r.output
    assert wp("verify", "--expect-head", head[:32]).exit_code == 0


# -- verify: rewritten histories ----------------------------------------------------------


def test_a_recomputed_chain_fails_only_against_an_outside_head(wp) -> None:
    assert wp("agree", "OP1", who="USA").exit_code == 77  # a recorded refusal, then more
    assert wp("position", "OP1", "support", who="CAN").exit_code == 0
    outside = _head(wp)  # printed on a circulated document
    _rewrite_chain(wp.db, keep=lambda row: row[4] != "permission.refused")
    assert "permission.refused" not in _log(wp)
    assert wp("verify").exit_code == 0  # consistent with itself: nothing else can tell
    r = wp("verify", "--expect-head", outside)
    assert r.exit_code == 1
    assert f"the expected head {outside} is not in the chain" in r.stderr
    data = json.loads(wp("verify", "--expect-head", outside, "--json").stdout)
    assert not data["ok"]
    assert data["expect_head"]["found"] is False


def test_a_truncated_tail_with_rebuilt_tables_fails_against_the_former_head(wp) -> None:
    before = _head(wp)
    n = len(json.loads(_log(wp)))
    assert wp("position", "OP1", "object", who="USA").exit_code == 0
    former = _head(wp)
    _rewrite_chain(wp.db, keep=lambda row: row[0] <= n)
    _sql(wp.db, "DELETE FROM positions")  # the tables rebuilt to match the shorter record
    assert wp("verify").exit_code == 0
    assert wp("verify", "--expect-head", before).exit_code == 0  # the prefix is intact
    r = wp("verify", "--expect-head", former[:32])
    assert r.exit_code == 1
    assert "is not in the chain" in r.stderr


def test_a_revision_frozen_at_a_head_no_longer_in_the_chain_is_named(wp) -> None:
    assert wp("agree", "OP1", who="USA").exit_code == 77
    assert wp("revise", who="SECRETARIAT").exit_code == 0
    _rewrite_chain(wp.db, keep=lambda row: row[4] != "permission.refused")
    r = wp("verify")
    assert r.exit_code == 1
    assert f"rev. 1 of {DOC} was frozen at chain head" in r.stderr
    assert "which is not in the chain" in r.stderr


def test_revisions_and_exports_print_the_heads_that_anchor_the_chain(wp) -> None:
    r = wp("revise", who="SECRETARIAT")
    head = json.loads(wp("revisions", "--json").stdout)[0]["chain_head"]
    assert f"Record chain head at rev. 1: {head}" in r.stdout
    assert f"chain head {head}" in wp("revisions").stdout
    assert f"Record chain head at rev. 1: {head}" in wp("show", "--rev", "1").stdout
    closing = wp("export", "--format", "txt").stdout.rstrip().splitlines()[-1]
    assert closing == f"Record {_head(wp)[:32]} (at printing), {head[:32]} (rev. 1)"
    assert wp("verify", "--expect-head", head).exit_code == 0
    assert wp("position", "OP1", "support", who="CAN").exit_code == 0
    assert wp("revise", who="SECRETARIAT").exit_code == 0
    second = json.loads(wp("revisions", "--json").stdout)[1]["chain_head"]
    redline = wp("export", "--redline", "1", "2", "--format", "txt").stdout
    last = redline.rstrip().splitlines()[-1]
    assert last == f"Record {head[:32]} (rev. 1), {second[:32]} (rev. 2)"


# -- restore ------------------------------------------------------------------------------


def _no_leftovers(folder: Path) -> None:
    names = [p.name for p in folder.iterdir()]
    assert not [n for n in names if n.endswith((".partial", "-journal", ".partial-journal"))]
    assert not [n for n in names if ".before-restore-" in n]


@pytest.mark.parametrize("name", list(TAMPERS))
def test_restore_refuses_a_backup_with_a_changed_schema(wp, tmp_path: Path, name: str) -> None:
    statements, named = TAMPERS[name]
    copy = tmp_path / "copy.db"
    assert wp("backup", str(copy)).exit_code == 0
    _sql(copy, *statements)
    before, data = _log(wp), wp.db.read_bytes()
    r = wp("restore", str(copy), who="SECRETARIAT")
    assert r.exit_code == 65
    assert "fails verification" in r.stderr
    assert named in r.stderr
    assert _log(wp) == before
    assert wp("verify").exit_code == 0
    assert wp.db.read_bytes() == data
    _no_leftovers(tmp_path)


def test_restore_refuses_a_rewritten_backup_given_an_outside_head(wp, tmp_path: Path) -> None:
    assert wp("agree", "OP1", who="USA").exit_code == 77
    outside = _head(wp)
    copy = tmp_path / "copy.db"
    assert wp("backup", str(copy)).exit_code == 0
    _rewrite_chain(copy, keep=lambda row: row[4] != "permission.refused")
    before = _log(wp)
    r = wp("restore", str(copy), "--expect-head", outside, who="SECRETARIAT")
    assert r.exit_code == 65
    assert f"the expected head {outside} is not in the chain" in r.stderr
    assert _log(wp) == before
    _no_leftovers(tmp_path)


def test_a_restore_is_recorded_and_anchored(wp, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert wp("backup", str(copy)).exit_code == 0
    backup_head = _head(wp)
    assert wp("position", "OP1", "object", who="USA").exit_code == 0
    old_head = _head(wp)
    r = wp("restore", str(copy), "--expect-head", backup_head, "--json", who="CHAIR")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert (data["old_head"], data["backup_head"]) == (old_head, backup_head)
    last = json.loads(_log(wp))[-1]
    assert last["action"] == "record.restored"
    assert last["actor"] == "CHAIR"
    assert last["prev_hash"] == backup_head
    assert last["hash"] == data["chain_head"]
    assert last["payload"]["from"] == str(copy.resolve())
    assert last["payload"]["old_head"] == old_head
    assert last["payload"]["kept"] == data["kept"]
    assert Path(data["kept"]).is_file()
    assert wp("verify", "--expect-head", backup_head).exit_code == 0
    r = wp("verify", "--expect-head", old_head)  # the replaced history is gone, and said so
    assert r.exit_code == 1
    assert "replaced by the restore at event" in r.stderr
    assert wp("position", "OP1", "support", who="CAN").exit_code == 0  # and the record goes on
    assert wp("verify").exit_code == 0


def test_restore_of_a_backup_with_another_page_size(wp, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert wp("backup", str(copy)).exit_code == 0
    head = _head(wp)
    conn = sqlite3.connect(copy)
    conn.execute("PRAGMA page_size = 8192")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 8192
    conn.close()
    assert wp("position", "OP1", "object", who="USA").exit_code == 0
    r = wp("restore", str(copy), who="SECRETARIAT")
    assert r.exit_code == 0, r.output
    assert json.loads(_log(wp))[-1]["prev_hash"] == head
    assert wp("verify", "--expect-head", head).exit_code == 0
    conn = sqlite3.connect(wp.db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    names = [p.name for p in tmp_path.iterdir()]
    assert not [n for n in names if n.endswith((".partial", "-journal"))]


def test_an_older_backup_is_migrated_in_its_copy_and_restored(wp, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert wp("backup", str(copy)).exit_code == 0
    _make_older(copy)
    data = copy.read_bytes()
    assert wp("restore", str(copy), who="SECRETARIAT").exit_code == 0
    assert copy.read_bytes() == data
    assert wp("verify").exit_code == 0


# -- foreign files ------------------------------------------------------------------------


def _make_older(path: Path) -> None:
    """Make `path` look like a record from before m003 (no application id)."""
    _sql(path, "DELETE FROM _sqlite_migrations WHERE name = 'm003_application_id'")
    _sql(path, "PRAGMA application_id = 0")


def test_an_older_record_is_migrated_on_opening(wp) -> None:
    _make_older(wp.db)
    assert wp("docs").exit_code == 0
    conn = sqlite3.connect(wp.db)
    assert conn.execute("PRAGMA application_id").fetchone()[0] != 0
    conn.close()
    assert wp("verify").exit_code == 0


def _foreign(path: Path, wal: bool = False) -> None:
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE customers (name TEXT)")
    conn.execute("INSERT INTO customers VALUES ('someone')")
    conn.commit()
    conn.close()
    for extra in ("-wal", "-shm"):
        assert not Path(f"{path}{extra}").exists()


READING = [
    ["status"],
    ["show"],
    ["verify"],
    ["log"],
    ["docs"],
    ["roster"],
    ["revisions"],
    ["amendments"],
    ["reservations"],
    ["export", "--format", "txt"],
    ["backup", "out.db"],
    ["init"],
    ["import", str(PLAN)],
    ["position", "OP1", "support"],
    ["restore", "out.db"],
]


@pytest.mark.parametrize("wal", [False, True], ids=["rollback", "wal"])
@pytest.mark.parametrize("args", READING, ids=[a[0] for a in READING])
def test_a_foreign_sqlite_file_is_refused_and_left_untouched(
    wp, tmp_path: Path, args: list[str], wal: bool
) -> None:
    other = tmp_path / "theirs.db"
    _foreign(other, wal)
    data = other.read_bytes()
    listing = sorted(p.name for p in tmp_path.iterdir())
    r = wp(*args, who="SECRETARIAT", db=other)
    assert r.exit_code == 65, r.output
    assert r.stderr == (
        f"workplan: {other} is not a workplan record (another database or file);"
        " refusing to open it\n"
    )
    assert other.read_bytes() == data
    assert sorted(p.name for p in tmp_path.iterdir()) == listing  # no -wal, -shm, out.db


@pytest.mark.parametrize("content", [b"", b"not a database at all\n" * 10])
def test_an_empty_or_garbage_file_is_refused_untouched(wp, tmp_path: Path, content: bytes) -> None:
    other = tmp_path / "x.db"
    other.write_bytes(content)
    r = wp("verify", db=other)
    assert r.exit_code == 65
    assert "is not a workplan record" in r.stderr
    assert other.read_bytes() == content


def test_only_init_creates_a_record(wp, tmp_path: Path) -> None:
    new = tmp_path / "new.db"
    for args in (["verify"], ["log"], ["tui"]):
        r = wp(*args, db=new)
        assert r.exit_code == 66
        assert not new.exists()
    assert wp("init", who="SECRETARIAT", db=new).exit_code == 0
    assert wp("verify", db=new).exit_code == 0


# -- backups: no leftovers ----------------------------------------------------------------


@contextlib.contextmanager
def _read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders read-only, for root too (the immutable attribute)."""
    root = os.geteuid() == 0
    modes = {p: p.stat().st_mode for p in paths}
    for p in paths:
        if root:
            subprocess.run(["chattr", "+i", str(p)], check=True)
        else:
            p.chmod(0o555 if p.is_dir() else 0o444)
    try:
        yield
    finally:
        for p in paths:
            if root:
                subprocess.run(["chattr", "-i", str(p)], check=True)
            else:
                p.chmod(modes[p])


def test_backup_into_a_read_only_folder_is_one_line(wp, tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    with _read_only(folder):
        r = wp("backup", str(folder / "copy.db"))
    assert r.exit_code == 77
    assert r.stderr.startswith(f"workplan: cannot write {folder}")
    assert len(r.stderr.splitlines()) == 1
    assert list(folder.iterdir()) == []


def test_a_read_only_record_is_one_line(wp, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert wp("backup", str(copy)).exit_code == 0
    for args in (["verify"], ["backup", str(tmp_path / "b.db")], ["log"]):
        with _read_only(copy):
            r = wp(*args, db=copy)
        assert r.exit_code == 77, r.output
        assert "read-only" in r.stderr, r.output
        assert len(r.stderr.splitlines()) == 1


def test_restore_into_a_read_only_folder_leaves_the_record_and_no_files(wp, tmp_path: Path) -> None:
    live = tmp_path / "live"
    live.mkdir()
    db = live / "wg.db"
    assert wp("init", "--from-file", str(PLAN), who="SECRETARIAT", db=db).exit_code == 0
    copy = tmp_path / "copy.db"
    assert wp("backup", str(copy), db=db).exit_code == 0
    assert wp("position", "OP1", "object", who="USA", db=db).exit_code == 0
    before = wp("log", "--json", db=db).stdout
    with _read_only(live):
        r = wp("restore", str(copy), who="SECRETARIAT", db=db)
    assert r.exit_code == 77, r.output
    assert len(r.stderr.splitlines()) == 1, r.output
    assert wp("log", "--json", db=db).stdout == before
    _no_leftovers(live)


def test_a_failed_backup_leaves_nothing(
    wp, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Failing(sqlite3.Connection):
        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if "journal_mode = DELETE" in sql:
                exc = sqlite3.OperationalError("disk I/O error")
                exc.sqlite_errorname = "SQLITE_IOERR"
                raise exc
            return super().execute(sql, *args)  # type: ignore[arg-type]

    real = sqlite3.connect

    def connect(path, *args, **kwargs):
        if str(path).endswith(".partial"):
            kwargs["factory"] = Failing
        return real(path, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", connect)
    r = wp("backup", str(tmp_path / "copy.db"))
    assert r.exit_code == 74
    assert "cannot back up" in r.stderr
    assert "disk I/O error" in r.stderr
    assert not (tmp_path / "copy.db").exists()
    _no_leftovers(tmp_path)


def test_what_a_killed_run_left_is_cleaned_unless_still_held(wp, tmp_path: Path) -> None:
    stale = tmp_path / ".wg.db.before-restore-20260101T000000Z.partial"
    held = tmp_path / ".wg.db.before-restore-20260101T000001Z.partial"
    other = tmp_path / ".notes.txt.partial"  # not ours: another name's
    for p in (stale, held, other):
        p.write_bytes(b"half a copy")
    Path(f"{stale}-journal").write_bytes(b"journal")
    fd = os.open(held, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # a backup still under way
    try:
        assert wp("docs").exit_code == 0
        assert not stale.exists()
        assert not Path(f"{stale}-journal").exists()
        assert held.exists()
        assert other.exists()
        target = tmp_path / "copy.db"
        leftover = tmp_path / ".copy.db.partial"
        leftover.write_bytes(b"killed")
        assert wp("backup", str(target)).exit_code == 0  # the next backup to it cleans it
        assert not leftover.exists()
        assert target.is_file()
    finally:
        os.close(fd)
    assert wp("docs").exit_code == 0
    assert not held.exists()


def test_a_backup_to_a_target_being_written_is_busy(wp, tmp_path: Path) -> None:
    partial = tmp_path / ".copy.db.partial"
    partial.write_bytes(b"")
    fd = os.open(partial, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        r = wp("backup", str(tmp_path / "copy.db"))
    finally:
        os.close(fd)
    assert r.exit_code == 75
    assert "under way" in r.stderr
    assert partial.exists()
    assert not (tmp_path / "copy.db").exists()


def test_analyze_statistics_are_not_a_schema_change(wp) -> None:
    _sql(wp.db, "ANALYZE")
    assert wp("verify").exit_code == 0


def test_an_event_this_program_never_writes_is_named(wp) -> None:
    """A forged event appended with a correct hash chains cleanly, but its action is not one
    the code writes: verify names it (exit 1)."""
    conn = sqlite3.connect(wp.db)
    last_id, prev = conn.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    at = "2026-03-02T15:00:00.000000+00:00"
    digest = event_hash(
        id=last_id + 1,
        at=at,
        actor="CHAIR",
        on_behalf_of=None,
        action="record.hacked",
        document=None,
        payload="{}",
        prev_hash=prev,
    )
    conn.execute(
        "INSERT INTO events (id, at, actor, on_behalf_of, action, document, payload, prev_hash,"
        " hash) VALUES (?, ?, 'CHAIR', NULL, 'record.hacked', NULL, '{}', ?, ?)",
        [last_id + 1, at, prev, digest],
    )
    conn.commit()
    conn.close()
    result = wp("verify")
    assert result.exit_code == 1
    assert (
        f"event {last_id + 1} has an action this program never writes ('record.hacked')"
        in result.output
    )


def test_an_unknown_applied_migration_is_named(wp) -> None:
    _sql(
        wp.db,
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('workplan', 'm999_backdoor', '2026-03-02')",
    )
    result = wp("verify")
    assert result.exit_code == 1
    assert "applied migrations differs from the code's: unknown m999_backdoor" in result.output
