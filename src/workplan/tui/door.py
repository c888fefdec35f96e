"""How the TUI reaches the record: the read path at once, and services opened when needed.

The app starts on the read path (`service.reading`: no pydantic, no write side) to draw its
first frame; the write side (`Service`) is imported and opened after it, in a worker. Every
action runs in a worker too, on a `Service` of its own connection (a connection belongs to the
thread that opened it), with the same principal, delegation, clock and uid factory, so that a
record busy with another process's write never freezes the screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workplan.model.vocab import Principal
    from workplan.service import Service
    from workplan.service.reading import Reading


class Door:
    """The record at `db_path`, as one principal sees it (see the module's docstring);
    `reading` is the read path already open on it, if any."""

    def __init__(
        self,
        db_path: str | Path,
        principal: Principal,
        *,
        on_behalf_of: str | None = None,
        pinned: bool = False,
        clock: Callable[[], datetime] | None = None,
        uids: Callable[[], str] | None = None,
        reading: Reading | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        """The record's file."""
        self.principal = principal
        """Who acts."""
        self.on_behalf_of = on_behalf_of
        """The delegation the secretariat records for, if any."""
        self.pinned = pinned
        self.now: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        """The clock (tests pass their own)."""
        self._uids = uids
        self._reading = reading

    @classmethod
    def of(cls, service: Service) -> Door | None:
        """The door to a service's record, acting as it does; None for an in-memory record
        (no other connection can open it: its actions run on the UI thread)."""
        path = service.db_path()
        if not path:
            return None
        return cls(
            path,
            service.principal,
            on_behalf_of=service.on_behalf_of,
            pinned=service.pinned,
            clock=service.now,
            uids=service.session.new_uid,
        )

    def reading(self) -> Reading:
        """The read path over the record (opened once, on the thread that first asks)."""
        if self._reading is None:
            from workplan.service.reading import open_reading

            self._reading = open_reading(self.db_path, self.principal, self.open)
        return self._reading

    def open(self, on_behalf_of: str | None = None) -> Service:
        """A new service over the record, on its own connection (imports the write side);
        `on_behalf_of` records for that delegation instead of the door's."""
        from workplan.service.front import Service
        from workplan.store import open_record

        extra = {"uids": self._uids} if self._uids is not None else {}
        return Service(
            open_record(self.db_path),
            self.principal,
            on_behalf_of=on_behalf_of or self.on_behalf_of,
            clock=self.now,
            pinned=self.pinned,
            **extra,
        )
