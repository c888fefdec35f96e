"""The command line: one click group. Bare `workplan` opens the TUI; subcommands are headless."""

from __future__ import annotations

import errno
import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from workplan.errors import NotFoundError, UsageError, WorkplanError

DEFAULT_DOC = "third-work-plan"


class Context:
    """What every command needs: where the record is and who acts."""

    def __init__(
        self, db: str | None, as_: str | None, for_: str | None, as_source: str = "--as"
    ) -> None:
        self.db_arg = db
        self.as_arg = as_
        self.as_source = as_source
        """Where `as_arg` came from: `--as` or `WORKPLAN_AS` (named in a refusal)."""
        self.for_arg = for_
        self._service: Any = None
        self._identity: Any = None

    @property
    def db_path(self) -> Path:
        """The database path: --db, $WORKPLAN_DB, or the user data dir."""
        from workplan.paths import default_db_path

        return Path(self.db_arg).expanduser() if self.db_arg else default_db_path()

    def service(self, *, must_exist: bool = True) -> Any:
        """The service over the record (opened once)."""
        if self._service is None:
            from workplan.service import open_service
            from workplan.service.identity import require_may_create

            path = self.db_path
            if must_exist and not path.exists():
                raise NotFoundError(
                    f"no database at {path}: run `workplan init` first (or pass --db)"
                )
            ident = self.identity  # refusals come before anything is created
            if not must_exist:
                if not path.exists():
                    require_may_create(ident)
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._service = open_service(
                path,
                ident.principal,
                on_behalf_of=ident.on_behalf_of,
                pinned=ident.pinned,
                create=not must_exist,
            )
        return self._service

    @property
    def identity(self) -> Any:
        """Who acts: pinned by the roster file beside the database, or --as."""
        if self._identity is None:
            from workplan.service.identity import resolve_identity

            self._identity = resolve_identity(
                self.db_path, self.as_arg, self.for_arg, as_source=self.as_source
            )
        return self._identity


pass_ctx = click.make_pass_decorator(Context)


class WorkplanGroup(click.Group):
    """A click group that turns project errors into one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; a WorkplanError becomes `workplan: message` and its exit code.

        So do a full or read-only disk, a permission, a file name too long (OSError, or SQLite
        saying so), a number too large to read and input nested too deep: one line, never a
        traceback. Standard output closed by its reader (`| head`) ends quietly (exit 1);
        standard output that cannot be written (`> /dev/full`) is one line, exit 74.
        """
        try:
            return super().invoke(ctx)
        except WorkplanError as exc:
            _fail(ctx, _reworded(ctx, exc, sqlite_only=True) or exc)
        except OSError as exc:
            if _from_stdout(exc) or _stdout_broken():
                _stdout_failed(exc)
            _fail(ctx, _reworded(ctx, exc) or WorkplanError(str(exc)))
        except Exception as exc:
            found = _reworded(ctx, exc) or _too_big(exc)
            if found is None:
                raise
            _fail(ctx, found)


def _fail(ctx: click.Context, exc: WorkplanError) -> None:
    click.echo(f"workplan: {exc.message}", err=True)
    ctx.exit(exc.exit_code)


def _reworded(ctx: click.Context, exc: BaseException, **kw: bool) -> WorkplanError | None:
    """The one-line error for a disk, permission or SQLite failure in `exc` (or its cause)."""
    from workplan.store.failures import describe_failure

    obj = ctx.obj if isinstance(ctx.obj, Context) else None
    try:
        db = obj.db_path if obj is not None else Path("workplan.db")
    except Exception:  # noqa: BLE001 - naming the database must not hide the error itself
        db = Path(str(obj.db_arg if obj else "workplan.db"))
    return describe_failure(exc, db, **kw)


def _too_big(exc: BaseException) -> WorkplanError | None:
    """A number past what Python reads or stores, or input nested past its stack."""
    from workplan.errors import InputError

    if isinstance(exc, OverflowError) or (
        isinstance(exc, ValueError) and "integer string conversion" in str(exc)
    ):
        return InputError("a number given is too large")
    if isinstance(exc, RecursionError):
        return InputError("the input is nested too deep")
    return None


def _from_stdout(exc: BaseException) -> bool:
    """True when `exc` was raised writing standard output with click.echo."""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "echo" and code.co_filename.endswith(os.path.join("click", "utils.py")):
            return tb.tb_frame.f_locals.get("err") is False
        tb = tb.tb_next
    return False


