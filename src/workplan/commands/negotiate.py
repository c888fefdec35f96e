"""Negotiation commands: amendments, positions, reservations, chair decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from workplan.cli import DEFAULT_DOC, Context, cli, emit_json, pass_ctx
from workplan.errors import UsageError

if TYPE_CHECKING:
    from workplan.model.negotiation import Amendment

doc_option = click.option("--doc", default=DEFAULT_DOC, show_default=True, help="The document.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
version_option = click.option(
    "--version",
    "expect_version",
    type=int,
    metavar="N",
    help="The paragraph version you read; refused (exit 75) if it changed meanwhile.",
)


def _amendment_out(am: Any, as_json: bool, verb: str) -> None:
    if as_json:
        emit_json(am.model_dump(mode="json"))
    else:
        click.echo(f"{am.id} {verb}" if verb else am.id)


@cli.command()
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


@cli.command()
@click.argument("amendment")
@doc_option
@json_option
@pass_ctx
def cosponsor(c: Context, amendment: str, doc: str, as_json: bool) -> None:
    """Co-sponsor an open amendment."""
    _amendment_out(c.service().cosponsor(doc, amendment), as_json, "co-sponsored")


@cli.command()
@click.argument("amendment")
@doc_option
@json_option
@pass_ctx
def withdraw(c: Context, amendment: str, doc: str, as_json: bool) -> None:
    """Withdraw your own open amendment."""
    _amendment_out(c.service().withdraw(doc, amendment), as_json, "withdrawn")


@cli.command(name="revise-amendment")
@click.argument("amendment")
@click.option("--text", required=True, help="The revised text.")
@doc_option
@json_option
@pass_ctx
def revise_amendment(c: Context, amendment: str, text: str, doc: str, as_json: bool) -> None:
    """Revise your amendment against the paragraph's current text (clears needs-rebase)."""
    _amendment_out(c.service().revise_amendment(doc, amendment, text), as_json, "revised")


@cli.command()
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


@cli.command()
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


@cli.command()
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
    pos = c.service().record_position(doc, target, stance, comment)
    if as_json:
        emit_json(pos.model_dump(mode="json"))
    else:
        click.echo(f"{pos.delegation}: {pos.stance} on {target}")


@cli.command()
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


@cli.command()
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


@cli.command(name="edit-reservation")
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


@cli.command()
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


def _paragraphs_out(svc: Any, doc: str, refs: tuple[str, ...], uids: list[str]) -> list[Any]:
    """The paragraphs a chair action named, each as its `status --json` row (after the action)
    with `named`: the ref or uid as given on the command line."""
    rows = {row["uid"]: row for row in svc.status(doc)["paragraphs"]}
    return [{"named": ref, **rows[uid]} for ref, uid in zip(refs, uids, strict=True)]


def _uids(svc: Any, doc: str, refs: tuple[str, ...]) -> list[str]:
    """The uids the refs name (read after an action that does not renumber)."""
    draft = svc.draft(doc)
    return [str(draft.resolve(r).uid) for r in refs]


@cli.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--ad-ref", "ad_ref", is_flag=True, help="Agree ad referendum.")
@version_option
@doc_option
@json_option
@pass_ctx
def agree(
    c: Context,
    refs: tuple[str, ...],
    ad_ref: bool,
    expect_version: int | None,
    doc: str,
    as_json: bool,
) -> None:
    """Chair: declare paragraphs agreed."""
    svc = c.service()
    states = svc.agree(doc, list(refs), ad_ref=ad_ref, expect_version=expect_version)
    if as_json:
        emit_json(
            {"document": doc, "paragraphs": _paragraphs_out(svc, doc, refs, _uids(svc, doc, refs))}
        )
        return
    for st, ref in zip(states, refs, strict=True):
        pending = f" ({', '.join(st.ad_ref)} ad ref)" if st.ad_ref else ""
        click.echo(f"{ref}: {st.status}{pending}")


@cli.command(name="delete-paragraph")
@click.argument("refs", nargs=-1, required=True)
@version_option
@doc_option
@json_option
@pass_ctx
def delete_paragraph(
    c: Context, refs: tuple[str, ...], expect_version: int | None, doc: str, as_json: bool
) -> None:
    """Chair: declare paragraphs deleted."""
    svc = c.service()
    uids = svc.delete_paragraph(doc, list(refs), expect_version=expect_version)
    if as_json:
        emit_json({"document": doc, "paragraphs": _paragraphs_out(svc, doc, refs, uids)})
    else:
        # Say which paragraphs by uid and text: refs after them are renumbered at once, so the
        # same command run again would delete the next paragraph.
        by_uid = {p.uid: p for p in svc.draft(doc).paragraphs}
        for ref, uid in zip(refs, uids, strict=True):
            start = by_uid[uid].text[:60] + ("…" if len(by_uid[uid].text) > 60 else "")
            click.echo(f"deleted {ref} (uid {uid}): {start}")
        click.echo("the numbers of the others hold until the next revision; reopen by uid to undo")


