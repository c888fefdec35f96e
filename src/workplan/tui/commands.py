"""Command palette providers: the same actions as the key bindings."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from workplan.tui.app import WorkplanApp


class DocumentCommands(Provider):
    """Open any document in the record; quit."""

    def _commands(self) -> list[tuple[str, str, object]]:
        app = cast("WorkplanApp", self.app)
        items: list[tuple[str, str, object]] = [
            (
                f"Open document: {doc.title}",
                f"{doc.id}, {n} paragraphs",
                partial(app.open_document, doc.id),
            )
            for doc, n in app.service.documents()
        ]
        items.append(("Quit", "Leave workplan", app.action_quit))
        return items

    async def discover(self) -> Hits:
        """Everything, before anything is typed."""
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)  # type: ignore[arg-type]

    async def search(self, query: str) -> Hits:
        """Fuzzy-match the commands."""
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)  # type: ignore[arg-type]
