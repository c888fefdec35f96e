"""Documents: create the record, list, show, start one from another, change metadata."""

from __future__ import annotations

from typing import Any

import click

from workplan.commands._shared import DEFAULT_DOC, Context, emit_json, parse_period, pass_ctx


@click.command()
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


@click.command()
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


@click.command()
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


@click.command(name="new")
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
        new_id, source, title=title, period=parse_period(period), symbol=symbol
    )
    if as_json:
        emit_json({"document": draft.document.id, "paragraphs": len(draft.paragraphs)})
    else:
        click.echo(f"Started {new_id} from {source} ({len(draft.paragraphs)} paragraphs).")


@click.command(name="meta")
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

    p = parse_period(period)
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
