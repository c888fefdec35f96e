"""The front of the service: `Service`, composed of its areas, and `open_service`."""

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
from workplan.service.notices import NoticesMixin
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
    NoticesMixin,
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
    create: bool = False,
) -> Service:
    """The service over the workplan record at `db_path`.

    Only with `create` (init, the TUI's first run) is a missing record created; any file that
    is not a workplan record is refused, untouched. `pinned`: a roster chose the principal
    (see `Identity.pinned`).
    """
    from workplan.store import create_record, open_record

    db = create_record(db_path) if create else open_record(db_path)
    return Service(db, principal, on_behalf_of=on_behalf_of, pinned=pinned)


__all__ = ["DEFAULT_DOCUMENT", "Service", "open_service"]
