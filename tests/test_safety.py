"""Shared and safe: roster identity, backup and restore, hostile input."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from tests.conftest import PLAN

from workplan.cli import cli
from workplan.errors import ConflictError


@pytest.fixture
def wp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "wg.db"
    runner = CliRunner()
    monkeypatch.delenv("WORKPLAN_AS", raising=False)

    def run(*args: str, who: str | None = None):
        pre = ["--db", str(db)] + (["--as", who] if who else [])
        return runner.invoke(cli, [*pre, *args], catch_exceptions=False)

    assert run("init", "--from-file", str(PLAN), who="SECRETARIAT").exit_code == 0
    run.db = db  # type: ignore[attr-defined]
    return run


def _roster(db: Path, body: str) -> Path:
    path = db.parent / "roster.toml"
    path.write_text(body, encoding="utf-8")
    path.chmod(0o644)
    return path


def test_single_user_mode_is_said(wp) -> None:
    data = json.loads(wp("roster", "--json").output)
    assert data["mode"] == "single-user"
    assert data["acting"] == "OBSERVER"


def test_roster_pins_the_login(wp, monkeypatch: pytest.MonkeyPatch) -> None:
    _roster(wp.db, '[logins]\nmaria = "MEX"\nsec = "SECRETARIAT"\n')
    monkeypatch.setenv("WORKPLAN_LOGIN", "maria")
    data = json.loads(wp("roster", "--json").output)
    assert data["mode"] == "roster"
    assert data["acting"] == "MEX"
    assert wp("position", "OP1", "support").exit_code == 0
    r = wp("position", "OP1", "object", who="USA")
    assert r.exit_code == 77
    assert "logged in as maria (MEX)" in r.output
    monkeypatch.setenv("WORKPLAN_LOGIN", "sec")
    r = wp("--for", "PER", "position", "OP1", "ad-ref")
    assert r.exit_code == 0, r.output
    log = json.loads(wp("log", "--json").output)
    assert log[-1]["actor"] == "SECRETARIAT"
    assert log[-1]["on_behalf_of"] == "PER"
    monkeypatch.setenv("WORKPLAN_LOGIN", "stranger")
    assert wp("position", "OP1", "support").exit_code == 77


def _log(wp) -> list[dict]:
    return json.loads(wp("log", "--json").output)


def _tables(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'events'"
            )
        ]
        return {n: sorted(conn.execute(f"SELECT * FROM [{n}]").fetchall(), key=repr) for n in names}
    finally:
        conn.close()


@pytest.mark.parametrize("via", ["--as", "WORKPLAN_AS"])
def test_a_pinned_login_asking_to_be_another_is_refused_and_recorded(
    wp, monkeypatch: pytest.MonkeyPatch, via: str
) -> None:
    _roster(wp.db, '[logins]\nmaria = "MEX"\n')
    monkeypatch.setenv("WORKPLAN_LOGIN", "maria")
    before, tables = _log(wp), _tables(wp.db)
    if via == "--as":
        r = wp("position", "OP1", "object", who="usa")
    else:
        monkeypatch.setenv("WORKPLAN_AS", "usa")
        r = wp("position", "OP1", "object")
    assert r.exit_code == 77, r.output
    shown = "--as USA" if via == "--as" else "WORKPLAN_AS=USA"
    assert r.output.strip() == f"workplan: you are logged in as maria (MEX); {shown} is not allowed"
    monkeypatch.delenv("WORKPLAN_AS", raising=False)
    log = _log(wp)
    assert log[: len(before)] == before
    assert len(log) == len(before) + 1
    refused = log[-1]
    assert (refused["actor"], refused["on_behalf_of"], refused["action"]) == (
        "MEX",
        None,
        "permission.refused",
    )
    assert refused["payload"]["action"] == "identity.assume"
    assert refused["payload"]["attempted"] == "USA"
    assert refused["payload"]["via"] == via
    assert refused["payload"]["login"] == "maria"
    assert _tables(wp.db) == tables  # USA did nothing; MEX did nothing either
    assert wp("verify").exit_code == 0
    if via == "WORKPLAN_AS":  # a read is refused the same way: the variable never applies
        monkeypatch.setenv("WORKPLAN_AS", "USA")
        assert wp("status").exit_code == 77
        monkeypatch.delenv("WORKPLAN_AS")
        assert len(_log(wp)) == len(before) + 2


def test_a_pinned_delegate_cannot_record_for_another(wp, monkeypatch: pytest.MonkeyPatch) -> None:
    _roster(wp.db, '[logins]\nmaria = "MEX"\n')
    monkeypatch.setenv("WORKPLAN_LOGIN", "maria")
    before, tables = _log(wp), _tables(wp.db)
    for args in (("position", "OP1", "object"), ("amend", "OP1", "--text", "Words of USA.")):
        r = wp("--for", "USA", *args)
        assert r.exit_code == 77
        assert "only the secretariat" in r.output
    log = _log(wp)
    assert [(e["actor"], e["on_behalf_of"], e["action"]) for e in log[len(before) :]] == [
        ("MEX", "USA", "permission.refused")
    ] * 2
    assert [e["payload"]["action"] for e in log[len(before) :]] == [
        "position.record",
        "amendment.propose",
    ]
    assert _tables(wp.db) == tables
    assert wp("verify").exit_code == 0


def test_a_refusal_is_not_recorded_where_the_record_is_not_writable(
    wp, monkeypatch: pytest.MonkeyPatch
) -> None:

    _roster(wp.db, '[logins]\nmaria = "MEX"\n')
    monkeypatch.setenv("WORKPLAN_LOGIN", "maria")
    before = _log(wp)
    with monkeypatch.context() as m:
        m.setattr(os, "access", lambda _path, _mode: False)
        r = wp("position", "OP1", "object", who="USA")
    assert r.exit_code == 77
    assert "--as USA is not allowed" in r.output
    assert _log(wp) == before
    missing = wp.db.parent / "none.db"  # governed by the same roster; never created
    r = CliRunner().invoke(cli, ["--db", str(missing), "--as", "USA", "init"])
    assert r.exit_code == 77
    assert not missing.exists()


def test_roster_writable_by_others_is_refused(wp, monkeypatch: pytest.MonkeyPatch) -> None:
    _roster(wp.db, '[logins]\nmaria = "MEX"\n').chmod(0o666)
    monkeypatch.setenv("WORKPLAN_LOGIN", "maria")
    r = wp("status")
    assert r.exit_code == 77
    assert "writable by others" in r.output


def test_backup_and_restore(wp, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert wp("backup", str(copy)).exit_code == 0
    assert wp("backup", str(copy)).exit_code == 65  # never overwrites
    assert wp("position", "OP1", "object", who="USA").exit_code == 0
    r = wp("restore", str(copy), who="SECRETARIAT")
    assert r.exit_code == 0, r.output
    log = json.loads(wp("log", "--json").output)
    assert all(e["action"] != "position.recorded" for e in log)
    kept = list(tmp_path.glob("wg.db.before-restore-*"))
    assert len(kept) == 1
    assert wp("verify").exit_code == 0
    for _ in range(2):  # twice within a second: each old record is kept under its own name
        assert wp("restore", str(copy), who="SECRETARIAT").exit_code == 0
    assert len(list(tmp_path.glob("wg.db.before-restore-*"))) == 3


def test_restore_refuses_a_tampered_backup(wp, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert wp("backup", str(copy)).exit_code == 0
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE paragraphs SET text = 'Forged.' WHERE rowid = 1")
    conn.commit()
    conn.close()
    before = wp("log", "--json").output
    r = wp("restore", str(copy), who="SECRETARIAT")
    assert r.exit_code == 65
    assert "fails verification" in r.output
    assert wp("log", "--json").output == before


@pytest.mark.parametrize("text", ["evil\u202etxt", "bell\x07", "esc\x1b[2J"])
def test_hostile_text_is_rejected(wp, text: str) -> None:
    before = wp("log", "--json").output
    r = wp("amend", "OP1", "--text", text, who="CAN")
    assert r.exit_code == 65
    assert "forbidden character" in r.output
    assert wp("log", "--json").output == before


def test_login_variable_ignored_for_other_accounts(wp, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import pwd

    from workplan.service import identity

    _roster(wp.db, '[logins]\nmaria = "MEX"\n')
    monkeypatch.setenv("WORKPLAN_LOGIN", "maria")
    monkeypatch.setattr(os, "getuid", lambda: 4242)  # not the database's owner
    monkeypatch.setattr(pwd, "getpwuid", lambda _uid: type("P", (), {"pw_name": "eve"})())
    assert identity.current_login(wp.db) == "eve"


def test_exports_never_write_through_a_symlink(wp, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious", encoding="utf-8")
    link = tmp_path / "out.txt"
    link.symlink_to(target)
    r = wp("export", "--format", "txt", "-o", str(link), "--force")
    assert r.exit_code == 65
    assert "symbolic link" in r.output
    assert target.read_text(encoding="utf-8") == "precious"


@pytest.mark.parametrize("content", [b"", None])
def test_restore_refuses_what_is_no_record(wp, tmp_path: Path, content: bytes | None) -> None:
    other = tmp_path / "other.db"
    if content is None:
        conn = sqlite3.connect(other)
        conn.execute("CREATE TABLE t (x)")
        conn.close()
    else:
        other.write_bytes(content)
    before = wp("log", "--json").output
    r = wp("restore", str(other), who="SECRETARIAT")
    assert r.exit_code == 65, r.output
    assert wp("log", "--json").output == before
    assert list(tmp_path.glob("wg.db.before-restore-*")) == []


def test_restore_leaves_the_backup_file_untouched(wp, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    assert wp("backup", str(copy)).exit_code == 0
    data = copy.read_bytes()
    assert wp("restore", str(copy), who="SECRETARIAT").exit_code == 0
    assert copy.read_bytes() == data


def test_a_held_writers_lock_gives_exit_75_not_a_hang(wp) -> None:
    import subprocess
    import sys
    import time

    from workplan.store import db as store_db

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            f"fd = os.open({str(wp.db) + '-writers'!r}, os.O_RDWR | os.O_CREAT, 0o600)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)",
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == b"held"
        start = time.monotonic()
        with pytest.raises(ConflictError):
            store_db._lock_writers(str(wp.db) + "-writers", 0.5)
        assert time.monotonic() - start < 5
    finally:
        holder.kill()
        holder.wait()