def _stdout_broken() -> bool:
    """True when standard output cannot take what is waiting for it."""
    try:
        sys.stdout.flush()
    except OSError:
        return True
    except ValueError:  # closed
        return True
    return False


def _stdout_failed(exc: OSError) -> None:
    """Standard output failed: drop what is left of it; a closed pipe ends quietly (exit 1),
    anything else says so in one line on stderr (exit 74)."""
    try:
        fd = sys.stdout.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)  # later flushes (at exit too) go nowhere instead of failing again
        os.close(null)
    except (OSError, ValueError, AttributeError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces stdout until exit
    if exc.errno == errno.EPIPE:
        sys.exit(1)
    click.echo(f"workplan: cannot write to standard output: {exc.strerror or exc}", err=True)
    sys.exit(74)


def emit_json(data: Any) -> None:
    """Print JSON (UTF-8, stable key order as built)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group(
    cls=WorkplanGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option("--db", envvar="WORKPLAN_DB", metavar="PATH", help="The database file.")
@click.option(
    "--as",
    "as_",
    envvar="WORKPLAN_AS",
    metavar="WHO",
    help="Act as a delegation code (CAN, MEX), CHAIR, SECRETARIAT or OBSERVER.",
)
@click.option(
    "--for",
    "for_",
    metavar="CODE",
    help="Secretariat only: record the action on behalf of this delegation.",
)
@click.version_option(package_name="workplan")
@click.pass_context
def cli(ctx: click.Context, db: str | None, as_: str | None, for_: str | None) -> None:
    """Negotiate a multilateral text paragraph by paragraph.

    Bare `workplan` opens the terminal UI on the default database (seeded on first run).

    \b
    Example:
        workplan init
        workplan show --json
        workplan --as CAN amend OP12 --text "..." --cosponsor MEX
    """
    from_env = ctx.get_parameter_source("as_") == click.core.ParameterSource.ENVIRONMENT
    ctx.obj = Context(db, as_, for_, as_source="WORKPLAN_AS" if from_env else "--as")
    if ctx.invoked_subcommand is None:
        ctx.invoke(tui)


EXPORT_DIR_HELP = (
    "The one folder the TUI writes exports into "
    "[default: $WORKPLAN_EXPORT_DIR, else exports/ beside the database]."
)


@cli.command()
@click.option("--doc", default=DEFAULT_DOC, show_default=True, help="Document to open.")
@click.option("--export-dir", metavar="DIR", help=EXPORT_DIR_HELP)
@pass_ctx
def tui(c: Context, doc: str, export_dir: str | None) -> None:
    """Open the terminal UI (seeding a new database at the default path on first run)."""
    svc = c.service(must_exist=c.db_arg is not None)
    if not svc.is_initialised():
        svc.initialise()
    from workplan.tui.app import make_app

    make_app(svc, document=doc, mode=c.identity.mode, export_dir=export_dir).run()


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--public-url",
    help="The URL browsers use when a reverse proxy is in front (e.g. https://wg.example.org): "
    "the page points there, and its origin may open sessions.",
)
@pass_ctx
def serve(c: Context, host: str, port: int, public_url: str | None) -> None:
    """Serve the TUI to a browser with textual-serve (loopback by default; exports are
    offered as downloads, never written on the server).

    A session opens only from this server's own page: the browser's Origin must be this
    server (or --public-url), and each page load carries a one-time token.
    """
    from workplan.serving import GuardedServer

    parts = [sys.executable, "-m", "workplan"]
    if c.db_arg:
        parts += ["--db", str(c.db_path)]
    if c.as_arg:
        parts += ["--as", c.as_arg]
    import shlex

    command = " ".join(shlex.quote(p) for p in parts + ["tui"])
    GuardedServer(command, host=host, port=port, public_url=public_url).serve()


@cli.command()
@click.option(
    "--from-file",
    "starting_plan",
    type=click.Path(dir_okay=False),
    help="Starting plan in the draft format (default: the shipped Second Work Plan).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def init(c: Context, starting_plan: str | None, as_json: bool) -> None:
    """Create the database: roster, the Second Work Plan, and the Third started from it.

    \b
    Example:
        workplan --db wg.db init
    """
    svc = c.service(must_exist=False)
    third = svc.initialise(starting_plan)
    if as_json:
        emit_json(
            {
                "database": str(c.db_path),
                "document": third.document.id,
                "paragraphs": len(third.paragraphs),
            }
        )
    else:
        click.echo(
            f"Initialised {c.db_path}: {third.document.title} "
            f"({len(third.paragraphs)} paragraphs, from {third.document.derived_from})."
        )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def docs(c: Context, as_json: bool) -> None:
    """List the documents in the record."""
    rows = c.service().documents()
    if as_json:
        emit_json([{**d.model_dump(mode="json"), "paragraphs": n} for d, n in rows])
        return
    for d, n in rows:
        period = f" {d.period}" if d.period else ""
        click.echo(f"{d.id:<22} {n:>5} ¶  {d.title}{period}")


def _paragraph_json(draft: Any, p: Any, formerly: dict[str, str]) -> dict[str, Any]:
    return {
        "uid": p.uid,
        "ref": draft.refs.get(p.uid, ""),
        "formerly": formerly.get(p.uid, ""),
        "kind": str(p.kind),
        "section": p.section,
        "text": p.text,
        "lineage": str(p.lineage) if p.lineage else None,
        "version": p.version,
        "decision": str(p.decision),
    }


@cli.command()
@click.argument("doc", default=DEFAULT_DOC)
@click.option(
    "--rev", "rev", metavar="N", help='Show revision N ("rev. 2" or 2) exactly as frozen.'
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def show(c: Context, doc: str, rev: str | None, as_json: bool) -> None:
    """Show a document's outline: refs, uids, kinds, lineage and text."""
    if rev is not None:
        _show_revision(c, doc, rev, as_json)
        return
    draft = c.service().draft(doc)
    formerly = c.service().formerly(doc)
    if as_json:
        emit_json(
            {
                "document": draft.document.model_dump(mode="json"),
                "sections": [s.model_dump(mode="json") for s in draft.sections],
                "paragraphs": [_paragraph_json(draft, p, formerly) for p in draft.paragraphs],
            }
        )
        return
    d = draft.document
    click.echo(click.style(d.title or f"{d.id} (no title yet)", bold=True))
    click.echo(f"{d.symbol}  {d.period}  Original: {d.original_language}")
    current: str | None = None
    width = max([7, *(len(r) for r in draft.refs.values())])
    for p in draft.paragraphs:
        if p.section != current:
            current = p.section
            for depth, s in enumerate(draft.section_path(current)):
                click.echo("\n" + "  " * depth + click.style(s.title, underline=True))
        ref = draft.refs.get(p.uid) or "·"
        origin = f"  ← {p.lineage}" if p.lineage else ""
        was = f"  (formerly {formerly[p.uid]})" if p.uid in formerly else ""
        click.echo(f"{ref:>{width}}  [{p.uid}] {p.kind}{origin}{was}")
        click.echo(f"        {p.text}")


def _show_revision(c: Context, doc: str, number: str, as_json: bool) -> None:
    r = c.service().revision(doc, number)
    if as_json:
        emit_json(
            {
                "revision": r.number,
                "symbol": r.symbol,
                "at": r.at.isoformat(),
                "chain_head": r.chain_head,
                **r.snapshot,
            }
        )
        return
    click.echo(click.style(r.snapshot["document"]["title"], bold=True))
    click.echo(f"{r.symbol}  frozen {r.at:%Y-%m-%d %H:%M}Z")
    click.echo(f"Record chain head at rev. {r.number}: {r.chain_head}")
    for p in r.snapshot["paragraphs"]:
        click.echo(f"{p['ref'] or '·':>6}  [{p['status']}] {p['text']}")
        for a in p["open_amendments"]:
            click.echo(f"        {a['id']} ({a['proposer']}): {a['text'] or a['kind']}")
        for res in p["reservations"]:
            click.echo(f"        reservation {res['id']} ({res['delegation']})")


@cli.command(name="new")
@click.argument("new_id")
@click.option("--from", "source", required=True, help="The document to start from.")
@click.option("--title")
@click.option("--period", metavar="YYYY-YYYY", help="The plan's period, e.g. 2022-2027.")
@click.option("--symbol")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def new(
    c: Context,
    new_id: str,
    source: str,
    title: str | None,
    period: str | None,
    symbol: str | None,
    as_json: bool,
) -> None:
    """Start document NEW_ID from another: every paragraph copied with a new uid and lineage."""
    draft = c.service().new_document(
        new_id, source, title=title, period=_period(period), symbol=symbol
    )
    if as_json:
        emit_json({"document": draft.document.id, "paragraphs": len(draft.paragraphs)})
    else:
        click.echo(f"Started {new_id} from {source} ({len(draft.paragraphs)} paragraphs).")


def _period(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    parts = value.replace("–", "-").split("-")
    try:
        start, end = (int(parts[0]), int(parts[-1]))
    except ValueError:
        raise UsageError(f"--period must look like 2022-2027, got {value!r}") from None
    return start, end


@cli.command(name="meta")
@click.argument("doc", default=DEFAULT_DOC)
@click.option("--title")
@click.option("--symbol")
@click.option("--period", metavar="YYYY-YYYY")
@click.option("--language", "original_language")
@click.option(
    "--adopted",
    metavar="YYYY-MM-DD|none",
    help="Adopted on this date (read only from then on); `none` lifts it.",
)
@click.option(
    "--timezone",
    metavar="ZONE|none",
    help="The working group's time zone (America/New_York): deadlines without a zone are"
    " read in it. `none`: the host's.",
)
@click.option(
    "--organ",
    multiple=True,
    metavar="LINE",
    help='The header\'s organ, one line each (repeat it, or separate lines with "|");'
    ' --organ "" clears it.',
)
@click.option("--series", help='The header\'s series, e.g. OEA/Ser.G; --series "" clears it.')
@click.option(
    "--record-line",
    type=click.Choice(["on", "off"]),
    help="Print the record line (Record 3febb8fd...) at the end of exports.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the document's metadata as JSON.")
@pass_ctx
def meta(
    c: Context,
    doc: str,
    title: str | None,
    symbol: str | None,
    period: str | None,
    original_language: str | None,
    adopted: str | None,
    timezone: str | None,
    organ: tuple[str, ...],
    series: str | None,
    record_line: str | None,
    as_json: bool,
) -> None:
    """Change a document's title, symbol, period, original language, adoption, time zone, or
    its header's organ and series (secretariat, chair)."""
    from workplan.model.document import ORGAN, RECORD_LINE, SERIES
    from workplan.service.policy import read_only_reason
    from workplan.service.zones import zone_name

    p = _period(period)
    header: dict[str, str] = {}
    if organ:
        lines = [x.strip() for value in organ for x in value.split("|")]
        header[ORGAN] = "\n".join(x for x in lines if x)
    if series is not None:
        header[SERIES] = series
    if record_line is not None:
        header[RECORD_LINE] = "" if record_line == "on" else "off"
    updated = c.service().set_metadata(
        doc,
        title=title,
        symbol=symbol,
        original_language=original_language,
        period_start=p[0] if p else None,
        period_end=p[1] if p else None,
        adopted=adopted,
        timezone=timezone,
        metadata=header,
    )
    zone, source = zone_name(updated)
    if as_json:
        emit_json(
            {
                **updated.model_dump(mode="json"),
                "period": updated.period,
                "timezone": zone,
                "timezone_from": source,
                "record_line": updated.record_line,
            }
        )
    else:
        click.echo(f"{updated.id}: {updated.title} · {updated.symbol} · {updated.period}")
        if updated.organ or updated.series:
            click.echo(f"  header: {' / '.join(updated.organ) or '(no organ)'} · {updated.series}")
        click.echo(f"record line on exports: {'on' if updated.record_line else 'off'}")
        click.echo(f"time zone: {zone}" + (" (the host's)" if source == "host" else ""))
        if updated.adopted:
            click.echo(read_only_reason(updated))
        elif adopted is not None:
            click.echo(f"{updated.id} is not adopted: open to negotiation")


@cli.command(name="import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--id", "doc_id", help="Document id to import as (default: the file's).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["draft", "oas", "docx", "pdf"]),
    help="Force the format (default: detected).",
)
@click.option("--title", help="Title for an OAS text or Word file.")
@click.option("--agreed", is_flag=True, help="The file is an adopted text: mark it agreed.")
@click.option(
    "--force",
    is_flag=True,
    help="Keep the import even if words of the text would be lost (with --translation-of:"
    " store what aligned).",
)
@click.option(
    "--translation-of",
    "translation_of",
    metavar="DOC",
    help="The file translates DOC: align it paragraph by paragraph and store the translations.",
)
@click.option("--lang", help="With --translation-of: the translation's language (es, fr, ...).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_ctx
def import_(
    c: Context,
    file: str,
    doc_id: str | None,
    fmt: str | None,
    title: str | None,
    agreed: bool,
    force: bool,
    translation_of: str | None,
    lang: str | None,
    as_json: bool,
) -> None:
    """Import a file: the draft format, OAS plain text (Word-converted), Word .docx or PDF.

    Prints what was read: paragraphs by kind, footnotes, the reservations with their
    delegations and paragraphs, and warnings. With `--translation-of DOC --lang es`, the file
    is DOC in Spanish: it is aligned with DOC (nothing changes unless every paragraph aligns,
    or --force) and each translation is tied to the version of the paragraph it translates.
    """
    if translation_of or lang:
        if not (translation_of and lang):
            raise UsageError("--translation-of DOC and --lang go together")
        if doc_id or fmt or title or agreed:
            raise UsageError("--translation-of takes no --id, --format, --title or --agreed")
        from workplan.commands.translations import echo_import

        echo_import(
            c.service().import_translation(file, translation_of, lang, force=force), as_json
        )
        return
    report = c.service(must_exist=False).import_file(
        file, doc_id, fmt=fmt, title=title, agreed=agreed, force=force
    )
    if as_json:
        emit_json(report)
        return
    from workplan.commands.import_report import echo_header

    echo_header(report)
    kinds = ", ".join(f"{n} {k}" for k, n in report["paragraphs"].items())
    click.echo(
        f"Imported {report['document']} ({report['format']}): {kinds};"
        f" {report['footnotes']} footnote calls."
    )
    for r in report["reservations"]:
        click.echo(f"  {r['id']} {r['delegation'] or 'UNATTRIBUTED'}: {', '.join(r['paragraphs'])}")
    if report["adopted"]:
        from workplan.service.policy import adoption_words

        click.echo(
            f"Adopted on {adoption_words(report['adopted'])}: read only"
            " (`meta --adopted none` lifts it, `meta --adopted YYYY-MM-DD` corrects the date)."
        )
    for w in report["warnings"]:
        click.echo(f"  warning: {w}")
    echo_header(report, tail=True)


EXPORT_FORMATS = ["md", "markdown", "txt", "docx", "odt", "html", "json"]


@cli.command()
@click.argument("doc", default=DEFAULT_DOC)
@click.option(
    "--clean", "kind", flag_value="clean", default=True, help="The consensus text (the default)."
)
@click.option(
    "--compilation",
    "kind",
    flag_value="compilation",
    help="Every paragraph with every open proposal in place.",
)
@click.option(
    "--redline",
    nargs=2,
    metavar="A B",
    help="Tracked changes from A to B (revisions, draft, or the predecessor plan).",
)
@click.option(
    "--rev",
    metavar="N",
    help='Reprint revision N ("2" or "rev. 2") exactly as frozen, dated when it was frozen.',
)
@click.option(
    "--include",
    type=click.Choice(["agreed", "all"]),
    default="agreed",
    show_default=True,
    help="Clean text: only agreed paragraphs, or all (bracketed).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="md",
    show_default=True,
    help="md is the draft format (lossless; Markdown for --compilation, --redline, --rev).",
)
@click.option(
    "--lang",
    help="Print the clean text or the compilation in this language (es, fr, pt, en): its"
    " translations, the untranslated in the original's words in brackets (listed on stderr).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@pass_ctx
def export(
    c: Context,
    doc: str,
    kind: str,
    redline: tuple[str, str] | None,
    rev: str | None,
    include: str,
    fmt: str,
    lang: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Export a document: the draft format, or the clean / compilation / redline text.

    \b
    Example:
        workplan export -o third.md                      # draft format, lossless
        workplan export --format docx -o third.docx      # clean text with footnotes
        workplan export --compilation --format html -o compilation.html
        workplan export --redline 1 2 --format docx -o rev1-rev2.docx
        workplan export --rev 1 --format docx -o rev1.docx  # rev. 1 as frozen, every time
        workplan export --lang es --format txt           # the clean text in Spanish
    """
    from workplan.formats import export as render

    if rev is not None and redline:
        raise UsageError("--rev reprints one revision; --redline names its own two sides")
    if lang and redline:
        raise UsageError("--lang prints the clean text or the compilation, not a redline")
    svc = c.service()
    data: str | bytes
    if (
        fmt == "md"
        and not (redline or lang)
        and rev is None
        and kind == "clean"
        and include == "agreed"
    ):
        data = svc.export_draft(doc)
    else:
        if fmt == "md":
            fmt = "markdown"
        if redline:
            built = svc.export_redline(doc, *redline)
        elif kind == "compilation":
            built = svc.export_compilation(doc, rev=rev, lang=lang)
        else:
            built = svc.export_clean(doc, include_all=include == "all", rev=rev, lang=lang)
        if built.untranslated:
            click.echo(
                f"untranslated in {built.language}, printed in the original's words in brackets:"
                f" {', '.join(built.untranslated)}",
                err=True,
            )
        if fmt in ("docx", "odt"):
            if not output:
                raise UsageError(f"--format {fmt} needs -o FILE")
            data = render.render_binary(built, fmt)  # type: ignore[arg-type]
        elif fmt == "json":
            data = json.dumps(render.render_json(built), ensure_ascii=False, indent=2) + "\n"
        else:
            data = {
                "txt": render.render_text,
                "markdown": render.render_markdown,
                "html": render.render_html,
            }[fmt](built)
    if output:
        from workplan.files import write_atomic

        path = write_atomic(output, data, force=force)
        click.echo(f"Wrote {path}", err=True)
    else:
        click.echo(data, nl=False)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def roster(c: Context, as_json: bool) -> None:
    """List the delegations and who is acting."""
    svc = c.service()
    ident = c.identity
    dels = svc.delegations()
    if as_json:
        emit_json(
            {
                "acting": svc.principal.id,
                "mode": ident.mode,
                "login": ident.login,
                "roster": str(ident.roster_path),
                "delegations": [d.model_dump() for d in dels],
            }
        )
        return
    if ident.mode == "roster":
        click.echo(
            f"Acting as {svc.principal.id}: login {ident.login}, pinned by {ident.roster_path}."
        )
    else:
        click.echo(
            f"Acting as {svc.principal.id} (single-user mode: --as / WORKPLAN_AS;"
            f" no roster at {ident.roster_path})."
        )
    for d in dels:
        flag = "" if d.active else f"  (inactive: {d.note})"
        click.echo(f"{d.code}  {d.name_en} / {d.name_es}{flag}")


@cli.command()
@click.argument("doc", required=False)
@click.option("-n", "--limit", type=int, help="Only the last N events.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def log(c: Context, doc: str | None, limit: int | None, as_json: bool) -> None:
    """The record of events (all documents, or one)."""
    events = c.service().events(doc, limit)
    if as_json:
        emit_json([e.model_dump(mode="json") for e in events])
        return
    for e in events:
        who = f"{e.actor} for {e.on_behalf_of}" if e.on_behalf_of else e.actor
        summary = e.payload.get("summary") or (
            f"refused {e.payload['action']}: {e.payload['reason']}"
            if "reason" in e.payload and "action" in e.payload
            else ""
        )
        click.echo(f"{e.id:>5} {e.at:%Y-%m-%d %H:%M:%S}Z {who:<20} {e.action:<28} {summary}")


@cli.command()
@click.option(
    "--expect-head",
    metavar="HASH",
    help="A chain head kept outside the host (printed on a circulated document or revision):"
    " pass only if the record still holds it (the current head or an earlier event);"
    " at least 32 of its 64 hex digits.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def verify(c: Context, expect_head: str | None, as_json: bool) -> None:
    """Check the record: SQLite integrity, the schema, the event chain, tables against events.

    Without --expect-head this proves only that the record is consistent with itself; with it,
    that the record still holds exactly the history up to that head.
    """
    svc = c.service()
    problems = svc.verify(expect_head)
    anchor = svc.anchor(expect_head) if expect_head is not None else None
    if as_json:
        data: dict[str, Any] = {"ok": not problems, "head": svc.head(), "problems": problems}
        if expect_head is not None:
            data["expect_head"] = {
                "given": expect_head,
                "found": anchor is not None,
                "event": anchor[0] if anchor else None,
                "hash": anchor[1] if anchor else None,
            }
        emit_json(data)
    elif problems:
        for p in problems:
            click.echo(f"workplan: {p}", err=True)
    else:
        click.echo(f"Record intact. Chain head {svc.head()}.")
        if anchor:
            click.echo(f"It holds the expected head {anchor[1]} (event {anchor[0]}).")
    if problems:
        sys.exit(1)


# Register the subcommands that live in their own modules.
from workplan.commands import (  # noqa: E402, F401
    admin,
    compare,
    negotiate,
    revisions,
    translations,
)


def main() -> None:
    """Entry point for the `workplan` console script."""
    try:
        cli(prog_name="workplan")
    finally:
        try:
            sys.stdout.flush()
        except OSError as exc:
            _stdout_failed(exc)


if __name__ == "__main__":  # pragma: no cover
    main()
