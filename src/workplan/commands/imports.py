"""Importing a file: the draft format, OAS text, Word or PDF."""

from __future__ import annotations

import click

from workplan.commands._shared import Context, emit_json, pass_ctx
from workplan.errors import UsageError


@click.command(name="import")
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
            f" (`meta {report['document']} --adopted none` lifts it,"
            f" `meta {report['document']} --adopted YYYY-MM-DD` corrects the date)."
        )
    for w in report["warnings"]:
        click.echo(f"  warning: {w}")
    echo_header(report, tail=True)
