"""Reading and checking the record: events, the chain, the roster."""

from __future__ import annotations

from pathlib import Path

from workplan.errors import InputError, NotFoundError
from workplan.model import Event, Role
from workplan.service.core import ServiceBase
from workplan.store import events as store_events
from workplan.store import rows


class RecordMixin(ServiceBase):
    """The event log and its verification."""

    def events(self, doc_id: str | None = None, limit: int | None = None) -> list[Event]:
        """Events in order, for one document or all."""
        return store_events.list_events(self.db, document=doc_id, limit=limit)

    def verify(self) -> list[str]:
        """Check the record; return the problems found (empty when intact)."""
        problems = []
        row = self.db.execute("PRAGMA integrity_check").fetchone()
        if row and row[0] != "ok":
            problems.append(f"SQLite integrity check failed: {row[0]}")
        problems += store_events.chain_problems(self.db)
        problems += rows.differences(
            rows.fold(ch for e in self.events() for ch in e.payload.get("changes", [])),
            rows.current(self.db),
        )
        return problems

    def backup(self, path: str | Path) -> Path:
        """Write a consistent copy of the record to a new file (online backup API)."""
        from workplan.store.backup import backup_to

        target = Path(path).expanduser()
        backup_to(self.db, target)
        return target

    def restore(self, path: str | Path, keep_old: str | Path) -> int:
        """Replace the record with a verified backup; the current record is kept at `keep_old`.

        Returns the number of events in the restored record.
        """
        from workplan.store.backup import load_backup, restore_from

        source = Path(path).expanduser()
        if not source.is_file():
            raise NotFoundError(f"no such file: {path}")
        if self.principal.role not in (Role.SECRETARIAT, Role.CHAIR):
            raise self._refuse("record.restore", "only the secretariat or the chair restores")
        candidate = load_backup(source)
        try:
            count = len(store_events.list_events(candidate))
            if count == 0:
                raise InputError(f"{path} holds an empty record; refusing to restore it")
            problems = RecordMixin(candidate).verify()
            if problems:
                raise InputError(f"{path} fails verification: {problems[0]}")
            self.backup(keep_old)
            restore_from(self.db, candidate)
        finally:
            candidate.close()
        return count
