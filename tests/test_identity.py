"""Who may say who they are: the roster's file, the database's folder, and recorded refusals."""

from __future__ import annotations

import errno
import json
import os
import pwd
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from tests.conftest import PLAN

from workplan.cli import cli
from workplan.service import identity

ROOT = os.geteuid() == 0
NOBODY = pwd.getpwnam("nobody")


class Runner:
    """`workplan --db DB ...` in process, as a login (WORKPLAN_LOGIN) or with `--as`."""

    def __init__(self, db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.db = db
        self.monkeypatch = monkeypatch

    def __call__(self, *args: str, who: str | None = None, login: str | None = None) -> Result:
        """Run one command; `login` sets WORKPLAN_LOGIN for it."""
        with self.monkeypatch.context() as m:
            if login:
                m.setenv("WORKPLAN_LOGIN", login)
            else:
                m.delenv("WORKPLAN_LOGIN", raising=False)
            pre = ["--db", str(self.db)] + (["--as", who] if who else [])
            return CliRunner().invoke(cli, [*pre, *args], catch_exceptions=False)

    @property
    def roster(self) -> Path:
        """Where the roster governing this database lives."""
        return self.db.parent / "roster.toml"

    def write_roster(self, body: str = '[logins]\nmaria = "MEX"\nsec = "SECRETARIAT"\n') -> Path:
        """A good roster: a regular file of the database's owner, 0644."""
        self.roster.write_text(body, encoding="utf-8")
        self.roster.chmod(0o644)
        return self.roster

    def log(self) -> list[dict]:
        """The record's events."""
        return json.loads(self("log", "--json").output)


@pytest.fixture
def wp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runner:
    monkeypatch.delenv("WORKPLAN_AS", raising=False)
    monkeypatch.delenv("WORKPLAN_DB", raising=False)
    run = Runner(tmp_path / "wg.db", monkeypatch)
    r = run("init", "--from-file", str(PLAN), who="SECRETARIAT")
    assert r.exit_code == 0, r.output
    return run


def _one_line(r: Result, code: int, *words: str) -> str:
    """The command failed with `code` and said so in one line naming `words`."""
    assert r.exit_code == code, r.output
    lines = r.output.splitlines()
    assert len(lines) == 1, r.output
    assert lines[0].startswith("workplan: "), r.output
    assert "Traceback" not in r.output
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


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


def _as_other_owner(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """Make `path` another account's: really (chown to nobody) as root, else as fstat sees it."""
    if ROOT:
        os.chown(path, NOBODY.pw_uid, NOBODY.pw_gid)
        return
    ino, real = path.stat().st_ino, os.fstat

    def fstat(fd: int) -> os.stat_result:
        st = real(fd)
        if st.st_ino != ino:
            return st
        fields = list(st[:10])
        fields[4] = st.st_uid + 1
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", fstat)


# -- the roster's file ----------------------------------------------------------------------


def test_a_roster_of_another_account_is_refused(
    wp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    wp.write_roster('[logins]\nmaria = "SECRETARIAT"\n')  # planted: maria made secretariat
    before = wp.log()
    with monkeypatch.context() as m:
        _as_other_owner(m, wp.roster)
        r = wp("--for", "CAN", "position", "OP1", "object", login="maria")
        line = _one_line(r, 77, str(wp.roster), "belongs to", "who owns the database")
        if ROOT:
            assert "belongs to nobody, not to root" in line
        for args in (("status",), ("roster",)):  # reading too: no one is told who they are
            _one_line(wp(*args, who="CAN"), 77, "belongs to")
    if ROOT:
        os.chown(wp.roster, os.getuid(), os.getgid())
    assert wp.log() == before


def test_a_roster_that_is_a_link_is_refused(wp: Runner, tmp_path: Path) -> None:
    real = tmp_path / "real.toml"
    real.write_text('[logins]\nmaria = "SECRETARIAT"\n', encoding="utf-8")
    real.chmod(0o644)
    wp.roster.symlink_to(real)
    _one_line(wp("roster", login="maria"), 77, str(wp.roster), "symbolic link")
    wp.roster.unlink()
    wp.roster.symlink_to(tmp_path / "nowhere.toml")  # dangling: not "no roster" either
    _one_line(wp("position", "OP1", "object", who="USA"), 77, "symbolic link")


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_a_roster_that_is_no_regular_file_is_refused(wp: Runner, kind: str) -> None:
    before = wp.log()
    if kind == "folder":
        wp.roster.mkdir()
        (wp.roster / "roster.toml").write_text('[logins]\nmaria = "MEX"\n', encoding="utf-8")
    else:
        os.mkfifo(wp.roster, 0o644)  # opened without blocking: no writer is ever waited for
    r = wp("position", "OP1", "object", who="USA")
    _one_line(r, 77, str(wp.roster), f"is a {kind.upper() if kind == 'fifo' else kind}")
    if kind == "folder":
        shutil.rmtree(wp.roster)
    else:
        wp.roster.unlink()
    assert wp.log() == before  # single-user mode again: nothing was done meanwhile


def test_a_roster_writable_by_the_group_is_refused(wp: Runner) -> None:
    wp.write_roster().chmod(0o664)
    _one_line(wp("status", login="maria"), 77, "writable by others", "0644")


def test_a_huge_roster_is_bad_input(wp: Runner) -> None:
    wp.write_roster("# " + "x" * (identity.MAX_ROSTER_BYTES + 10) + "\n")
    _one_line(wp("status", login="maria"), 65, "not a valid roster")


def test_an_unreadable_roster_is_one_line(wp: Runner, monkeypatch: pytest.MonkeyPatch) -> None:
    """Mode 000: its owner cannot read it. Root can (and reads it: the rule is who may write),
    so under root the open is refused the way the kernel refuses it to the owner."""
    wp.write_roster().chmod(0)
    with monkeypatch.context() as m:
        if ROOT:
            real = os.open

            def refused(path: object, *args: object, **kwargs: object) -> int:
                if Path(str(path)) == wp.roster:
                    raise PermissionError(errno.EACCES, "Permission denied", str(path))
                return real(path, *args, **kwargs)  # type: ignore[arg-type]

            m.setattr(os, "open", refused)
        for args in (("status",), ("position", "OP1", "object")):
            line = _one_line(wp(*args, login="maria"), 77)
            assert line == (
                f"workplan: the roster {wp.roster} cannot be read (permission denied):"
                " this account cannot tell who it is"
            )
    wp.roster.chmod(0o644)
    assert json.loads(wp("roster", "--json", login="maria").output)["acting"] == "MEX"


def test_a_missing_roster_is_single_user_mode(wp: Runner) -> None:
    data = json.loads(wp("roster", "--json").output)
    assert data["mode"] == "single-user"
    assert wp("position", "OP1", "object", who="USA").exit_code == 0


# -- the database's folder ------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o770, 0o777, 0o1777, 0o730])
def test_a_folder_others_may_write_is_refused(wp: Runner, mode: int) -> None:
    before = _tables(wp.db)
    wp.db.parent.chmod(mode)
    try:
        for who in ("USA", None):  # single-user mode too: anyone could add a roster
            r = wp("position", "OP1", "object", who=who)
            _one_line(r, 77, f"folder {wp.db.parent} is writable by others", "chmod go-w")
        wp.write_roster()
        _one_line(wp("status", login="maria"), 77, "writable by others")
    finally:
        wp.db.parent.chmod(0o700)
    assert _tables(wp.db) == before
    assert wp("status", login="maria").exit_code == 0


def test_a_new_database_in_a_shared_folder_is_not_created(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    r = CliRunner().invoke(cli, ["--db", str(shared / "wg.db"), "init"])
    _one_line(r, 77, "writable by others")
    assert list(shared.iterdir()) == []


def test_a_new_folder_is_made_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WORKPLAN_AS", raising=False)
    monkeypatch.delenv("WORKPLAN_LOGIN", raising=False)
    db = tmp_path / "new" / "wg.db"
    r = CliRunner().invoke(cli, ["--db", str(db), "init", "--from-file", str(PLAN)])
    assert r.exit_code == 0, r.output
    assert stat.S_IMODE(db.parent.stat().st_mode) & 0o077 == 0


def test_a_folder_of_another_account_is_refused(
    wp: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The folder's owner could replace or remove the roster; root's folder is fine."""
    folder = wp.db.parent
    if ROOT:
        os.chown(folder, NOBODY.pw_uid, NOBODY.pw_gid)
    else:
        real = os.stat

        def fake(path: object, *args: object, **kwargs: object) -> os.stat_result:
            st = real(path, *args, **kwargs)  # type: ignore[arg-type]
            if Path(str(path)) == folder:
                fields = list(st[:10])
                fields[4] = st.st_uid + 1
                return os.stat_result(fields)
            return st

    with monkeypatch.context() as m:
        if not ROOT:
            m.setattr(os, "stat", fake)
        try:
            _one_line(wp("status"), 77, f"folder {folder} belongs to", "keep the database")
        finally:
            if ROOT:
                os.chown(folder, 0, 0)
    assert wp("status").exit_code == 0


# -- who may create or initialise a record --------------------------------------------------


def test_a_login_the_roster_does_not_name_cannot_initialise(wp: Runner, tmp_path: Path) -> None:
    wp.write_roster()
    before, tables = wp.log(), _tables(wp.db)
    for login in ("stranger", "maria"):  # unnamed: an observer; named: a delegation
        r = wp("init", "--from-file", str(PLAN), login=login)
        _one_line(r, 77, "may not initialise the record", "only the chair or the secretariat")
    log = wp.log()
    assert [(e["actor"], e["action"], e["payload"]["action"]) for e in log[len(before) :]] == [
        ("OBSERVER", "permission.refused", "record.initialise"),
        ("MEX", "permission.refused", "record.initialise"),
    ]
    assert _tables(wp.db) == tables
    assert wp("verify").exit_code == 0
    # a new database beside the roster: nothing is created, by `init` or the TUI's first run
    fresh = Runner(tmp_path / "fresh.db", wp.monkeypatch)
    for args in (("init",), ("import", str(PLAN))):
        r = fresh(*args, login="stranger")
        _one_line(r, 77, "OBSERVER (observer) may not initialise", "login stranger")
        assert not fresh.db.exists()
    # the TUI creates a record only at the default path; at a --db path it wants `init` first
    _one_line(fresh("tui", login="stranger"), 66, "no database at", "run `workplan init` first")
    assert not fresh.db.exists()
    r = fresh("init", "--from-file", str(PLAN), login="sec")
    assert r.exit_code == 0, r.output
    assert fresh.log()[0]["actor"] == "SECRETARIAT"


def test_an_empty_record_is_not_initialised_by_an_unnamed_login(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = Runner(tmp_path / "wg.db", monkeypatch)
    sqlite3.connect(run.db).close()  # an empty file: nothing to record a refusal into
    run.write_roster()
    _one_line(run("init", login="stranger"), 77, "may not initialise")
    conn = sqlite3.connect(run.db)
    try:  # opening it lays out the tables; nothing is in them, not even the refusal
        for table in ("events", "delegations", "documents"):
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    finally:
        conn.close()


def test_single_user_mode_initialises_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = Runner(tmp_path / "wg.db", monkeypatch)
    r = run("init", "--from-file", str(PLAN))  # no --as: the observer default, as documented
    assert r.exit_code == 0, r.output
    assert run.log()[0]["actor"] == "SECRETARIAT"


# -- refusals the record keeps --------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "args", "action", "actor", "behalf"),
    [
        ("CUB", ("position", "OP1", "object"), "position.record", "CUB", None),
        (
            "SECRETARIAT",
            ("--for", "CUB", "position", "OP1", "object"),
            "position.record",
            "SECRETARIAT",
            "CUB",
        ),
        (
            "USA",
            ("amend", "OP1", "--text", "Words.", "--cosponsor", "CUB"),
            "amendment.propose",
            "USA",
            None,
        ),
        ("CUB", ("reserve", "OP1", "--text", "Cuba reserves."), "reservation.attach", "CUB", None),
    ],
    ids=["as", "for", "cosponsor", "reserve"],
)
def test_refusals_for_an_inactive_delegation_are_recorded(
    wp: Runner,
    who: str,
    args: tuple[str, ...],
    action: str,
    actor: str,
    behalf: str | None,
) -> None:
    before, tables = wp.log(), _tables(wp.db)
    _one_line(wp(*args, who=who), 77, "Cuba (CUB) is not an active delegation")
    log = wp.log()
    assert log[: len(before)] == before
    assert len(log) == len(before) + 1
    e = log[-1]
    assert (e["actor"], e["on_behalf_of"], e["action"]) == (actor, behalf, "permission.refused")
    assert e["payload"]["action"] == action
    assert e["payload"]["delegation"] == "CUB"
    assert _tables(wp.db) == tables
    assert wp("verify").exit_code == 0


def test_reusing_another_delegations_reservation_is_refused_and_recorded(wp: Runner) -> None:
    assert wp("reserve", "OP1", "--text", "Jamaica reserves.", who="JAM").exit_code == 0
    before, tables = wp.log(), _tables(wp.db)
    r = wp("reserve", "OP2", "--reuse", "R1", who="LCA")
    _one_line(r, 77, "R1 is JAM's reservation, not LCA's")
    log = wp.log()
    assert len(log) == len(before) + 1
    e = log[-1]
    assert (e["actor"], e["action"]) == ("LCA", "permission.refused")
    assert e["payload"] == {
        "action": "reservation.attach",
        "reason": "R1 is JAM's reservation, not LCA's",
        "reservation": "R1",
    }
    assert _tables(wp.db) == tables
    assert wp("reserve", "OP2", "--reuse", "R1", who="JAM").exit_code == 0
    assert wp("verify").exit_code == 0
