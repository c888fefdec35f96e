"""The TUI's export folder: bare file names only, never the database or the roster, never
through a symlink, a folder created 0700 and refused when others could plant files in it."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from workplan.errors import InputError, NotFoundError, PermissionDenied
from workplan.files import ExportFolder, export_target, open_export_folder
from workplan.paths import export_dir

BAD_NAMES = [
    "",
    "   ",
    ".",
    "..",
    "../x",
    "../../etc/passwd",
    "a/b",
    "exports/x.txt",
    "a\\b",
    "..\\x",
    "/tmp/x",
    "/etc/passwd",
    "~/.ssh/authorized_keys2",
    "~",
    ".ssh",
    ".profile",
    ".bashrc",
    ".export-0123.tmp",
    "a\x00b",
    "a\nb",
    "a\rb",
    "a\tb",
    "a\x1bb",
    "a\x7fb",
    "a\x85b",
    "x" * 256,
    "é" * 128,  # 256 bytes in UTF-8
    "\u202etxt.exe",  # right-to-left override: shown as "exe.txt"
    "plan\u200b.md",  # zero width space
    "plan\ufeff.md",  # byte order mark
    "a\u2028b",  # line separator
    "plan\U000e0041.md",  # tag character
    "plan\u3164.md",  # Hangul filler
]

# The database wg.db and its side files, the roster, and a backup restore kept beside them.
PROTECTED_NAMES = [
    "wg.db",
    "WG.DB",
    "Wg.Db",
    "wg.db-wal",
    "wg.db-shm",
    "wg.db-journal",
    "wg.db-writers",
    "WG.DB-WAL",
    "wg.db.before-restore-20250101T000000Z",
    "wg.db.txt",
    "roster.toml",
    "ROSTER.TOML",
    "roster.toml.txt",
]

GOOD_NAMES = [
    "first-plan-clean.docx",
    "third-work-plan-redline-1-draft.docx",
    "Plan de trabajo (versión 2).odt",
    "x" * 255,
    "é" * 127,  # 254 bytes
    "wg.txt",
    "my-wg.db.md",
    "a..b.txt",
]


@pytest.fixture
def umask0() -> Iterator[None]:
    """Umask 0, so a mode we see is the mode the code asked for."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _protected(base: Path) -> tuple[Path, Path]:
    return base / "wg.db", base / "roster.toml"


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (not following links) and its content."""
    found = {}
    for p in sorted(root.rglob("*")):
        if p.is_symlink():
            found[str(p)] = b"-> " + os.readlink(p).encode()
        elif p.is_file():
            found[str(p)] = p.read_bytes()
    return found


# -- the name check (pure) --------------------------------------------------------------------
@pytest.mark.parametrize("name", BAD_NAMES)
def test_anything_but_a_bare_ordinary_file_name_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError):
        export_target(tmp_path / "exports", name, _protected(tmp_path))


@pytest.mark.parametrize("name", PROTECTED_NAMES)
def test_the_database_its_side_files_and_the_roster_are_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="reserved"):
        export_target(tmp_path / "exports", name, _protected(tmp_path))


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_an_ordinary_file_name_lands_in_the_folder(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "exports"
    assert export_target(folder, name, _protected(tmp_path)) == folder / name


@pytest.mark.parametrize("name", ["x.txt", "X.TXT", "x.TXT", "x.txt-wal", "X.txt-writers"])
def test_a_database_named_like_an_export_is_refused_whatever_the_case(
    tmp_path: Path, name: str
) -> None:
    """The operator put the export folder beside a database called x.txt: no case of it goes."""
    db = tmp_path / "x.txt"
    db.write_bytes(b"SQLite format 3\x00")
    folder = ExportFolder(tmp_path, (db, tmp_path / "roster.toml"))
    with pytest.raises(InputError, match="reserved"):
        folder.write(name, "ssh-ed25519 AAAA attacker\n", force=True)
    assert db.read_bytes() == b"SQLite format 3\x00"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


def test_a_database_reached_through_a_link_is_refused_by_its_real_name(tmp_path: Path) -> None:
    real = tmp_path / "data" / "real.db"
    real.parent.mkdir()
    real.write_bytes(b"record")
    link = tmp_path / "wg.db"
    link.symlink_to(real)
    with pytest.raises(InputError, match="reserved"):
        export_target(real.parent, "REAL.db", (link,))


def test_a_name_that_merely_starts_differently_is_not_reserved(tmp_path: Path) -> None:
    assert export_target(tmp_path, "awg.db", _protected(tmp_path)) == tmp_path / "awg.db"


# -- where the folder is -----------------------------------------------------------------------
def test_the_folder_is_beside_the_database_unless_the_operator_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WORKPLAN_EXPORT_DIR", raising=False)
    assert export_dir(tmp_path / "wg.db") == tmp_path / "exports"
    monkeypatch.setenv("WORKPLAN_EXPORT_DIR", str(tmp_path / "out"))
    assert export_dir(tmp_path / "wg.db") == tmp_path / "out"
    assert export_dir(tmp_path / "wg.db", tmp_path / "chosen") == tmp_path / "chosen"
    monkeypatch.chdir(tmp_path)
    assert export_dir("wg.db", "rel") == tmp_path / "rel"  # always absolute


# -- the folder itself -------------------------------------------------------------------------
@pytest.mark.usefixtures("umask0")
def test_the_folder_is_created_0700_and_files_0600(tmp_path: Path) -> None:
    folder = ExportFolder(tmp_path / "exports", _protected(tmp_path))
    written = folder.write("plan.txt", "the plan\n")
    assert written == tmp_path / "exports" / "plan.txt"
    assert stat.S_IMODE((tmp_path / "exports").stat().st_mode) == 0o700
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert written.read_text(encoding="utf-8") == "the plan\n"
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["plan.txt"]  # no temp


def test_an_existing_file_needs_force(tmp_path: Path) -> None:
    folder = ExportFolder(tmp_path / "exports")
    folder.write("plan.txt", "one")
    assert folder.exists("plan.txt")
    with pytest.raises(InputError, match="already exists"):
        folder.write("plan.txt", "two")
    assert (tmp_path / "exports" / "plan.txt").read_text() == "one"
    folder.write("plan.txt", b"three", force=True)
    assert (tmp_path / "exports" / "plan.txt").read_text() == "three"
    assert not folder.exists("other.txt")


def test_a_symlink_planted_in_the_folder_is_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "authorized_keys2"
    victim.write_text("the real keys\n")
    (tmp_path / "exports").mkdir(mode=0o700)
    (tmp_path / "exports" / "plan.txt").symlink_to(victim)
    folder = ExportFolder(tmp_path / "exports")
    with pytest.raises(InputError, match="symbolic link"):
        folder.exists("plan.txt")
    for force in (False, True):
        with pytest.raises(InputError, match="symbolic link"):
            folder.write("plan.txt", "ssh-ed25519 AAAA attacker\n", force=force)
    assert victim.read_text() == "the real keys\n"
    assert (tmp_path / "exports" / "plan.txt").is_symlink()


def test_a_folder_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    ssh = tmp_path / ".ssh"
    ssh.mkdir(mode=0o700)
    (tmp_path / "exports").symlink_to(ssh)
    with pytest.raises(InputError, match="symbolic link"):
        ExportFolder(tmp_path / "exports").write("authorized_keys2", "ssh-ed25519 AAAA x\n")
    assert list(ssh.iterdir()) == []


def test_a_folder_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "exports").write_text("not a folder")
    with pytest.raises(InputError, match="not a folder"):
        ExportFolder(tmp_path / "exports").write("plan.txt", "x")


def test_a_folder_others_may_write_is_refused(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    for mode in (0o770, 0o702, 0o1777):
        os.chmod(tmp_path / "exports", mode)
        with pytest.raises(PermissionDenied, match="written by others"):
            ExportFolder(tmp_path / "exports").write("plan.txt", "x")
    assert list((tmp_path / "exports").iterdir()) == []


def test_a_folder_another_account_owns_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "exports").mkdir(mode=0o700)
    owner = (tmp_path / "exports").stat().st_uid
    monkeypatch.setattr(os, "geteuid", lambda: owner + 1)
    with pytest.raises(PermissionDenied, match="another account"):
        open_export_folder(tmp_path / "exports")


def test_a_folder_without_a_parent_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no folder above it"):
        ExportFolder(tmp_path / "missing" / "exports").write("plan.txt", "x")
    assert not (tmp_path / "missing").exists()


def test_the_export_folder_is_the_database_folder_and_the_record_survives(
    tmp_path: Path,
) -> None:
    """The operator chose the database's own folder: names still cannot reach the record."""
    db, roster = _protected(tmp_path)
    for p in (db, roster, tmp_path / "wg.db-wal", tmp_path / "wg.db-writers"):
        p.write_text(p.name)
    before = _tree(tmp_path)
    folder = ExportFolder(tmp_path, (db, roster))
    for name in ("wg.db", "WG.db", "wg.db-wal", "wg.db-writers", "roster.toml", "../wg.db"):
        with pytest.raises(InputError):
            folder.write(name, "gone", force=True)
    assert _tree(tmp_path) == before


