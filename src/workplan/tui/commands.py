"""Command palette providers: the same actions as the key bindings."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

if TYPE_CHECKING:
    from workplan.tui.app import WorkplanApp


def literal(matcher: Matcher, text: str) -> Content:
    """`text` with the matched letters highlighted, never read as markup."""
    return matcher.highlight(text) if escape(text) == text else Content(text)


class DocumentCommands(Provider):
    """Open any document in the record; quit."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = cast("WorkplanApp", self.app)
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (
                f"Open document: {doc.title}",
                f"{doc.id} · {count} paragraphs",
                partial(app.open_document, doc.id),
            )
            for doc, count in app.service.documents()
        ]
        commands.append(("Quit", "Leave workplan", app.action_quit))
        return commands

    async def discover(self) -> Hits:
        """Every command, before anything is typed."""
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        """The commands matching what was typed."""
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            if score := matcher.match(name):
                shown = literal(matcher, name)
                yield Hit(score, shown, callback, text=name, help=escape(help_text))
