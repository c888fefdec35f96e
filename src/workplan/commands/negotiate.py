"""Negotiation commands: amendments and positions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from workplan.commands._shared import (
    Context,
    doc_option,
    emit_json,
    json_option,
    pass_ctx,
    version_option,
)
from workplan.errors import UsageError

if TYPE_CHECKING:
    from workplan.model.negotiation import Amendment


def _amendment_out(am: Any, as_json: bool, verb: str) -> None:
    if as_json:
        emit_json(am.model_dump(mode="json"))
    else:
        click.echo(f"{am.id} {verb}" if verb else am.id)


@click.command()
@click.argument("ref", required=False)
@click.option("--text", help="The proposed new text (modify), or the new paragraph's text.")
@click.option("--delete", "delete", is_flag=True, help="Propose deleting the paragraph.")
@click.option(
    "--insert-after", "insert_after", metavar="REF", help="Insert a new paragraph after REF."
)
@click.option("--insert-before", "insert_before", metavar="REF", help="Insert before REF.")
@click.option(
    "--insert-end",
    "insert_end",
    is_flag=True,
    help="Insert at the end of REF's section (REF is the positional argument).",
)
@click.option("--move-after", metavar="REF", help="Propose moving the paragraph after REF.")
@click.option(
    "--kind",
    "new_kind",
    type=click.Choice(["preambular", "operative", "follow-up", "other"]),
    help="Kind of an inserted paragraph (default: its neighbour's).",
)
@click.option("--justification", default="", help="Why.")
@click.option("--cosponsor", "cosponsors", multiple=True, metavar="CODE", help="Co-sponsor(s).")
@version_option
@doc_option
@json_option
@pass_ctx
def amend(
    c: Context,
    ref: str | None,
    text: str | None,
    delete: bool,
    insert_after: str | None,
    insert_before: str | None,
    insert_end: bool,
    move_after: str | None,
    new_kind: str | None,
    justification: str,
    cosponsors: tuple[str, ...],
    expect_version: int | None,
    doc: str,
    as_json: bool,
) -> None:
    """Propose an amendment to paragraph REF; prints its id (A1, A2, ...).

    \b
    Example:
        workplan --as CAN amend OP12 --text "New text" --cosponsor MEX
        workplan --as USA amend OP3 --delete
        workplan --as BRA amend --insert-after OP4 --text "A new paragraph"
        workplan --as JAM amend OP7 --move-after OP9
    """
    _check_amend_usage(ref, text, delete, insert_after, insert_before, insert_end, move_after)
    if new_kind and not (insert_after or insert_before or insert_end):
        raise UsageError("--kind is for an inserted paragraph (--insert-after, ...) only")
    svc = c.service()
    anchor_ref = insert_after or insert_before
    if ref and anchor_ref and _uid(svc, doc, ref) != _uid(svc, doc, anchor_ref):
        raise UsageError(
            f"give the paragraph either as REF ({ref}) or to {_insert_option(insert_after)},"
            " not both (REF with --insert-end inserts at the end of REF's section)"
        )
    kw: dict[str, Any] = {
        "justification": justification,
        "cosponsors": list(cosponsors),
        "expect_version": expect_version,
    }
    if delete:
        am = svc.propose(doc, str(ref), "delete", **kw)
    elif move_after:
        am = svc.propose(doc, str(ref), "move", anchor=move_after, **kw)
    elif insert_after or insert_before or insert_end:
        anchor = insert_after or insert_before or str(ref)
        placement = "after" if insert_after else "before" if insert_before else "end-of-section"
        am = svc.propose(
            doc, anchor, "insert", text=text, placement=placement, new_kind=new_kind, **kw
        )
    else:
        if text is None:
            raise UsageError("give --text (or --delete, --insert-after, --move-after)")
        am = svc.propose(doc, str(ref), "modify", text=text, **kw)
    _amendment_out(am, as_json, "")


def _check_amend_usage(
    ref: str | None,
    text: str | None,
    delete: bool,
    insert_after: str | None,
    insert_before: str | None,
    insert_end: bool,
    move_after: str | None,
) -> None:
    """Refuse a combination of `amend`'s options that would silently drop one of them."""
    chosen = {
        "--delete": delete,
        "--insert-after": bool(insert_after),
        "--insert-before": bool(insert_before),
        "--insert-end": insert_end,
        "--move-after": bool(move_after),
    }
    given = [name for name, on in chosen.items() if on]
    if len(given) > 1:
        raise UsageError(f"choose one of {', '.join(chosen)}, not {' and '.join(given)}")
    if text is not None and (delete or move_after):
        raise UsageError(f"{given[0]} takes no --text: a new text is a separate amendment")
    if not ref and not (insert_after or insert_before):
        raise UsageError("name the paragraph to amend (e.g. OP12)")


