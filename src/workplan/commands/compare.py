"""Comparison commands: diff and lineage."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from workplan.commands._shared import DEFAULT_DOC, Context, pass_ctx
from workplan.errors import UsageError

FORMATS = ["text", "porcelain", "json", "md", "html"]

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    help="Output format  [default: text]",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write to FILE."
)
force_option = click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")


def _format(fmt: str | None, as_json: bool) -> str:
    """The output format: --format, or json for --json (the two must agree), else text."""
    if as_json and fmt not in (None, "json"):
        raise UsageError(f"--json and --format {fmt} contradict each other: give one")
    return "json" if as_json else fmt or "text"


def _render(side_a: Any, side_b: Any, diff: Any, fmt: str, context: bool) -> str | None:
    from workplan import diff_render as diffing

    if fmt == "json":
        data = diffing.render_json(diff, context=context)
        payload = {"a": side_a.label, "b": side_b.label, **data}
        return json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "porcelain":
        return str(diffing.render_porcelain(diff, context=context))
    if fmt == "md":
        return str(diffing.render_markdown(diff, context=context, title=_title(side_a, side_b)))
    if fmt == "html":
        return str(diffing.render_html(diff, context=context, title=_title(side_a, side_b)))
    color = sys.stdout.isatty()
    header = click.style(_title(side_a, side_b), bold=True) if color else _title(side_a, side_b)
    return header + "\n\n" + str(diffing.render_text(diff, color=color, context=context))


def _title(a: Any, b: Any) -> str:
    return f"{a.label} → {b.label}"


def _emit(text: str | None, output: str | None, force: bool) -> None:
    if text is None:
        return
    if output:
        from workplan.files import write_atomic

        click.echo(f"Wrote {write_atomic(output, text, force=force)}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


@click.command()
@click.argument("a", required=False)
@click.argument("b", required=False)
@click.option("--doc", default=DEFAULT_DOC, show_default=True, help="The document.")
@click.option(
    "--files",
    nargs=2,
    type=click.Path(dir_okay=False),
    metavar="X Y",
    help="Compare two files instead (any format import takes; aligned by content).",
)
@format_option
@json_option
@click.option("--context", is_flag=True, help="Show unchanged paragraphs too.")
@output_option
@force_option
@pass_ctx
def diff(
    c: Context,
    a: str | None,
    b: str | None,
    doc: str,
    files: tuple[str, str] | None,
    fmt: str | None,
    as_json: bool,
    context: bool,
    output: str | None,
    force: bool,
) -> None:
    """Word-level diff, paragraph by paragraph: revisions, the draft, plans or files.

    A and B are revisions (`rev. 2` or `2`), `draft` (the working state) or another
    document's id; defaults: the last revision against the working draft.

    \b
    Example:
        workplan diff 2 draft
        workplan diff second-work-plan third-work-plan --format html -o changes.html
        workplan diff --files old.md new.md --format porcelain
    """
    fmt = _format(fmt, as_json)
    if files:
        from workplan.service.files import compare_files

        side_a, side_b, d = compare_files(*files)
    else:
        side_a, side_b, d = c.service().compare(doc, a, b)
    _emit(_render(side_a, side_b, d, fmt, context), output, force)


@click.command()
@click.argument("doc", default=DEFAULT_DOC)
@format_option
@json_option
@click.option("--changed", is_flag=True, help="Only paragraphs that are not carried over as is.")
@output_option
@force_option
@pass_ctx
def lineage(
    c: Context,
    doc: str,
    fmt: str | None,
    as_json: bool,
    changed: bool,
    output: str | None,
    force: bool,
) -> None:
    """For a plan started from another: each paragraph carried over, modified, new or dropped.

    \b
    Example:
        workplan lineage --changed
        workplan lineage --json -o lineage.json
    """
    fmt = _format(fmt, as_json)
    side_a, side_b, d = c.service().lineage(doc)
    _emit(_render(side_a, side_b, d, fmt, not changed), output, force)
