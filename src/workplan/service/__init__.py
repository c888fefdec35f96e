"""The one door for every change: permissions, validation, the event, one transaction."""

from __future__ import annotations

from pathlib import Path

from workplan.model import Principal
from workplan.service.amendments import AmendmentsMixin
from workplan.service.compare import CompareMixin
from workplan.service.core import DEFAULT_DOCUMENT, ServiceBase
from workplan.service.decisions import DecisionsMixin
from workplan.service.documents import DocumentsMixin
from workplan.service.exports import ExportsMixin
from workplan.service.imports import ImportsMixin
from workplan.service.positions import PositionsMixin
from workplan.service.record import RecordMixin
from workplan.service.redline import RedlineMixin
from workplan.service.revisions import RevisionsMixin


class Service(
    RedlineMixin,
    ExportsMixin,
    CompareMixin,
    AmendmentsMixin,
    PositionsMixin,
    DecisionsMixin,
    RevisionsMixin,
    RecordMixin,
    ImportsMixin,
    DocumentsMixin,
    ServiceBase,
):
    """Everything a user can do, as methods. CLI and TUI call only this."""


def open_service(
    db_path: str | Path,
    principal: Principal | None = None,
    on_behalf_of: str | None = None,
    *,
    pinned: bool = False,
) -> Service:
    """Open the record at `db_path` (creating the schema) and return the service over it.

    `pinned`: a roster chose the principal (see `Identity.pinned`).
    """
    from workplan.store import connect

    return Service(connect(db_path), principal, on_behalf_of=on_behalf_of, pinned=pinned)


__all__ = ["DEFAULT_DOCUMENT", "Service", "open_service"]
