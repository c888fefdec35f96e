"""Notices in an open TUI: when another process records something that concerns the user
(see `workplan.service.notices` for what does), say so with a toast naming the paragraph."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from workplan.errors import WorkplanError

if TYPE_CHECKING:
    from textual.app import App

    from workplan.service import Service
    from workplan.service.notices import Notice

TIMEOUTS = {"information": 8.0, "warning": 15.0, "error": 15.0}
"""Seconds a notice stays up, by severity: one to act on stays longer."""


class Notifier:
    """Reads the events since the last one seen and notifies those that concern the user."""

    def __init__(self, app: App[Any], service: Service, document: Callable[[], str]) -> None:
        """`document` says which document is open (only its events are read for notices)."""
        self._app = app
        self._service = service
        self._document = document
        self.seen = service.last_event_id()
        """The last event read: nothing recorded before the app started is notified."""
        self.shown: list[Notice] = []
        """Every notice shown, in order."""

    def check(self) -> None:
        """Read what was recorded since the last check; notify what concerns the user."""
        try:
            self.seen, found = self._service.notices_since(self._document(), self.seen)
        except WorkplanError:
            return  # the document is gone or the record busy: the next change tries again
        for notice in found:
            self.shown.append(notice)
            self._app.notify(
                notice.message,
                title=notice.title,
                severity=notice.severity,
                timeout=TIMEOUTS[notice.severity],
            )
