"""The status report: per paragraph, then counts (the read path: no pydantic, no writes)."""

from __future__ import annotations

import click

from workplan.commands._shared import DEFAULT_DOC, Context, emit_json, json_option, pass_ctx


@click.command()
@click.argument("doc", default=DEFAULT_DOC)
@json_option
@pass_ctx
def status(c: Context, doc: str, as_json: bool) -> None:
    """Per paragraph: status, open amendments, objections, ad ref, reservations; then counts."""
    from datetime import datetime

    from workplan.model.vocab import STATUS_LABELS, Status
    from workplan.service.zones import describe

    svc = c.service(reading=True)
    report = svc.status(doc).as_json()
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
