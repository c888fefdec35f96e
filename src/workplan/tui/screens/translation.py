"""Translations side by side: the paragraphs of the open document with their translation's
state in one language (current, stale, missing), and the selected one in the original and in
that language, with the word diff of what changed in the original since it was translated.

`n` takes the next language, `s` shows only the stale paragraphs, Enter shows the paragraph
on the draft screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from workplan.errors import WorkplanError
from workplan.model.languages import language_code, language_name
from workplan.model.translation import STATES
from workplan.tui.screens.subscreen import SubScreen
from workplan.tui.widgets.side_by_side import SideBySide, state_badge

if TYPE_CHECKING:
    from workplan.service import Service


class TranslationScreen(SubScreen):
    """The open document's paragraphs in the original and in one other language."""

    DEFAULT_CSS = """
    TranslationScreen {
        & #tr-bar { height: 1; padding: 0 1; background: $boost; }
        & #tr-list { width: 30; height: 1fr; border: round $foreground 30%; }
        & #tr-list:focus { border: round $border; }
        & SideBySide { width: 1fr; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "next_language", "Next language", id="translation-language"),
        Binding("s", "toggle_stale", "Stale only", id="translation-stale"),
        Binding("enter", "show_paragraph", "Show paragraph", id="translation-open"),
    ]

    def __init__(self, service: Service, document_id: str, uid: str | None = None) -> None:
        super().__init__(service, document_id)
        original = service.document(document_id).original_language
        self.original_code = language_code(original)
        """The original's language code (None when it is not an official language)."""
        self.original_name = original
        self.languages = service.translation_languages(document_id)
        """The languages the document is translated into."""
        self.language = self.languages[0] if self.languages else ""
        """The language shown beside the original."""
        self.stale_only = False
        """Whether the list shows only the stale paragraphs."""
        self.rows: list[dict[str, Any]] = []
        """The paragraphs listed, as `Service.translated_paragraphs` gives them."""
        self._uid = uid

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="tr-bar", markup=False)
        with Horizontal():
            yield OptionList(id="tr-list")
            yield SideBySide(self.original_name, id="side-by-side")
        yield Footer()

    def on_mount(self) -> None:
        """Read the record and show the paragraph the draft screen was on."""
        self.name_screen("Translations")
        self.reload()
        self.query_one(OptionList).focus()

    @property
    def language_name(self) -> str:
        """The shown language's name, in English and in itself: `Spanish (español)`."""
        return f"{language_name(self.language)} ({language_name(self.language, self.language)})"

    def reload(self) -> None:
        """Read the paragraphs and their translations again, keeping the selection."""
        listing = self.query_one(OptionList)
        if listing.highlighted is not None and listing.highlighted < len(self.rows):
            self._uid = self.rows[listing.highlighted]["uid"]
        try:
            rows = self.service.translated_paragraphs(self.document_id, self.language)
        except WorkplanError as exc:
            self.notify(str(exc), title="Cannot show translations", severity="error")
            rows = []
        counts = {state: sum(r["state"] == state for r in rows) for state in STATES}
        self.rows = [r for r in rows if r["state"] == "stale"] if self.stale_only else rows
        listing.clear_options()
        listing.add_options(
            Option(Content.assemble(f"{r['ref']:<10} ", state_badge(r["state"])), id=r["uid"])
            for r in self.rows
        )
        shown = "stale only" if self.stale_only else "all paragraphs"
        said = ", ".join(f"{n} {state}" for state, n in counts.items())
        self.query_one("#tr-bar", Static).update(
            f"{self.language_name}: {said} · showing {shown} · n next language, s stale only"
        )
        at = next((i for i, r in enumerate(self.rows) if r["uid"] == self._uid), 0)
        if self.rows:
            listing.highlighted = at
        self._show(at if self.rows else None)

    def _show(self, index: int | None) -> None:
        row = self.rows[index] if index is not None and index < len(self.rows) else None
        self.query_one(SideBySide).show(row, self.language_name)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Show the highlighted paragraph side by side."""
        self._show(event.option_index)
        if event.option.id:
            self._uid = event.option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a paragraph shows it on the draft screen."""
        if event.option.id:
            self.choose(event.option.id)

    def action_next_language(self) -> None:
        """Show the next language beside the original."""
        if not self.languages:
            return
        at = self.languages.index(self.language) if self.language in self.languages else -1
        self.language = self.languages[(at + 1) % len(self.languages)]
        self.reload()

    def action_toggle_stale(self) -> None:
        """List only the paragraphs whose translation is stale, or all of them again."""
        self.stale_only = not self.stale_only
        self.reload()

    def action_show_paragraph(self) -> None:
        """Show the selected paragraph on the draft screen."""
        if self._uid:
            self.choose(self._uid)
