"""scripts/ensure-system-packages, which `make test` runs first: it installs the Debian packages
the suite needs when it can (root, or password-less sudo) and otherwise stops with one line
saying what to install. Run here with a PATH of stand-ins, so nothing is installed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[1] / "scripts" / "ensure-system-packages"
PACKAGES = "chromium libreoffice-writer-nogui poppler-utils python3-uno"


class Machine:
    """A PATH of small shell scripts standing in for `id`, `sudo`, `apt-get` and the tools."""

    def __init__(self, root: Path) -> None:
        self.bin = root / "bin"
        self.bin.mkdir()
        self.calls = root / "calls.log"
        self.python = root / "no-python"

    def tool(self, name: str, body: str = "exit 0") -> None:
        """Put an executable `name` on the PATH running `body`."""
        path = self.bin / name
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)

    def logging_tool(self, name: str, status: int = 0) -> None:
        """A tool that writes its arguments to the calls log and exits with `status`."""
        self.tool(name, f'echo "{name} $*" >> {self.calls}\nexit {status}')

    def uid(self, uid: int) -> None:
        """Who runs the script."""
        self.tool("id", f"echo {uid}")

    def run(self) -> subprocess.CompletedProcess[str]:
        """The script, with only the stand-ins on its PATH."""
        env = {"PATH": str(self.bin), "SYSTEM_PYTHON": str(self.python)}
        return subprocess.run(
            ["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
        )

    def logged(self) -> list[str]:
        """The stand-ins' calls, one per line."""
        return self.calls.read_text().splitlines() if self.calls.exists() else []


@pytest.fixture
def machine(tmp_path: Path) -> Machine:
    return Machine(tmp_path)


def test_a_user_who_cannot_install_gets_one_line_saying_what_to_install(machine: Machine) -> None:
    machine.uid(1000)
    machine.logging_tool("apt-get")
    for sudo in (None, "exit 1"):  # no sudo at all; sudo that wants a password
        if sudo:
            machine.tool("sudo", sudo)
        result = machine.run()
        assert result.returncode == 1
        assert result.stdout == ""
        assert result.stderr.count("\n") == 1
        assert result.stderr.rstrip().endswith(f"sudo apt-get install {PACKAGES}")
    assert machine.logged() == []  # nothing was tried


def test_root_installs_what_is_missing_from_debians_packages(machine: Machine) -> None:
    machine.uid(0)
    machine.logging_tool("apt-get")
    machine.tool("chromium")  # present: not installed again
    result = machine.run()
    assert result.returncode == 0, result.stderr
    rest = PACKAGES.removeprefix("chromium ")
    assert machine.logged() == ["apt-get update -qq", f"apt-get install -y -qq {rest}"]
    assert result.stderr.startswith(f"installing {rest} from Debian's packages")


def test_password_less_sudo_installs_through_sudo(machine: Machine) -> None:
    machine.uid(1000)
    machine.logging_tool("apt-get")
    machine.tool("sudo", f'echo "sudo $*" >> {machine.calls}\nshift\n[ "$1" = true ] || "$@"')
    assert machine.run().returncode == 0
    assert machine.logged() == [
        "sudo -n true",
        "sudo -n apt-get update -qq",
        "apt-get update -qq",
        f"sudo -n apt-get install -y -qq {PACKAGES}",
        f"apt-get install -y -qq {PACKAGES}",
    ]


def test_a_failed_install_stops_with_one_line(machine: Machine) -> None:
    machine.uid(0)
    machine.logging_tool("apt-get", status=100)
    result = machine.run()
    assert result.returncode == 1
    assert (
        result.stderr.splitlines()[-1]
        == f"could not install {PACKAGES}: sudo apt-get install {PACKAGES}"
    )


def test_nothing_missing_means_nothing_done(machine: Machine) -> None:
    machine.uid(0)
    machine.logging_tool("apt-get")
    for tool in ("chromium", "soffice", "pdftotext"):
        machine.tool(tool)
    machine.python.write_text("#!/bin/sh\nexit 0\n")  # a Python that has `uno`
    machine.python.chmod(0o755)
    result = machine.run()
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert machine.logged() == []
