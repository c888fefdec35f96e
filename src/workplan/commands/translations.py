"""Translation commands: record one, list them with their state."""

from __future__ import annotations

from typing import Any

import click

from workplan.commands._shared import DEFAULT_DOC, Context, emit_json, pass_ctx


@click.command()
@click.argument("ref")
@click.option("--lang", required=True, help="en, es, fr or pt (or the language's name).")
@click.option("--text", required=True, help="The translated text.")
@click.option("--doc", default=DEFAULT_DOC, show_default=True, help="The document.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def translate(c: Context, ref: str, lang: str, text: str, doc: str, as_json: bool) -> None:
    """Record the translation of a paragraph (OP3, PP2), a reservation (R2), the `title` or a
    section (its id), made from the original as it stands now (secretariat).

    \b
    Example:
        workplan --as SECRETARIAT translate OP3 --lang es --text "Realizar campañas ..."
    """
    done = c.service().translate(doc, ref, lang, text)
    if as_json:
        emit_json(done)
        return
    click.echo(f"{done['ref']} in {done['lang']}: recorded, current (made from {done['source']})")


@click.command()
@click.argument("doc", default=DEFAULT_DOC)
@click.option("--lang", help="Only this language.")
@click.option("--stale", "stale_only", is_flag=True, help="Only the stale translations.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def translations(c: Context, doc: str, lang: str | None, stale_only: bool, as_json: bool) -> None:
    """List a document's translations with their state (current, or stale: the original
    changed since), then per language how many texts are current, stale and missing."""
    report = c.service().translations(doc, lang, stale_only=stale_only)
    if as_json:
        emit_json(report)
        return
    rows = report["translations"]
    width = max([5, *(len(r["ref"]) for r in rows)])
    for r in rows:
        text = r["text"].replace("\n", " ")
        text = text if len(text) <= 60 else text[:59] + "…"
        click.echo(f"{r['ref']:<{width}}  {r['lang']}  {r['state']:<7}  {text}")
    if rows:
        click.echo("")
    for code, counts in report["counts"].items():
        said = ", ".join(f"{n} {state}" for state, n in counts.items())
        click.echo(f"{code}: {said}")


def echo_import(report: dict[str, Any], as_json: bool) -> None:
    """What `import --translation-of` did: what aligned, how, and what did not."""
    if as_json:
        emit_json(report)
        return
    aligned = report["aligned"]
    how = ", ".join(
        f"{k} by {v}" if v != "none in the translation" else f"no {k}"
        for k, v in report["method"].items()
    )
    click.echo(
        f"Aligned {report['file']} ({report['format']}, {report['lang']}) with"
        f" {report['document']}: {len(aligned['paragraphs'])} paragraphs ({how}),"
        f" {len(aligned['reservations'])} reservations, {len(aligned['sections'])} headings"
        + (", the title" if aligned["title"] else "")
        + f"; {report['stored']} translations stored."
    )
    grouped: dict[tuple[str, str], list[str]] = {}
    for u in report["unaligned"]:
        who = " / ".join(x for x in (u["original"], u["translation"]) if x)
        grouped.setdefault((u["what"], u["why"]), []).append(who)
    for (what, why), names in grouped.items():
        more = f" +{len(names) - SHOWN} more" if len(names) > SHOWN else ""
        listed = f": {', '.join(names[:SHOWN])}{more}" if any(names) else ""
        click.echo(f"  not aligned ({what}): {why}{listed}")


SHOWN = 10
"""How many names a line of the import's report lists before "+N more" (--json has all)."""
