"""Exporting a document: the draft format, or the clean / compilation / redline text."""

from __future__ import annotations

import click

from workplan.commands._shared import DEFAULT_DOC, Context, pass_ctx
from workplan.errors import UsageError
from workplan.formats.registry import DRAFT_FORMAT, FORMATS


@click.command()
@click.argument("doc", default=DEFAULT_DOC)
@click.option(
    "--clean", "kind", flag_value="clean", default=True, help="The consensus text (the default)."
)
@click.option(
    "--compilation",
    "kind",
    flag_value="compilation",
    help="Every paragraph with every open proposal in place.",
)
@click.option(
    "--redline",
    nargs=2,
    metavar="A B",
    help="Tracked changes from A to B (revisions, draft, or the predecessor plan).",
)
@click.option(
    "--rev",
    metavar="N",
    help='Reprint revision N ("2" or "rev. 2") exactly as frozen, dated when it was frozen.',
)
@click.option(
    "--include",
    type=click.Choice(["agreed", "all"]),
    default="agreed",
    show_default=True,
    help="Clean text: only agreed paragraphs, or all (bracketed).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default=DRAFT_FORMAT,
    show_default=True,
    help="md is the draft format (lossless; Markdown for --compilation, --redline, --rev).",
)
@click.option(
    "--lang",
    help="Print the clean text or the compilation in this language (es, fr, pt, en): its"
    " translations, the untranslated in the original's words in brackets (listed on stderr).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE.")
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@pass_ctx
def export(
    c: Context,
    doc: str,
    kind: str,
    redline: tuple[str, str] | None,
    rev: str | None,
    include: str,
    fmt: str,
    lang: str | None,
    output: str | None,
    force: bool,
) -> None:
    """Export a document: the draft format, or the clean / compilation / redline text.

    \b
    Example:
        workplan export -o third.md                      # draft format, lossless
        workplan export --format docx -o third.docx      # clean text with footnotes
        workplan export --compilation --format html -o compilation.html
        workplan export --redline 1 2 --format docx -o rev1-rev2.docx
        workplan export --rev 1 --format docx -o rev1.docx  # rev. 1 as frozen, every time
        workplan export --lang es --format txt           # the clean text in Spanish
    """
    if rev is not None and redline:
        raise UsageError("--rev reprints one revision; --redline names its own two sides")
    if lang and redline:
        raise UsageError("--lang prints the clean text or the compilation, not a redline")
    svc = c.service()
    data: str | bytes
    if (
        fmt == DRAFT_FORMAT
        and not (redline or lang)
        and rev is None
        and kind == "clean"
        and include == "agreed"
    ):
        data = svc.export_draft(doc)
    else:
        if redline:
            built = svc.export_redline(doc, *redline)
        elif kind == "compilation":
            built = svc.export_compilation(doc, rev=rev, lang=lang)
        else:
            built = svc.export_clean(doc, include_all=include == "all", rev=rev, lang=lang)
        if built.untranslated:
            click.echo(
                f"untranslated in {built.language}, printed in the original's words in brackets:"
                f" {', '.join(built.untranslated)}",
                err=True,
            )
        chosen = FORMATS[fmt]
        if chosen.binary and not output:
            raise UsageError(f"--format {fmt} needs -o FILE")
        data = chosen.render(built)
    if output:
        from workplan.files import write_atomic

        path = write_atomic(output, data, force=force)
        click.echo(f"Wrote {path}", err=True)
    else:
        click.echo(data, nl=False)
