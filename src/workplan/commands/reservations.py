"""Reservations: attach, detach, edit, list."""

from __future__ import annotations

import click

from workplan.commands._shared import Context, doc_option, emit_json, json_option, pass_ctx


@click.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--text", help="The reservation's text (blank lines separate its paragraphs).")
@click.option("--reuse", metavar="R", help="Attach an existing reservation of yours (R1).")
@doc_option
@json_option
@pass_ctx
def reserve(
    c: Context, refs: tuple[str, ...], text: str | None, reuse: str | None, doc: str, as_json: bool
) -> None:
    """Attach a reservation to paragraphs (joins the consensus with a reservation)."""
    res = c.service().reserve(doc, list(refs), text=text, reuse=reuse)
    if as_json:
        emit_json(res.model_dump(mode="json"))
    else:
        click.echo(res.id)


@click.command()
@click.argument("reservation")
@click.argument("refs", nargs=-1)
@doc_option
@json_option
@pass_ctx
def unreserve(c: Context, reservation: str, refs: tuple[str, ...], doc: str, as_json: bool) -> None:
    """Detach a reservation from paragraphs, or withdraw it when no paragraph is named."""
    svc = c.service()
    res = svc.unreserve(doc, reservation, list(refs) or None)
    done = "withdrawn" if res.withdrawn else "detached"
    if as_json:
        if refs:
            draft = svc.draft(doc)
            was = [draft.resolve(r).uid for r in refs]
        else:
            was = svc.withdrawn_from(doc).get(res.id, [])
        emit_json({**res.model_dump(mode="json"), "action": done, "detached_from": was})
    else:
        click.echo(f"{res.id} {done}")


@click.command(name="edit-reservation")
@click.argument("reservation")
@click.option("--text", required=True)
@doc_option
@json_option
@pass_ctx
def edit_reservation(c: Context, reservation: str, text: str, doc: str, as_json: bool) -> None:
    """Change a reservation's text everywhere it is attached."""
    res = c.service().edit_reservation(doc, reservation, text)
    if as_json:
        emit_json(res.model_dump(mode="json"))
    else:
        click.echo(f"{res.id} edited")


@click.command()
@doc_option
@json_option
@pass_ctx
def reservations(c: Context, doc: str, as_json: bool) -> None:
    """List reservations and where they are attached (a withdrawn one: where it was)."""
    svc = c.service()
    neg = svc.negotiation(doc)
    was = svc.withdrawn_from(doc)
    if as_json:
        emit_json(
            [
                {**r.model_dump(mode="json"), "withdrawn_from": was.get(r.id, [])}
                for r in neg.reservations
            ]
        )
        return
    for r in neg.reservations:
        who = r.delegation or "UNATTRIBUTED"
        if r.withdrawn:
            where = ", ".join(neg.draft.ref(u) for u in was.get(r.id, []))
            state = f"(withdrawn; was on {where})" if where else "(withdrawn)"
        else:
            where = ", ".join(neg.draft.ref(u) for u in r.paragraphs)
            state = f"on {where}" if where else "(attached nowhere)"
        click.echo(f"{r.id:<4} {who} {state}\n      {r.text}")
