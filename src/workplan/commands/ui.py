"""The interfaces: the terminal UI, and serving it to a browser."""

from __future__ import annotations

import sys

import click

from workplan.commands._shared import DEFAULT_DOC, Context, pass_ctx

EXPORT_DIR_HELP = (
    "The one folder the TUI writes exports into "
    "[default: $WORKPLAN_EXPORT_DIR, else exports/ beside the database]."
)


@click.command()
@click.option("--doc", default=DEFAULT_DOC, show_default=True, help="Document to open.")
@click.option("--export-dir", metavar="DIR", help=EXPORT_DIR_HELP)
@pass_ctx
def tui(c: Context, doc: str, export_dir: str | None) -> None:
    """Open the terminal UI (seeding a new database at the default path on first run)."""
    ident = c.identity
    if c.db_path.is_file():
        # An initialised record opens on the read path: the first frame imports neither
        # pydantic nor the write side, which the app loads after it (see `workplan.tui.app`).
        from workplan.service.reading import open_reading

        reading = open_reading(c.db_path, ident.principal, lambda: c.service())
        if reading.is_initialised():
            from workplan.tui.app import make_lazy_app
            from workplan.tui.door import Door

            door = Door(
                c.db_path,
                ident.principal,
                on_behalf_of=ident.on_behalf_of,
                pinned=ident.pinned,
                reading=reading,
            )
            make_lazy_app(door, document=doc, mode=ident.mode, export_dir=export_dir).run()
            return
        reading.close()
    svc = c.service(must_exist=c.db_arg is not None)
    if not svc.is_initialised():
        svc.initialise()
    from workplan.tui.app import make_app

    make_app(svc, document=doc, mode=ident.mode, export_dir=export_dir).run()


@click.command()
@click.option("--doc", default=DEFAULT_DOC, show_default=True, help="Document the app opens.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--public-url",
    help="The URL browsers use when a reverse proxy is in front (e.g. https://wg.example.org): "
    "the page points there, and its origin may open sessions.",
)
@pass_ctx
def serve(c: Context, doc: str, host: str, port: int, public_url: str | None) -> None:
    """Serve the TUI to a browser with textual-serve (loopback by default; exports are
    offered as downloads, never written on the server).

    A session opens only from this server's own page: the browser's Origin must be this
    server (or --public-url), and each page load carries a one-time token.
    """
    from workplan.serving import GuardedServer, page_title

    # the page shows the document's title (the default record is seeded by the first session)
    seeded = c.db_arg is not None or c.db_path.exists()
    title = page_title(c.service().document(doc).title or doc if seeded else None)
    parts = [sys.executable, "-m", "workplan"]
    if c.db_arg:
        parts += ["--db", str(c.db_path)]
    if c.as_arg:
        parts += ["--as", c.as_arg]
    import shlex

    command = " ".join(shlex.quote(p) for p in [*parts, "tui", "--doc", doc])
    GuardedServer(command, host=host, port=port, public_url=public_url, title=title).serve()
