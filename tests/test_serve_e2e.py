"""End to end: `workplan serve` on a free loopback port, loaded in headless Chromium.

The page's own websocket must open (the Origin and one-time token checks of
`workplan.serving` let a real browser in). Chromium (Debian's `chromium` package) must be
installed: without it this test FAILS, saying so, rather than skipping. Everything is bounded
by timeouts and the server's whole process group (the server and the app it starts per
browser) is terminated at the end.
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
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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


@contextmanager
def serving(db_path: Path, log_path: Path, *options: str) -> Iterator[str]:
    """`workplan serve` on a free loopback port with `options`; yields its URL; kills its
    process group after. Its output goes to `log_path`."""
    port = free_port()
    log = log_path.open("wb")
    cmd = [sys.executable, "-m", "workplan", "--db", str(db_path), "--as", "SECRETARIAT"]
    proc = subprocess.Popen(
        [*cmd, "serve", "--host", "127.0.0.1", "--port", str(port), *options],
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


def wait_logged(log_path: Path, text: str, seconds: float = START_SECONDS) -> str:
    """The server's log once it contains `text` (or fail, showing the log)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        logged = log_path.read_text(errors="replace")
        if text in logged:
            return logged
        time.sleep(0.1)
    pytest.fail(f"the server did not log {text!r} within {seconds:.0f} s:\n{logged[-3000:]}")


@pytest.fixture
def server(
    svc: Service,  # noqa: ARG001 (requested for the record it initialises)
    db_path: Path,
    tmp_path: Path,
) -> Iterator[str]:
    """`workplan serve` on the test record; yields its URL; its log is tmp_path/serve.log."""
    with serving(db_path, tmp_path / "serve.log") as url:
        yield url


async def page_token(session: Any, url: str) -> str:
    """Load the app page as a browser would and return the one-time token in its websocket URL."""
    async with session.get(url + "/") as response:
        page = await response.text()
    found = re.search(r'data-session-websocket-url="wss?://[^"]+/ws/([A-Za-z0-9_-]+)"', page)
    assert found, page[-2000:]
    return found.group(1)


async def first_screen(url: str, seconds: float = 45.0) -> str:
    """What the app sends over textual-serve's websocket, as plain text, until the draft
    screen's title has arrived (or time runs out). Connects as the served page does: with
    the page's one-time token and this server as the Origin."""
    import aiohttp

    seen = ""
    async with aiohttp.ClientSession() as session:
        token = await page_token(session, url)
        ws_url = url.replace("http:", "ws:") + f"/ws/{token}?width=120&height=40"
        async with session.ws_connect(ws_url, headers={"Origin": url}) as ws:
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
                "--virtual-time-budget=10000",  # let the page's script open its websocket
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
    assert re.search(r'class="textual-terminal[ "]', dom)  # textual-serve's app page
    assert f'data-session-websocket-url="ws://127.0.0.1:{server.rsplit(":", 1)[1]}/ws/' in dom
    # the browser's own websocket, with the page's token and Origin, was let in
    wait_logged(tmp_path / "serve.log", f"session opened from 127.0.0.1 (Origin {server})")

    shown = asyncio.run(first_screen(server))
    assert "Third Work Plan" in shown  # the draft screen's header, drawn by the served app
