"""The one registry of export formats feeds the CLI's choices and the TUI's dialog."""

from __future__ import annotations

import click

from workplan.commands.exports import export
from workplan.formats.registry import DRAFT_FORMAT, FORMATS
from workplan.tui.screens.export import FORMATS as DIALOG


def test_cli_choices_are_the_registry_in_order() -> None:
    option = next(p for p in export.params if p.name == "fmt")
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == ["md", "markdown", "txt", "docx", "odt", "html", "json"]
    assert list(option.type.choices) == list(FORMATS)
    assert option.default == DRAFT_FORMAT


def test_dialog_offers_every_format_with_its_extension() -> None:
    assert list(DIALOG) == ["docx", "odt", "html", "markdown", "txt", "json", "md"]
    assert {name: f.extension for name, f in FORMATS.items()} == DIALOG
    assert {name for name, f in FORMATS.items() if f.binary} == {"docx", "odt"}
