"""Command palette providers: the same actions as the key bindings."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from workplan.model.text import counted

if TYPE_CHECKING:
    from workplan.tui.app import WorkplanApp

Command = tuple[str, str, Callable[[], object]]
"""A command: its name, its help line and what it does."""

#: App bindings offered in the palette (by id), with the help line shown under each.
PALETTE_BINDINGS = {
    "dashboard": "Counts per status, silence, objections, amendments to decide",
    "revisions": "List the revisions and compare any two (or the draft, or the predecessor)",
    "record": "The event log, filterable, and the check of the record's chain",
    "export": "Write the clean, compilation or redline text as txt, md, html, docx, odt, json",
    "help": "Every key of this screen and of the app",
    "open-document": "Choose another document of the record",
}
LIGHT, DARK = "textual-light", "textual-dark"


def literal(matcher: Matcher, text: str) -> Content:
    """`text` with the matched letters highlighted, never read as markup."""
    return matcher.highlight(text) if escape(text) == text else Content(text)


class CommandsProvider(Provider):
    """A provider listing `_commands()`: all before typing, the matching ones after."""

    def _commands(self) -> list[Command]:
        raise NotImplementedError

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


class DocumentCommands(CommandsProvider):
    """Open any document in the record; quit."""

    def _commands(self) -> list[Command]:
        app = cast("WorkplanApp", self.app)
        commands: list[Command] = [
            (
                f"Open document: {doc.title or doc.id}",
                f"{doc.id} · {counted(count, 'paragraph')}",
                partial(app.open_document, doc.id),
            )
            for doc, count in app.service.documents()
        ]
        commands.append(("Quit", "Leave workplan", app.action_quit))
        return commands


class ScreenCommands(CommandsProvider):
    """The app's screens and actions, named as their key bindings are; themes."""

    def _commands(self) -> list[Command]:
        app = cast("WorkplanApp", self.app)
        bindings = {
            b.id: b for b in app.BINDINGS if isinstance(b, Binding) and b.id in PALETTE_BINDINGS
        }
        commands: list[Command] = [
            (
                f"{binding.description} ({app.get_key_display(binding)})",
                PALETTE_BINDINGS[binding_id],
                getattr(app, f"action_{binding.action}"),
            )
            for binding_id, binding in bindings.items()
            if binding_id is not None
        ]
        commands.append(("Change theme", "Pick a colour theme", app.action_change_theme))
        commands.append(("Toggle light / dark theme", "Switch light and dark", self._toggle))
        return commands + self._screen_actions(set(PALETTE_BINDINGS))

    def _screen_actions(self, listed: set[str]) -> list[Command]:
        """Every action of the screen the palette was opened on (and of its focused widget)
        that is available now: amend, positions, reservations, the chair's decisions..."""
        app = cast("WorkplanApp", self.app)
        commands: list[Command] = []
        seen: set[str] = set()
        for active in self.screen.active_bindings.values():
            b = active.binding
            if active.node is app or not b.description or not active.enabled:
                continue
            if b.id in listed or b.action in seen or b.action.startswith("app."):
                continue
            seen.add(b.action)
            commands.append(
                (
                    f"{b.description} ({app.get_key_display(b)})",
                    b.tooltip or f"{b.description}, as the {app.get_key_display(b)} key does",
                    partial(app.run_action, b.action, active.node),
                )
            )
        return commands

    def _toggle(self) -> None:
        self.app.theme = LIGHT if self.app.current_theme.dark else DARK
