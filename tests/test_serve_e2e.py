"""End to end: `workplan serve` on a free loopback port, loaded in headless Chromium.

Chromium (Debian's `chromium` package) must be installed: without it this test FAILS, saying
so, rather than skipping. Everything is bounded by timeouts and the server's whole process
group (the server and the app it starts per browser) is terminated at the end.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from workplan.service import Service

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_SECONDS = 20.0
BROWSER_SECONDS = 60.0
ANSI = re.compile(r"\x1b\[[0-9;?<=>]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1b[=>]")


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_listening(port: int, proc: subprocess.Popen[bytes], seconds: float) -> None:
    """Wait until the server accepts connections (or fail, with its output)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"`workplan serve` exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"`workplan serve` did not listen on port {port} within {seconds:.0f} s")


@pytest.fixture
def server(svc: Service, db_path: Path, tmp_path: Path) -> Iterator[str]:
    """`workplan serve` on the test record; yields its URL; kills its process group after."""
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    cmd = [sys.executable, "-m", "workplan", "--db", str(db_path), "--as", "SECRETARIAT"]
    proc = subprocess.Popen(
        [*cmd, "serve", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the apps it spawns go with it
    )
    try:
        wait_listening(port, proc, START_SECONDS)
        yield f"http://127.0.0.1:{port}"
    finally:
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            if proc.poll() is None:
                os.killpg(proc.pid, sig)
                try:
                    proc.wait(timeout=wait)
                except subprocess.TimeoutExpired:
                    continue
        log.close()


async def first_screen(url: str, seconds: float = 45.0) -> str:
    """What the app sends over textual-serve's websocket, as plain text, until the draft
    screen's title has arrived (or time runs out)."""
    import aiohttp

    ws_url = url.replace("http:", "ws:") + "/ws?width=120&height=40"
    seen = ""
    async with aiohttp.ClientSession() as session, session.ws_connect(ws_url) as ws:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and "Third Work Plan" not in seen:
            try:
                msg = await ws.receive(timeout=max(deadline - time.monotonic(), 0.1))
            except TimeoutError:
                break
            if msg.type == aiohttp.WSMsgType.BINARY:
                seen += ANSI.sub("", msg.data.decode("utf-8", "replace"))
            elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                break
    return seen


def test_serve_page_loads_in_headless_chromium(server: str, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"headless Chromium is needed and was not found at {CHROMIUM}: "
            "install Debian's package (`apt-get install -y chromium`)"
        )
    try:
        browser = subprocess.run(
            [
                CHROMIUM,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={tmp_path / 'chromium'}",
                "--dump-dom",
                server,
            ],
            capture_output=True,
            text=True,
            timeout=BROWSER_SECONDS,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"Chromium did not load {server} within {BROWSER_SECONDS:.0f} s")
    dom = browser.stdout
    assert browser.returncode == 0, browser.stderr[-2000:]
    assert 'class="textual-terminal"' in dom  # textual-serve's app page
    assert f'data-session-websocket-url="ws://127.0.0.1:{server.rsplit(":", 1)[1]}/ws' in dom

    shown = asyncio.run(first_screen(server))
    assert "Third Work Plan" in shown  # the draft screen's header, drawn by the served app
