"""Revision commands: freeze, list."""

from __future__ import annotations

import click

from workplan.commands._shared import DEFAULT_DOC, Context, emit_json, pass_ctx


@click.command()
@click.argument("doc", default=DEFAULT_DOC)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def revise(c: Context, doc: str, as_json: bool) -> None:
    """Freeze the current draft as the next revision (secretariat, chair)."""
    rev = c.service().revise(doc)
    if as_json:
        emit_json(rev.model_dump(mode="json", exclude={"snapshot"}))
    else:
        named = (
            rev.symbol
            if rev.symbol.endswith(f"rev. {rev.number}")
            else f"{rev.symbol} (rev. {rev.number})"
        )
        click.echo(f"{named} frozen. Record chain head at rev. {rev.number}: {rev.chain_head}")


@click.command()
@click.argument("doc", default=DEFAULT_DOC)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def revisions(c: Context, doc: str, as_json: bool) -> None:
    """List a document's revisions, each with the record's chain head when it was frozen.

    Each head anchors the record: `workplan verify --expect-head HASH` passes only while the
    record still holds the history up to it.
    """
    revs = c.service().revisions(doc)
    if as_json:
        emit_json([r.model_dump(mode="json", exclude={"snapshot"}) for r in revs])
        return
    for r in revs:
        click.echo(
            f"rev. {r.number:<3} {r.at:%Y-%m-%d %H:%M}Z  {r.symbol}  chain head {r.chain_head}"
        )
