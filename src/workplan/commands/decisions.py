"""The chair's decisions on paragraphs: agree, delete, reopen, silence."""

from __future__ import annotations

from typing import Any

import click

from workplan.commands._shared import (
    Context,
    doc_option,
    emit_json,
    json_option,
    pass_ctx,
    version_option,
)


def _paragraphs_out(svc: Any, doc: str, refs: tuple[str, ...], uids: list[str]) -> list[Any]:
    """The paragraphs a chair action named, each as its `status --json` row (after the action)
    with `named`: the ref or uid as given on the command line."""
    rows = {row["uid"]: row for row in svc.status(doc)["paragraphs"]}
    return [{"named": ref, **rows[uid]} for ref, uid in zip(refs, uids, strict=True)]


def _uids(svc: Any, doc: str, refs: tuple[str, ...]) -> list[str]:
    """The uids the refs name (read after an action that does not renumber)."""
    draft = svc.draft(doc)
    return [str(draft.resolve(r).uid) for r in refs]


#: The silence procedure's usual shortest period (UN practice: at least 72 hours).
SILENCE_PRACTICE_HOURS = 72


@click.command()
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


@click.command(name="delete-paragraph")
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


@click.command()
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


@click.command()
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
    hours = (deadline - svc.now()).total_seconds() / 3600
    if hours < SILENCE_PRACTICE_HOURS - 0.1:  # allowed, but said: delegations need time
        click.echo(
            f"workplan: note: the deadline is {hours:.0f} hours away; practice gives delegations"
            f" at least {SILENCE_PRACTICE_HOURS} hours to break silence",
            err=True,
        )
