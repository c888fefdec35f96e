"""Atomic writes of exports: file modes, no-overwrite publishing, symlinked folders."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from workplan import files
from workplan.errors import InputError
from workplan.files import write_atomic


@pytest.fixture
def umask() -> Iterator[int]:
    old = os.umask(0o027)
    try:
        yield 0o027
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _leftovers(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


@pytest.mark.parametrize("force", [True, False])
def test_a_new_file_gets_the_usual_mode(tmp_path: Path, umask: int, force: bool) -> None:
    out = tmp_path / "plan.md"
    write_atomic(out, "text\n", force=force)
    assert out.read_text(encoding="utf-8") == "text\n"
    assert _mode(out) == 0o666 & ~umask == 0o640
    assert _leftovers(tmp_path) == []


@pytest.mark.usefixtures("umask")
def test_a_forced_overwrite_keeps_the_old_mode(tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o604)
    write_atomic(out, "new\n", force=True)
    assert out.read_text(encoding="utf-8") == "new\n"
    assert _mode(out) == 0o604
    out.chmod(0o600)
    write_atomic(out, b"newer\n", force=True)
    assert _mode(out) == 0o600


def test_without_force_an_existing_file_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    out.write_text("precious", encoding="utf-8")
    with pytest.raises(InputError, match="already exists"):
        write_atomic(out, "new", force=False)
    assert out.read_text(encoding="utf-8") == "precious"


def _appear_meanwhile(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """Another writer creates `target` after our check, while we write the temp file."""
    real = files._create_temp

    def create(folder: Path, name: str) -> tuple[int, Path]:
        made = real(folder, name)
        target.write_text("theirs", encoding="utf-8")
        return made

    monkeypatch.setattr(files, "_create_temp", create)


def test_a_file_that_appears_meanwhile_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "plan.md"
    _appear_meanwhile(monkeypatch, out)
    with pytest.raises(InputError, match="already exists"):
        write_atomic(out, "ours", force=False)
    assert out.read_text(encoding="utf-8") == "theirs"
    assert _leftovers(tmp_path) == []


def _no_hard_links(monkeypatch: pytest.MonkeyPatch) -> None:
    def link(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", link)


@pytest.mark.usefixtures("umask")
def test_without_hard_links_the_write_still_publishes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_hard_links(monkeypatch)
    out = tmp_path / "plan.md"
    write_atomic(out, "ours", force=False)
    assert out.read_text(encoding="utf-8") == "ours"
    assert _mode(out) == 0o640
    assert _leftovers(tmp_path) == []
    with pytest.raises(InputError, match="already exists"):
        write_atomic(out, "again", force=False)


def test_without_hard_links_a_file_that_appears_meanwhile_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_hard_links(monkeypatch)
    out = tmp_path / "plan.md"
    _appear_meanwhile(monkeypatch, out)
    with pytest.raises(InputError, match="already exists"):
        write_atomic(out, "ours", force=False)
    assert out.read_text(encoding="utf-8") == "theirs"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("force", [True, False])
def test_a_symlinked_folder_is_resolved_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, force: bool
) -> None:
    real, other = tmp_path / "real", tmp_path / "other"
    real.mkdir()
    other.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    seen: list[Path] = []
    create = files._create_temp

    def spy(folder: Path, name: str) -> tuple[int, Path]:
        made = create(folder, name)
        seen.append(made[1].parent)
        link.unlink()  # the link is moved to another folder while we write
        link.symlink_to(other, target_is_directory=True)
        return made

    monkeypatch.setattr(files, "_create_temp", spy)
    write_atomic(link / "plan.md", "text", force=force)
    assert seen == [real.resolve()]
    assert (real / "plan.md").read_text(encoding="utf-8") == "text"
    assert list(other.iterdir()) == []
    assert _leftovers(real) == []


@pytest.mark.parametrize("force", [True, False])
def test_a_symlink_as_the_file_is_refused(tmp_path: Path, force: bool) -> None:
    target = tmp_path / "elsewhere.txt"
    link = tmp_path / "out.txt"
    link.symlink_to(target)  # dangling: nothing may be created through it either
    with pytest.raises(InputError, match="symbolic link"):
        write_atomic(link, "text", force=force)
    assert not target.exists()
    assert _leftovers(tmp_path) == []
