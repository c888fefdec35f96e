"""The one door for every change: permissions, validation, the event, one transaction.

`Service` (in `service.front`) is imported when first named, so the read path
(`service.reading`) and identity start without the write side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workplan.service.core import DEFAULT_DOCUMENT
    from workplan.service.front import Service, open_service

__all__ = ["DEFAULT_DOCUMENT", "Service", "open_service"]


def __getattr__(name: str) -> Any:
    """`Service`, `open_service` or `DEFAULT_DOCUMENT`, imported on first use."""
    if name not in __all__:
        raise AttributeError(f"module 'workplan.service' has no attribute {name!r}")
    from workplan.service import front

    value = getattr(front, name)
    globals()[name] = value
    return value