def _insert_option(insert_after: str | None) -> str:
    """The insert option that was given."""
    return "--insert-after" if insert_after else "--insert-before"


def _uid(svc: Any, doc: str, ref: str) -> str:
    """The uid a paragraph ref names."""
    return str(svc.draft(doc).resolve(ref).uid)


@click.command()
@click.argument("amendment")
@doc_option
@json_option
@pass_ctx
def cosponsor(c: Context, amendment: str, doc: str, as_json: bool) -> None:
    """Co-sponsor an open amendment."""
    _amendment_out(c.service().cosponsor(doc, amendment), as_json, "co-sponsored")


@click.command()
@click.argument("amendment")
@doc_option
@json_option
@pass_ctx
def withdraw(c: Context, amendment: str, doc: str, as_json: bool) -> None:
    """Withdraw your own open amendment."""
    _amendment_out(c.service().withdraw(doc, amendment), as_json, "withdrawn")


@click.command(name="revise-amendment")
@click.argument("amendment")
@click.option("--text", required=True, help="The revised text.")
@doc_option
@json_option
@pass_ctx
def revise_amendment(c: Context, amendment: str, text: str, doc: str, as_json: bool) -> None:
    """Revise your amendment against the paragraph's current text (clears needs-rebase)."""
    _amendment_out(c.service().revise_amendment(doc, amendment, text), as_json, "revised")


@click.command()
@click.argument("amendment")
@click.argument("decision", type=click.Choice(["accept", "reject"]))
@version_option
@doc_option
@json_option
@pass_ctx
def decide(
    c: Context, amendment: str, decision: str, expect_version: int | None, doc: str, as_json: bool
) -> None:
    """Chair: accept or reject an amendment."""
    am = c.service().decide(doc, amendment, decision, expect_version=expect_version)
    _amendment_out(am, as_json, f"{am.status}")


@click.command()
@click.argument("amendment", required=False)
@click.option("--all", "show_all", is_flag=True, help="Include closed amendments.")
@doc_option
@json_option
@pass_ctx
def amendments(c: Context, amendment: str | None, show_all: bool, doc: str, as_json: bool) -> None:
    """List amendments (open ones unless --all), or show one."""
    from workplan.consensus import alternatives

    neg = c.service().negotiation(doc)
    items = (
        [neg.amendment(amendment)]
        if amendment
        else [a for a in neg.amendments if show_all or a.is_open]
    )
    if as_json:
        emit_json([a.model_dump(mode="json") for a in items])
        return
    for a in items:
        alt = alternatives(neg.by_target.get(a.target, [])).get(a.id)
        alt_s = f" alt {alt}" if alt else ""
        flag = " NEEDS REBASE" if a.needs_rebase else ""
        click.echo(
            f"{a.id:<4} {a.kind:<7} {neg.draft.ref(a.target):<6} {a.status}{alt_s}{flag}"
            f"  {', '.join(a.sponsors)}"
        )
        if where := _destination(a, neg.draft.refs):
            click.echo(f"      {where}")
        if a.text:
            click.echo(f"      {a.text}")
        if a.justification:
            click.echo(f"      Justification: {a.justification}")
        for failed in a.rebase_failures if a.needs_rebase else []:
            click.echo(f"      Did not re-apply: {failed}")


def _destination(a: Amendment, refs: dict[str, str]) -> str:
    """Where a move or an insertion goes, in words: "move OP3 after OP7", "insert after OP4"."""
    if a.kind == "move" and a.anchor:
        return f"move {refs.get(a.target, a.target)} after {refs.get(a.anchor, a.anchor)}"
    if a.kind == "insert":
        if a.placement == "end-of-section":
            return "insert at the end of its section"
        return f"insert {a.placement or 'after'} {refs.get(a.target, a.target)}"
    return ""


@click.command()
@click.argument("target")
@click.argument(
    "stance", type=click.Choice(["support", "join", "reserve", "ad-ref", "object", "none"])
)
@click.option("--comment", default="", help="Optional comment.")
@doc_option
@json_option
@pass_ctx
def position(c: Context, target: str, stance: str, comment: str, doc: str, as_json: bool) -> None:
    """Record your delegation's position on a paragraph (OP3) or an amendment (A2)."""
    svc = c.service()
    pos = svc.record_position(doc, target, stance, comment)
    if as_json:
        emit_json(pos.model_dump(mode="json"))
    else:  # the paragraph by its ref as printed (`op 4bis` is OP4 bis), an amendment by its id
        named = svc.refs(doc).get(pos.target) or pos.target
        click.echo(f"{pos.delegation}: {pos.stance} on {named}")
