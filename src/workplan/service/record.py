"""Reading and checking the record: events, the chain, the schema, backup and restore."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workplan.errors import InputError, NotFoundError, UsageError
from workplan.model import Event, Role
from workplan.service.core import Session
from workplan.store import events as store_events
from workplan.store import integrity as store_integrity
from workplan.store import schema as store_schema
from workplan.store import transaction, writers_lock

#: The shortest prefix of a hash `verify --expect-head` accepts (128 bits): with fewer digits
#: someone rewriting the record could grind an event whose hash starts with them.
MIN_HEAD_PREFIX = 32


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    events: int
    """Events in the backup."""
    old_head: str
    """The replaced record's chain head."""
    backup_head: str
    """The backup's chain head (the `record.restored` event chains to it)."""
    head: str
    """The restored record's chain head: the `record.restored` event."""
    kept: Path
    """Where the replaced record is kept."""


def head_prefix(value: str) -> str:
    """A chain head given by a user: 32 to 64 hex digits, lowercased; UsageError otherwise."""
    h = value.strip().lower()
    if not (MIN_HEAD_PREFIX <= len(h) <= 64) or any(c not in "0123456789abcdef" for c in h):
        raise UsageError(
            f"--expect-head takes a chain head: {MIN_HEAD_PREFIX} to 64 hex digits, not {value!r}"
        )
    return h


class Record:
    """The event log and its verification; backup and restore."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def events(self, doc_id: str | None = None, limit: int | None = None) -> list[Event]:
        """Events in order, for one document or all."""
        return store_events.list_events(self.session.db, document=doc_id, limit=limit)

    def verify(self, expect_head: str | None = None) -> list[str]:
        """Check the record; return the problems found (empty when intact).

        SQLite's integrity check; the schema against the one the code creates (anything extra,
        missing or different is named); the hash chain; the tables against the events; every
        frozen revision's chain head is in the chain; and, given `expect_head` (a head kept
        outside the host), that it is the current head or an earlier event of the chain.
        """
        problems = []
        problems += store_integrity.integrity_problems(self.session.db)
        problems += store_schema.schema_problems(self.session.db)
        if not store_schema.has_every_column(self.session.db):
            return list(dict.fromkeys(problems))
        problems += store_events.chain_problems(self.session.db)
        problems += store_integrity.replay_problems(self.session.db)
        for doc, number, head in store_events.revision_heads(self.session.db):
            if not store_events.find_hash(self.session.db, head):
                problems.append(
                    f"rev. {number} of {doc} was frozen at chain head {head}, which is not in"
                    " the chain"
                )
        if expect_head is not None:
            problems += self._expect_head_problems(head_prefix(expect_head))
        return list(dict.fromkeys(problems))

    def anchor(self, expect_head: str) -> tuple[int, str] | None:
        """The event (id, hash) the outside head `expect_head` names, or None if none does."""
        found = store_events.find_hash(self.session.db, head_prefix(expect_head))
        return found[0] if len(found) == 1 else None

    def _expect_head_problems(self, prefix: str) -> list[str]:
        found = store_events.find_hash(self.session.db, prefix)
        if len(found) == 1:
            return []
        if found:
            return [f"the expected head {prefix} matches {len(found)} events: give more digits"]
        msg = (
            f"the expected head {prefix} is not in the chain: this record does not hold the"
            " history that head anchors (rewritten, cut short, or another record)"
        )
        restores = store_events.restores_from(self.session.db, prefix)
        if restores:
            e = restores[-1]
            msg += (
                f"; it was the head of the record replaced by the restore at event {e.id}"
                f" ({e.at:%Y-%m-%d %H:%M}Z, from {e.payload.get('from', '?')})"
            )
        return [msg]

    def backup(self, path: str | Path) -> Path:
        """Write a consistent copy of the record to a new file (online backup API)."""
        from workplan.store.backup import backup_to

        target = Path(path).expanduser()
        backup_to(self.session.db, target)
        return target

    def restore(
        self, path: str | Path, keep_old: str | Path, *, expect_head: str | None = None
    ) -> Restored:
        """Replace the record with a verified backup; the current record is kept at `keep_old`.

        The backup must pass `verify` in full (schema included). The restored record gets a
        `record.restored` event (who, from which file, the old and the backup's heads, the
        kept file), chained to the backup's head. With `expect_head`, the backup must also hold
        that head (see `verify`).
        """
        from workplan.store.backup import load_backup, restore_from

        source = Path(path).expanduser()
        if not source.is_file():
            raise NotFoundError(f"no such file: {path}")
        if self.session.principal.role not in (Role.SECRETARIAT, Role.CHAIR):
            raise self.session.refuse(
                "record.restore", "only the secretariat or the chair restores"
            )
        keep = Path(keep_old).expanduser()
        if expect_head is not None:
            head_prefix(expect_head)  # a malformed head is a usage error before any work
        candidate = load_backup(source)
        try:
            count = len(store_events.list_events(candidate))
            if count == 0:
                raise InputError(f"{path} holds an empty record; refusing to restore it")
            problems = Record(Session(candidate)).verify(expect_head)
            if problems:
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                raise InputError(f"{path} fails verification: {problems[0]}{more}")
            backup_head = store_events.head(candidate)[1]
            with writers_lock(self.session.db):
                old_head = store_events.head(self.session.db)[1]
                self.backup(keep)
                try:
                    with transaction(candidate):
                        event = store_events.append(
                            candidate,
                            actor=self.session.principal.id,
                            on_behalf_of=self.session.on_behalf_of,
                            action="record.restored",
                            payload={
                                "from": str(source.resolve()),
                                "old_head": old_head,
                                "backup_head": backup_head,
                                "kept": str(keep.resolve()),
                                "summary": f"record restored from {source.name}",
                            },
                            at=self.session.now(),
                        )
                    restore_from(self.session.db, candidate)
                except BaseException:
                    keep.unlink(missing_ok=True)
                    raise
        finally:
            candidate.close()
        return Restored(count, old_head, backup_head, event.hash, keep)
