"""`workplan serve`: textual-serve, with the browser session guarded.

textual-serve starts the app for whoever opens its websocket. Here a websocket is accepted only
when it comes from a page this server handed out: the browser's `Origin` header must name this
server (as bound, or as `--public-url` says browsers reach it), and the URL must carry the
one-time token minted for that page load. The `Host` header must name this server too (a
DNS-rebinding page would otherwise be "same origin"). Pages may not be framed by other sites.
"""

from __future__ import annotations

import html
import logging
import re
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from workplan.errors import UsageError

#: A stylesheet link to another site (textual-serve's page loads a font from Google's).
_OUTSIDE_STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="https?://[^"]*"\s*/?>\s*')

log = logging.getLogger("workplan.serve")

TOKEN_SECONDS = 60.0
"""How long a page's session token stays good if nobody uses it."""
MAX_PENDING = 1000
"""At most this many unused tokens are kept; the oldest go first."""

DEFAULT_PORTS = {"http": 80, "https": 443}
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("", "0.0.0.0", "::")

PAGE_HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'; font-src 'self' data:",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
"""Sent with every response: no other site may frame the session (clickjacking)."""


@dataclass(frozen=True)
class Origin:
    """A web origin: scheme, host and port (the port always spelled out)."""

    scheme: str
    host: str
    port: int

    @classmethod
    def parse(cls, text: str, *, allow_path: bool = False) -> Origin | None:
        """The origin of `text`, or None when it is not a plain http(s) origin."""
        try:
            parts = urlsplit(text.strip())
            port = parts.port
        except ValueError:
            return None
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS or not parts.hostname or parts.username is not None:
            return None
        if not allow_path and (parts.path or parts.query or parts.fragment):
            return None
        return cls(scheme, parts.hostname.lower(), port or DEFAULT_PORTS[scheme])

    @property
    def netloc(self) -> str:
        """Host and port as a URL spells them (IPv6 in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    def __str__(self) -> str:
        return f"{self.scheme}://{self.netloc}"

    def host_headers(self) -> set[str]:
        """The `Host` header values that name this origin."""
        spelled = {self.netloc}
        if self.port == DEFAULT_PORTS[self.scheme]:
            spelled.add(self.netloc.rsplit(":", 1)[0])
        return spelled


def served_origins(host: str, port: int, public_url: str | None) -> list[Origin]:
    """The origins a browser may load the page from: the bound address (every loopback name
    when it is loopback) and the public URL, if given."""
    origins: list[Origin] = []
    if public_url is not None:
        public = Origin.parse(public_url, allow_path=True)
        if public is None:
            raise UsageError(f"--public-url must be an http or https URL, not {public_url!r}")
        origins.append(public)
    bound = host.strip("[]").lower()
    if bound in WILDCARD:
        if public_url is None:
            raise UsageError(
                f"serving on every interface ({host or 'all'}) needs --public-url naming the "
                "address browsers use"
            )
        return origins
    names = LOOPBACK if bound in LOOPBACK else (bound,)
    return origins + [Origin("http", name, port) for name in names]


class SessionTokens:
    """One-time tokens for the websocket: one minted per page load, good once, for a while."""

    def __init__(
        self,
        seconds: float = TOKEN_SECONDS,
        *,
        limit: int = MAX_PENDING,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.seconds = seconds
        self.limit = limit
        self._clock = clock
        self._pending: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def mint(self) -> str:
        """A new token, good for `seconds`."""
        now = self._clock()
        for token in [t for t, expiry in self._pending.items() if expiry < now]:
            del self._pending[token]
        while len(self._pending) >= self.limit:
            del self._pending[next(iter(self._pending))]
        token = secrets.token_urlsafe(32)
        self._pending[token] = now + self.seconds
        return token

    def redeem(self, token: str) -> str | None:
        """Use `token` up: None when it was good, else why it is refused."""
        expiry = self._pending.pop(token, None)
        if expiry is None:
            return "unknown or already used session token"
        if self._clock() > expiry:
            return "expired session token"
        return None


def page_title(document_title: str | None) -> str:
    """The served page's title: the document's, then the program's (never the command line,
    which names the server's paths)."""
    title = " ".join((document_title or "").split())
    return f"{title} — workplan" if title else "workplan"