def test_without_hard_links_the_export_still_publishes_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def link(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", link)
    folder = ExportFolder(tmp_path / "exports")
    folder.write("plan.txt", "one")
    with pytest.raises(InputError, match="already exists"):
        folder.write("plan.txt", "two")
    assert (tmp_path / "exports" / "plan.txt").read_text() == "one"
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == ["plan.txt"]


# -- who chooses the folder: the operator's command line, never the TUI -------------------------
@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ([], None, "exports"),
        ([], "from-env", "from-env"),
        (["tui"], "from-env", "from-env"),
        (["tui", "--export-dir", "from-option"], "from-env", "from-option"),
    ],
)
def test_the_tui_gets_the_folder_from_the_operator(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: str | None,
    expected: str,
) -> None:
    """`workplan tui` (and bare `workplan`) opens the app on `--export-dir`, else
    `$WORKPLAN_EXPORT_DIR`, else `exports` beside the database."""
    from click.testing import CliRunner

    from workplan.cli import cli
    from workplan.tui.app import WorkplanApp

    opened: list[WorkplanApp] = []
    monkeypatch.setattr(WorkplanApp, "run", lambda self, **_: opened.append(self))
    monkeypatch.chdir(tmp_path)
    if env:
        monkeypatch.setenv("WORKPLAN_EXPORT_DIR", env)
    else:
        monkeypatch.delenv("WORKPLAN_EXPORT_DIR", raising=False)
    db = tmp_path / "wg.db"
    made = CliRunner().invoke(cli, ["--db", str(db), "--as", "SECRETARIAT", "init"])
    assert made.exit_code == 0, made.output
    result = CliRunner().invoke(cli, ["--db", str(db), "--as", "CAN", *args])
    assert result.exit_code == 0, result.output
    (app,) = opened
    assert app.exports.path == tmp_path / expected
    assert {p.name for p in app.exports.protected} == {"wg.db", "roster.toml"}
    assert not (tmp_path / expected).exists()  # created on the first export, not before
