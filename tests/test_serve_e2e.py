"""End to end: `workplan serve` on a free loopback port, used in Debian's Chromium driven by
Playwright for Python, as a person would: open the page, press Start, see the draft screen drawn
in the page's terminal, press keys and see what they do.

The browser is Debian's `chromium` package (`make test` installs it when it can), never one
Playwright downloads: without it this test FAILS, saying what to install. Everything is bounded
by timeouts and the server's whole process group (the server and the app it starts per
browser) is terminated at the end. `scripts/served_screenshot.py` uses the same helpers to
make docs/served-app.png.
"""

from __future__ import annotations

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
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from workplan.cli import cli
from workplan.service import Service
from workplan.serving import page_title

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
START_SECONDS = 20.0
APP_SECONDS = 60.0
"""How long the app may take to draw a screen in the browser (a loaded machine is slow)."""
DOC = "third-work-plan"
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}

XTERM_HOOK = """
// textual-serve's page keeps its xterm.js Terminal in a closure (`this.terminal = new
// Terminal(...)`): catch it as it is stored, so the test can read the screen xterm draws.
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  set(value) {
    Object.defineProperty(this, "terminal", {
      value, writable: true, configurable: true, enumerable: true,
    });
    if (value && value.buffer && value.buffer.active && !window.__xterm) {
      window.__xterm = value;
    }
  },
});
"""

SCREEN_JS = """() => {
  const term = window.__xterm;
  if (!term) return null;
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}"""
"""The rows the page's terminal shows, as text (null before the terminal exists)."""


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


async def page_token(session: Any, url: str) -> str:
    """Load the app page as a browser would and return the one-time token in its websocket URL."""
    async with session.get(url + "/") as response:
        page = await response.text()
    found = re.search(r'data-session-websocket-url="wss?://[^"]+/ws/([A-Za-z0-9_-]+)"', page)
    assert found, page[-2000:]
    return found.group(1)


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, driven by Playwright (or fail saying what to install)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"the browser test needs Chromium and found none at {CHROMIUM}: "
            "sudo apt-get install chromium",
            False,
        )
    return playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])


def screen(page: Page) -> str:
    """What the page's terminal shows now, row by row."""
    return str(page.evaluate(SCREEN_JS) or "")


def wait_drawn(page: Page, *texts: str, seconds: float = APP_SECONDS) -> str:
    """The terminal's text once every one of `texts` is drawn (or fail, showing the screen)."""
    wanted = list(texts)
    try:
        page.wait_for_function(
            "texts => { const s = ("
            + SCREEN_JS
            + ")(); return !!s && texts.every(t => s.includes(t)) }",
            arg=wanted,
            timeout=seconds * 1000,
            polling=100,
        )
    except PlaywrightTimeout:
        pytest.fail(f"the browser never showed {wanted} within {seconds:.0f} s:\n{screen(page)}")
    return screen(page)


def open_landing(page: Page, url: str) -> None:
    """Open textual-serve's landing page: the page with its Start button (`?delay`)."""
    page.goto(url + "/?delay=1")


def start_app(page: Page) -> None:
    """Press Start on the landing page and wait until the terminal has something on it."""
    page.click("#start")  # loads the page again (a new token), which opens the session
    page.wait_for_selector("body.-first-byte", timeout=APP_SECONDS * 1000)
    page.focus(".xterm-helper-textarea")  # where xterm.js takes the keyboard


@contextmanager
def browser_page() -> Iterator[Page]:
    """A fresh page in headless Chromium with the terminal hook installed."""
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.set_default_timeout(APP_SECONDS * 1000)
            page.add_init_script(XTERM_HOOK)
            yield page
        finally:
            browser.close()


@pytest.fixture
def server(
    svc: Service,  # noqa: ARG001 (requested for the record it initialises)
    db_path: Path,
    tmp_path: Path,
) -> Iterator[str]:
    """`workplan serve` on the test record; yields its URL; its log is tmp_path/serve.log."""
    with serving(db_path, tmp_path / "serve.log") as url:
        yield url


def landing_page(url: str) -> str:
    """The HTML `serve` gives for its page."""
    import urllib.request

    with urllib.request.urlopen(url + "/", timeout=START_SECONDS) as response:
        return str(response.read().decode("utf-8"))


def test_the_landing_page_shows_the_documents_title_not_the_servers_paths(
    svc: Service, server: str, db_path: Path
) -> None:
    title = svc.document(DOC).title
    html = landing_page(server)
    assert f"<title>{title} — workplan</title>" in html
    assert f"<div>{title} — workplan</div>" in html  # the start dialog's caption
    for secret in (str(db_path), str(db_path.parent), sys.executable, "-m workplan"):
        assert secret not in html
    # the page asks nothing of another site (textual-serve's own page loads a Google font)
    assert "googleapis" not in html
    assert not re.search(r'(?:href|src)="https?://(?!127\.0\.0\.1|localhost)', html)


def test_a_title_with_markup_is_shown_as_text(svc: Service, db_path: Path, tmp_path: Path) -> None:
    svc.set_metadata(DOC, title="Plan <script>alert(1)</script> & Co")
    with serving(db_path, tmp_path / "serve.log") as url:
        html = landing_page(url)
    shown = "Plan &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co — workplan"
    assert f"<title>{shown}</title>" in html
    assert f"<div>{shown}</div>" in html
    assert "<script>alert" not in html


def test_the_page_title_is_the_documents_on_one_line() -> None:
    assert page_title("  Third Work Plan\n to Combat  ") == "Third Work Plan to Combat — workplan"
    assert page_title("") == page_title(None) == "workplan"


@pytest.mark.usefixtures("svc")
def test_serve_refuses_a_document_or_a_record_that_is_not_there(
    db_path: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    for db, doc in ((db_path, "no-such-plan"), (tmp_path / "none.db", DOC)):
        result = runner.invoke(cli, ["--db", str(db), "serve", "--doc", doc, "--port", "9"])
        assert result.exit_code == 66, result.output
        assert len(result.output.strip().splitlines()) == 1


@pytest.mark.slow
def test_the_served_app_runs_in_chromium(svc: Service, server: str, tmp_path: Path) -> None:
    """Open the page, press Start, see the draft screen, move the cursor, open the dashboard."""
    title = svc.document(DOC).title
    draft = svc.draft(DOC)
    first, second = (draft.refs[p.uid] for p in draft.paragraphs[:2])
    with browser_page() as page:
        open_landing(page, server)
        assert page.title() == f"{title} — workplan"
        assert page.locator(".intro-dialog .intro").inner_text().startswith(title)
        start_app(page)
        # the browser's own websocket, with the page's token and Origin, was let in
        wait_logged(tmp_path / "serve.log", f"session opened from 127.0.0.1 (Origin {server})")

        shown = wait_drawn(page, title[:40], f"{first} · ", second)
        assert "Acting as: Secretariat" in shown
        page.screenshot(path=tmp_path / "draft.png")

        page.keyboard.press("ArrowDown")  # the outline's cursor: the detail pane follows
        wait_drawn(page, f"{second} · ")

        page.keyboard.press("d")
        shown = wait_drawn(page, "Amendments to decide", "Under silence")
        assert f"{second} · " not in shown  # the dashboard replaced the draft screen
