"""The service's base: the acting principal, permissions, and one transaction per action."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from workplan.errors import NotFoundError, PermissionDenied, UsageError
from workplan.model import OBSERVER, Delegation, Document, Draft, Event, Principal, Role, new_uid
from workplan.service.policy import ON_BEHALF_ACTIONS, PHRASES, allowed, refusal
from workplan.store import StoreDB, transaction
from workplan.store import connection as store_connection
from workplan.store import delegations as store_delegations
from workplan.store import documents as store_documents
from workplan.store import events as store_events
from workplan.store.rows import Change

DEFAULT_DOCUMENT = "third-work-plan"


class Recorder:
    """Handed to an action inside its transaction: its row changes and its events.

    Every table change goes through `change` and travels in the next event, so the record
    alone can rebuild the tables (see `verify`).
    """

    def __init__(self, db: StoreDB, actor: str, on_behalf_of: str | None, at: datetime) -> None:
        self.db = db
        self.actor = actor
        self.on_behalf_of = on_behalf_of
        self.at = at
        self.events: list[Event] = []
        self.pending: list[Change] = []

    def change(self, *changes: Change | list[Change]) -> None:
        """Note row changes (made through `workplan.store.rows`) for the next event."""
        for ch in changes:
            self.pending.extend(ch if isinstance(ch, list) else [ch])

    def event(self, action: str, payload: dict[str, Any], document: str | None = None) -> Event:
        """Append one event to the record, in this transaction, with the pending changes."""
        if self.pending:
            payload = {**payload, "changes": self.pending}
            self.pending = []
        ev = store_events.append(
            self.db,
            actor=self.actor,
            on_behalf_of=self.on_behalf_of,
            action=action,
            document=document,
            payload=payload,
            at=self.at,
        )
        self.events.append(ev)
        return ev


class Refusal(PermissionDenied):
    """A refusal found inside an action's transaction.

    Raise it there; `Session.action` records it as `permission.refused` once the transaction has
    rolled back (a refusal written inside it would be rolled back too), then raises it.
    """

    def __init__(self, action: str, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.action = action
        self.details = details


class Session:
    """What every area of the service shares: the connection to the record, the acting
    principal, the clock and the uid factory; and the door every change goes through
    (`action`: permission, one transaction, its events)."""

    def __init__(
        self,
        db: StoreDB,
        principal: Principal | None = None,
        *,
        on_behalf_of: str | None = None,
        clock: Callable[[], datetime] | None = None,
        pinned: bool = False,
        uids: Callable[[], str] = new_uid,
    ) -> None:
        self.db = db
        self.principal = principal or Principal(id=OBSERVER)
        self.pinned = pinned
        """True when a roster pinned the principal (then only some may initialise a record)."""
        self.on_behalf_of = on_behalf_of.upper() if on_behalf_of else None
        self.clock: Callable[[], datetime] = clock or (lambda: datetime.now(UTC))
        self.new_uid = uids
        """Makes a new paragraph uid (tests may pass their own)."""

    def db_path(self) -> str:
        """The database file's path ("" for an in-memory record), to open another connection."""
        return store_connection.file_path(self.db)

    def close(self) -> None:
        """Close the connection to the record."""
        self.db.close()

    def now(self) -> datetime:
        """The service's clock (UTC); tests pass their own."""
        return self.clock()

    # -- permissions ------------------------------------------------------------------------
    def refuse(self, action: str, reason: str, **details: Any) -> PermissionDenied:
        """Record a `permission.refused` event (the acting principal, what it tried, why)."""
        with transaction(self.db):
            store_events.append(
                self.db,
                actor=self.principal.id,
                on_behalf_of=self.on_behalf_of,
                action="permission.refused",
                payload={"action": action, "reason": reason, **details},
                at=self.now(),
            )
        return PermissionDenied(reason)

    def authorize(self, action: str) -> tuple[str, str | None]:
        """Check the policy; return (actor, on_behalf_of). Refusals are logged, then raised."""
        role = self.principal.role
        if not allowed(role, action):
            raise self.refuse(action, refusal(self.principal.id, role, action))
        if action in ON_BEHALF_ACTIONS:
            if role == Role.SECRETARIAT:
                if not self.on_behalf_of:
                    raise UsageError(
                        f"the secretariat may {PHRASES.get(action, action)} only on behalf of a"
                        " delegation:"
                        " pass --for CODE"
                    )
                self.require_delegation(self.on_behalf_of, action)
                return self.principal.id, self.on_behalf_of
            if self.on_behalf_of and self.on_behalf_of != self.principal.id:
                raise self.refuse(action, "only the secretariat records on behalf of a delegation")
            self.require_delegation(self.principal.id, action)
        elif self.on_behalf_of and role != Role.SECRETARIAT:
            raise self.refuse(action, "only the secretariat records on behalf of a delegation")
        return self.principal.id, None

    def acting_delegation(self) -> str | None:
        """The delegation an action is for: the principal itself or the one recorded for."""
        if self.principal.role == Role.DELEGATION:
            return self.principal.id
        if self.principal.role == Role.SECRETARIAT:
            return self.on_behalf_of
        return None

    def require_delegation(self, code: str, action: str) -> None:
        """`code` is a known, active delegation; an inactive one is a refusal of `action`.

        Raises `Refusal`: inside `action` (where every caller is) it is recorded.
        """
        known = {d.code: d for d in store_delegations.list_delegations(self.db)}
        if code not in known:
            raise NotFoundError(f"no delegation {code} in the roster")
        if not known[code].active:
            raise Refusal(
                action,
                f"{known[code].name_en} ({code}) is not an active delegation",
                delegation=code,
            )

    @contextmanager
    def action(self, action: str) -> Iterator[Recorder]:
        """Authorise, then run the body as one transaction with its events.

        A `Refusal` raised by the checks or the body is recorded after the rollback.
        """
        try:
            actor, behalf = self.authorize(action)
            with transaction(self.db):
                rec = Recorder(self.db, actor, behalf, self.now())
                yield rec
                if rec.pending:
                    raise RuntimeError(f"{action}: row changes without an event")
        except Refusal as exc:
            raise self.refuse(exc.action, exc.message, **exc.details) from None

    # -- reading ----------------------------------------------------------------------------
    def document(self, doc_id: str = DEFAULT_DOCUMENT) -> Document:
        """A document's metadata alone (one query)."""
        document = store_documents.get_document(self.db, doc_id)
        if document is None:
            raise _missing(doc_id)
        return document

    def refs(self, doc_id: str = DEFAULT_DOCUMENT) -> dict[str, str]:
        """A document's printed refs (uid → ref), without loading its text."""
        refs = store_documents.load_refs(self.db, doc_id)
        if refs is None:
            raise _missing(doc_id)
        return refs

    def draft(self, doc_id: str = DEFAULT_DOCUMENT) -> Draft:
        """A whole document, loaded in a fixed number of queries."""
        draft = store_documents.load_draft(self.db, doc_id)
        if draft is None:
            raise _missing(doc_id)
        return draft

    def delegations(self) -> list[Delegation]:
        """The roster."""
        return store_delegations.list_delegations(self.db)

    def delegation_names(self) -> dict[str, str]:
        """Each delegation's English name by code."""
        return {d.code: d.name_en for d in self.delegations()}

    def head(self) -> str:
        """The record's chain head (the last event's hash)."""
        return store_events.head(self.db)[1]


def _missing(doc_id: str) -> NotFoundError:
    return NotFoundError(f"no document {doc_id!r} (see `workplan docs`)")
