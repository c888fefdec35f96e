"""`workplan serve` lets a websocket in only from its own page: the Origin must be this server,
and the URL must carry the one-time token of a page load. Checked against a running server
with aiohttp, as a hostile page (or script) would try it. Everything is bounded by timeouts;
the server's process group is killed at the end."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from tests.test_serve_e2e import page_token, serving, wait_logged

from workplan.errors import UsageError
from workplan.service import Service
from workplan.serving import Origin, SessionTokens, redact, served_origins

SECONDS = 20.0
EVIL = "http://evil.example"


@pytest.fixture
def server(
    svc: Service,  # noqa: ARG001 (requested for the record it initialises)
    db_path: Path,
    tmp_path: Path,
) -> Iterator[str]:
    """`workplan serve` on the test record; yields its URL; its log is tmp_path/serve.log."""
    with serving(db_path, tmp_path / "serve.log") as url:
        yield url


def ws_url(url: str, token: str | None) -> str:
    return (
        url.replace("http:", "ws:") + (f"/ws/{token}" if token else "/ws") + "?width=80&height=24"
    )


async def connect(
    session: aiohttp.ClientSession,
    url: str,
    token: str | None,
    origin: str | None,
    **extra: str,
) -> str:
    """Open the websocket: "refused <status>" if the handshake is refused, else "accepted" once
    the app has sent something."""
    headers = {"Origin": origin} if origin else {}
    headers.update((k.replace("_", "-"), v) for k, v in extra.items())
    timeout = aiohttp.ClientWSTimeout(ws_receive=SECONDS, ws_close=5)
    try:
        async with session.ws_connect(ws_url(url, token), headers=headers, timeout=timeout) as ws:
            msg = await ws.receive(timeout=SECONDS)
            assert msg.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT), msg
            return "accepted"
    except aiohttp.WSServerHandshakeError as refused:
        return f"refused {refused.status}"


def run(coro: Any) -> Any:
    return asyncio.run(asyncio.wait_for(coro, 2 * SECONDS))


def test_a_foreign_or_missing_origin_is_refused_even_with_a_good_token(
    server: str, tmp_path: Path
) -> None:
    async def attempt() -> list[str]:
        async with aiohttp.ClientSession() as session:
            token = await page_token(session, server)
            results = [
                await connect(session, server, None, EVIL),
                await connect(session, server, token, EVIL),
                await connect(session, server, token, None),
                await connect(session, server, token, "null"),
                await connect(session, server, token, "http://127.0.0.1:1"),  # another port
            ]
            # none of those used the token up: the page's own connection still opens
            results.append(await connect(session, server, token, server))
            return results

    assert run(attempt()) == ["refused 403"] * 5 + ["accepted"]
    log = wait_logged(tmp_path / "serve.log", "session opened")
    assert f"refused GET /ws/<token> from 127.0.0.1: Origin '{EVIL}' is not this server" in log
    assert "refused GET /ws/<token> from 127.0.0.1: no Origin header" in log
    assert "refused GET /ws from 127.0.0.1: Origin" in log


def test_the_right_origin_still_needs_a_token_of_this_server(server: str, tmp_path: Path) -> None:
    async def attempt() -> list[str]:
        async with aiohttp.ClientSession() as session:
            return [
                await connect(session, server, None, server),
                await connect(session, server, "made-up-token", server),
            ]

    assert run(attempt()) == ["refused 403", "refused 403"]
    log = (tmp_path / "serve.log").read_text()
    assert "refused GET /ws from 127.0.0.1: no session token" in log
    assert "refused GET /ws/<token> from 127.0.0.1: unknown or already used session token" in log
    assert "made-up-token" not in log  # tokens are kept out of the log
    assert "session opened" not in log


def test_a_page_token_opens_one_session_only(server: str, tmp_path: Path) -> None:
    async def attempt() -> list[str]:
        async with aiohttp.ClientSession() as session:
            token = await page_token(session, server)
            localhost = server.replace("127.0.0.1", "localhost")  # the same server by name
            other = await page_token(session, server)
            return [
                await connect(session, server, token, server),
                await connect(session, server, token, server),  # used up
                await connect(session, server, other, localhost),
            ]

    assert run(attempt()) == ["accepted", "refused 403", "accepted"]
    log = (tmp_path / "serve.log").read_text()
    assert log.count("session opened from 127.0.0.1") == 2
    assert "unknown or already used session token" in log


def test_each_page_load_gets_its_own_token(server: str) -> None:
    async def tokens() -> set[str]:
        async with aiohttp.ClientSession() as session:
            return {await page_token(session, server) for _ in range(3)}

    found = run(tokens())
    assert len(found) == 3  # 32 random bytes
    assert all(len(t) >= 43 for t in found)


def test_a_foreign_host_header_is_refused(server: str, tmp_path: Path) -> None:
    """A DNS-rebinding page is "same origin" with itself: the Host header gives it away."""
    port = server.rsplit(":", 1)[1]

    async def attempt() -> tuple[int, int, int]:
        async with aiohttp.ClientSession() as session:
            host = {"Host": f"evil.example:{port}"}
            async with session.get(server + "/", headers=host) as page:
                page_status = page.status
            async with session.get(server + "/download/abc", headers=host) as download:
                download_status = download.status
            try:
                await session.ws_connect(
                    ws_url(server, "x"), headers={**host, "Origin": f"http://evil.example:{port}"}
                )
                ws_status = 101
            except aiohttp.WSServerHandshakeError as refused:
                ws_status = refused.status
            return page_status, download_status, ws_status

    assert run(attempt()) == (403, 403, 403)
    log = (tmp_path / "serve.log").read_text()
    assert f"refused GET / from 127.0.0.1: Host 'evil.example:{port}' is not this server" in log


def test_pages_may_not_be_framed_or_cached(server: str) -> None:
    async def headers() -> tuple[Any, Any]:
        async with aiohttp.ClientSession() as session:
            async with session.get(server + "/") as page:
                index = page.headers
            async with session.get(server + "/static/js/textual.js") as script:
                static = script.headers
            return index, static

    index, static = run(headers())
    for h in (index, static):
        assert h["X-Frame-Options"] == "DENY"
        assert h["Content-Security-Policy"] == "frame-ancestors 'none'; font-src 'self' data:"
        assert h["Referrer-Policy"] == "no-referrer"
        assert h["X-Content-Type-Options"] == "nosniff"
    assert index["Cache-Control"] == "no-store"  # the page carries a one-time token


def test_downloads_are_refused_to_other_sites(server: str) -> None:
    async def statuses() -> list[int]:
        found = []
        async with aiohttp.ClientSession() as session:
            for headers in ({"Origin": EVIL}, {"Sec-Fetch-Site": "cross-site"}, {}):
                async with session.get(server + "/download/nokey", headers=headers) as r:
                    found.append(r.status)
        return found

    # from elsewhere: refused; from here: only an unknown key
    assert run(statuses()) == [403, 403, 404]


@pytest.mark.usefixtures("svc")
def test_behind_a_proxy_the_public_origin_is_the_page_s(db_path: Path, tmp_path: Path) -> None:
    public = "https://wg.example.org"

    async def attempt(url: str) -> tuple[str, list[str]]:
        async with aiohttp.ClientSession() as session:
            # the proxy passes the public host on, as nginx's `proxy_set_header Host $host`
            async with session.get(url + "/", headers={"Host": "wg.example.org"}) as response:
                page = await response.text()
            found = re.search(r'data-session-websocket-url="([^"]+)"', page)
            assert found
            token = found.group(1).rsplit("/", 1)[1]
            return found.group(1), [
                await connect(session, url, token, url),  # loopback is still this server
                await connect(session, url, await page_token(session, url), public),
                await connect(
                    session,
                    url,
                    await page_token(session, url),
                    EVIL,
                    X_Forwarded_For="203.0.113.9",
                ),
            ]

    with serving(db_path, tmp_path / "serve.log", "--public-url", public) as url:
        page_ws, results = run(attempt(url))
    assert page_ws.startswith("wss://wg.example.org/ws/")
    assert results == ["accepted", "accepted", "refused 403"]
    log = (tmp_path / "serve.log").read_text()
    assert "session opened from 127.0.0.1 (Origin https://wg.example.org)" in log
    assert "from 127.0.0.1 (forwarded for '203.0.113.9'): Origin 'http://evil.example'" in log


@pytest.mark.usefixtures("svc")
def test_serving_every_interface_needs_the_public_url(db_path: Path) -> None:
    cmd = [sys.executable, "-m", "workplan", "--db", str(db_path), "--as", "SECRETARIAT", "serve"]
    for options, said in (
        (["--host", "0.0.0.0"], "needs --public-url"),
        (["--public-url", "ftp://wg.example.org"], "must be an http or https URL"),
    ):
        done = subprocess.run(
            [*cmd, *options, "--port", "1"], capture_output=True, text=True, timeout=SECONDS
        )
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("workplan: ")
        assert said in done.stderr
        assert "Traceback" not in done.stderr


def test_tokens_are_used_once_and_expire() -> None:
    now = [0.0]
    tokens = SessionTokens(60, limit=3, clock=lambda: now[0])
    first, second = tokens.mint(), tokens.mint()
    assert tokens.redeem(first) is None
    assert tokens.redeem(first) == "unknown or already used session token"
    now[0] = 61.0
    assert tokens.redeem(second) == "expired session token"
    # expired ones are dropped when the next is minted, and at most `limit` wait unused
    stale = tokens.mint()
    now[0] = 200.0
    fresh = [tokens.mint() for _ in range(4)]
    assert len(tokens) == 3
    assert tokens.redeem(stale) is not None
    assert tokens.redeem(fresh[0]) is not None
    assert tokens.redeem(fresh[-1]) is None


def test_origins() -> None:
    assert Origin.parse("HTTP://LocalHost") == Origin("http", "localhost", 80)
    assert Origin.parse("https://[::1]:8443") == Origin("https", "::1", 8443)
    assert str(Origin("https", "::1", 8443)) == "https://[::1]:8443"
    for bad in ("null", "", "file://x", "http://a.b/path", "http://u@a.b", "http://a.b:99999"):
        assert Origin.parse(bad) is None, bad
    assert Origin.parse("https://wg.example.org/wg/", allow_path=True) == Origin(
        "https", "wg.example.org", 443
    )
    assert Origin("https", "wg.example.org", 443).host_headers() == {
        "wg.example.org",
        "wg.example.org:443",
    }
    loop = {str(o) for o in served_origins("127.0.0.1", 8000, None)}
    assert loop == {"http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000"}
    assert [str(o) for o in served_origins("wg.lan", 80, None)] == ["http://wg.lan:80"]
    assert [str(o) for o in served_origins("0.0.0.0", 80, "https://wg.example.org")] == [
        "https://wg.example.org:443"
    ]
    with pytest.raises(UsageError):
        served_origins("::", 8000, None)
    assert redact('"GET /ws/abc-DEF_1?width=80 HTTP/1.1"') == '"GET /ws/<token>?width=80 HTTP/1.1"'
