"""The export formats: one registry that `export --format` (its choices, in this order) and the
TUI's export dialog are both made from.

Each format names its file extension, whether it is binary, what it is, and how an `ExportDoc`
is rendered in it. Importing this module imports no renderer (nor pydantic): `render` imports
`workplan.formats.export` when it runs. `md` is the project's own draft format: the whole
working document, losslessly, when nothing else is asked for (the caller builds it with
`export_draft`); a built text (a compilation, a redline, a revision) asked for in `md` is
printed in Markdown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from workplan.formats.export import ExportDoc

BinaryFormat = Literal["docx", "odt"]
"""The formats pandoc writes (`workplan.formats.export.render_binary`)."""

DRAFT_FORMAT = "md"
"""The project's own draft format (see the module's docstring)."""


@dataclass(frozen=True)
class ExportFormat:
    """One export format."""

    name: str
    """What `--format` and the dialog call it."""
    extension: str
    """The file extension (without the dot)."""
    binary: bool
    """True for a file that is not text (it needs `-o FILE` on the command line)."""
    description: str
    """What it is, in a few words."""
    render: Callable[[ExportDoc], str | bytes]
    """The text or file of a built export in this format."""


def _markdown(doc: ExportDoc) -> str:
    from workplan.formats.export import render_markdown

    return render_markdown(doc)


def _text(doc: ExportDoc) -> str:
    from workplan.formats.export import render_text

    return render_text(doc)


def _html(doc: ExportDoc) -> str:
    from workplan.formats.export import render_html

    return render_html(doc)


def _json(doc: ExportDoc) -> str:
    from workplan.formats.export import render_json

    return json.dumps(render_json(doc), ensure_ascii=False, indent=2) + "\n"


def _binary(fmt: BinaryFormat) -> Callable[[ExportDoc], bytes]:
    def render(doc: ExportDoc) -> bytes:
        from workplan.formats.export import render_binary

        return render_binary(doc, fmt)

    return render


#: Every export format by name, in the order `export --format` lists them.
FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            DRAFT_FORMAT,
            "md",
            binary=False,
            description="the draft format (lossless); Markdown for a built text",
            render=_markdown,
        ),
        ExportFormat(
            "markdown",
            "md",
            binary=False,
            description="pandoc Markdown with footnotes and tracked-change spans",
            render=_markdown,
        ),
        ExportFormat("txt", "txt", binary=False, description="OAS plain text", render=_text),
        ExportFormat(
            "docx",
            "docx",
            binary=True,
            description="Word, with footnotes and tracked changes (pandoc)",
            render=_binary("docx"),
        ),
        ExportFormat(
            "odt",
            "odt",
            binary=True,
            description="OpenDocument, with footnotes and tracked changes (pandoc)",
            render=_binary("odt"),
        ),
        ExportFormat(
            "html", "html", binary=False, description="one self-contained page", render=_html
        ),
        ExportFormat("json", "json", binary=False, description="the export as data", render=_json),
    )
}