@cli.command()
@click.argument("refs", nargs=-1, required=True)
@version_option
@doc_option
@json_option
@pass_ctx
def reopen(
    c: Context, refs: tuple[str, ...], expect_version: int | None, doc: str, as_json: bool
) -> None:
    """Chair: reopen agreed, deleted or silenced paragraphs."""
    svc = c.service()
    uids = svc.reopen(doc, list(refs), expect_version=expect_version)
    if as_json:
        emit_json({"document": doc, "paragraphs": _paragraphs_out(svc, doc, refs, uids)})
    else:
        click.echo(f"reopened: {', '.join(refs)}")


@cli.command()
@click.argument("refs", nargs=-1, required=True)
@click.option(
    "--until",
    required=True,
    metavar="WHEN",
    help="Deadline: 2026-03-05T17:00 (the document's time zone), 2026-03-05T17:00Z, or"
    " +72h / +3d from now",
)
@version_option
@doc_option
@json_option
@pass_ctx
def silence(
    c: Context,
    refs: tuple[str, ...],
    until: str,
    expect_version: int | None,
    doc: str,
    as_json: bool,
) -> None:
    """Chair: put paragraphs under the silence procedure until a deadline (a time without a
    zone is in the document's time zone: `meta --timezone`)."""
    from workplan.service.zones import describe, zone_key

    svc = c.service()
    deadline = svc.silence(doc, list(refs), until, expect_version=expect_version)
    tz = svc.time_zone(doc)
    if as_json:
        emit_json(
            {
                "document": doc,
                "until": deadline.isoformat(),
                "until_local": deadline.astimezone(tz).isoformat(),
                "timezone": zone_key(tz),
                "paragraphs": _paragraphs_out(svc, doc, refs, _uids(svc, doc, refs)),
            }
        )
    else:
        click.echo(f"under silence until {describe(deadline, tz)}: {', '.join(refs)}")


@cli.command()
@click.argument("doc", default=DEFAULT_DOC)
@json_option
@pass_ctx
def status(c: Context, doc: str, as_json: bool) -> None:
    """Per paragraph: status, open amendments, objections, ad ref, reservations; then counts."""
    from datetime import datetime

    from workplan.model.negotiation import STATUS_LABELS, Status
    from workplan.service.zones import describe

    svc = c.service()
    report = svc.status(doc)
    if as_json:
        emit_json(report)
        return
    tz = svc.time_zone(doc)
    width = max([7, *(len(row["ref"]) for row in report["paragraphs"])])
    for row in report["paragraphs"]:
        ref = row["ref"] or "·"
        bits = [f"uid {row['uid']}"] if not row["ref"] else []
        if row["open_amendments"]:
            bits.append("amendments " + ", ".join(row["open_amendments"]))
        if row["insertions"]:
            bits.append("insertions proposed " + ", ".join(row["insertions"]))
        if row["objecting"]:
            bits.append("objecting " + ", ".join(row["objecting"]))
        if row["ad_ref"]:
            bits.append("ad ref " + ", ".join(row["ad_ref"]))
        if row["reservations"]:
            bits.append("reservations " + ", ".join(row["reservations"]))
        if row["silence_until"]:
            until = datetime.fromisoformat(row["silence_until"])
            bits.append(f"silence until {describe(until, tz)}")
        if row["formerly"]:
            bits.append(f"formerly {row['formerly']}")
        ready = " (ready)" if row["ready"] and row["status"] == "under-negotiation" else ""
        label = STATUS_LABELS[Status(row["status"])] + ready
        click.echo(f"{ref:>{width}}  {label:<26} {'; '.join(bits)}")
    counts = ", ".join(f"{STATUS_LABELS[Status(k)]} {v}" for k, v in report["counts"].items() if v)
    click.echo(f"\n{len(report['paragraphs'])} paragraphs: {counts}")
    for lang, by_state in report.get("translations", {}).items():
        click.echo(f"{lang}: " + ", ".join(f"{n} {state}" for state, n in by_state.items()))
