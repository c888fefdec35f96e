"""Live refresh: notice when another process commits to the record, and reload what is shown.

SQLite's `PRAGMA data_version` changes on a connection whenever *another* connection commits
to the same database file (our own commits leave it alone, and they reload anyway).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from weakref import WeakSet

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual.app import App

POLL_SECONDS = 1.0
"""How often the record is asked whether someone else wrote to it."""


class LiveRefresh:
    """Polls a change counter; on a change, reloads the screen the user is looking at.

    Modal screens (editors, pickers) are never reloaded, so text being typed is never touched;
    the screen under them is. Screens further down the stack are reloaded when they come back
    to the top.
    """

    def __init__(
        self,
        app: App[Any],
        read: Callable[[], int],
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self._app = app
        self._read = read
        self._on_change = on_change
        self._version = read()
        self._stale: WeakSet[Screen[Any]] = WeakSet()

    def poll(self) -> None:
        """Read the counter; when it changed, call `on_change` (the notices) and mark the
        screens stale; reload the visible screen when it is stale."""
        version = self._read()
        if version != self._version:
            self._version = version
            if self._on_change is not None:
                self._on_change()
            self._stale.update(s for s in self._app.screen_stack if hasattr(s, "reload"))
        visible = self.visible()
        if visible is not None and visible in self._stale:
            self._stale.discard(visible)
            visible.reload()  # type: ignore[attr-defined]

    def visible(self) -> Screen[Any] | None:
        """The top screen that is not a modal (the one seen, perhaps under a dialog)."""
        for screen in self._app.screen_stack[::-1]:
            if not isinstance(screen, ModalScreen):
                return screen
        return None