TOKEN_IN_PATH = re.compile(r"/ws/[^\s?\"]+")


def redact(text: str) -> str:
    """`text` with any session token in a websocket path replaced by `<token>`."""
    return TOKEN_IN_PATH.sub("/ws/<token>", text)


class _RedactTokens(logging.Filter):
    """Keeps session tokens out of the access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def _peer(request: web.Request) -> str:
    """Who is asking: the socket's address, and what a proxy says it forwards for."""
    peer = request.remote or "?"
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded:
        peer += f" (forwarded for {forwarded[:100]!r})"
    return peer


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class GuardedServer(Server):
    """textual-serve's server, refusing sessions that were not opened by its own page."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        public_url: str | None = None,
        title: str = "workplan",
        token_seconds: float = TOKEN_SECONDS,
    ) -> None:
        self.origins = frozenset(served_origins(host, port, public_url))
        self.hosts = frozenset(h for o in self.origins for h in o.host_headers())
        page = public_url.rstrip("/") if public_url else str(Origin("http", host.strip("[]"), port))
        super().__init__(command, host=host, port=port, title=title, public_url=page)
        self.tokens = SessionTokens(token_seconds)

    def initialize_logging(self) -> None:
        """Plain log lines on stderr, one per event."""
        logging.basicConfig(
            level=logging.DEBUG if self.debug else logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
            stream=sys.stderr,
        )
        logging.getLogger("aiohttp.access").addFilter(_RedactTokens())

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()

        @web.middleware
        async def check_host(request: web.Request, handler: Handler) -> web.StreamResponse:
            host = request.headers.get("Host", "").lower()
            if host not in self.hosts:
                self._refuse(request, f"Host {host!r} is not this server")
            return await handler(request)

        app.middlewares.append(check_host)
        app.router.add_get("/ws/{token}", self.handle_websocket, name="session")
        app.on_response_prepare.append(self._add_headers)
        return app

    async def _add_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        response.headers.update(PAGE_HEADERS)
        if request.match_info.route.name in ("index", "download"):
            response.headers["Cache-Control"] = "no-store"

    def _refuse(self, request: web.Request, reason: str) -> None:
        """Log the refusal (one line, with the peer) and answer 403."""
        path = redact(request.path)[:60]
        log.warning("refused %s %s from %s: %s", request.method, path, _peer(request), reason)
        raise web.HTTPForbidden(text=f"Refused: {reason}.\n")

    def _origin_refusal(self, request: web.Request, *, required: bool) -> str | None:
        origin = request.headers.get("Origin")
        if origin is None:
            return "no Origin header" if required else None
        if Origin.parse(origin) not in self.origins:
            return f"Origin {origin[:100]!r} is not this server"
        return None

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """The app page, its websocket URL carrying a fresh one-time token."""
        router = request.app.router
        page = self.public_url
        ws = ("wss:" if page.startswith("https:") else "ws:") + page.split(":", 1)[1]
        static = router["static"].url_for(filename="/")
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{ws}{router['session'].url_for(token=self.tokens.mint())}",
            "config": {"static": {"url": f"{page}{static}".rstrip("/") + "/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        # textual-serve's page has no <title>: the browser's tab would show the address
        title = f"<head>\n    <title>{html.escape(self.title)}</title>"
        page_html = (response.text or "").replace("<head>", title, 1)
        # nor does it need a font from Google: a negotiation's page asks nothing of another
        # site (the terminal falls back to the browser's monospace font)
        response.text = _OUTSIDE_STYLESHEET.sub("", page_html)
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Start the app for this websocket, if its page came from here and its token is good."""
        reason = self._origin_refusal(request, required=True)
        if reason is None:
            token = request.match_info.get("token")
            reason = self.tokens.redeem(token) if token else "no session token"
        if reason is not None:
            self._refuse(request, reason)
        log.info("session opened from %s (Origin %s)", _peer(request), request.headers["Origin"])
        return await super().handle_websocket(request)

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file the app delivers, unless another site asks for it."""
        reason = self._origin_refusal(request, required=False)
        if reason is None and request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):
            reason = "requested from another site"
        if reason is not None:
            self._refuse(request, reason)
        return await super().handle_download(request)
