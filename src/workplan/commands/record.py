"""The record: who acts (roster), the event log, verifying it."""

from __future__ import annotations

import sys
from typing import Any

import click

from workplan.commands._shared import Context, emit_json, pass_ctx


@click.command()
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


@click.command()
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


@click.command()
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
