"""The SQLite record: the only package that imports sqlite-utils.

Storage is plain functions over a `sqlite_utils.Database` passed in; the read path
(`store.read`) uses sqlite3 alone. The names below are imported when first used, so reading
does not load sqlite-utils.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workplan.store.db import (
        StoreDB,
        connect,
        create_record,
        open_record,
        transaction,
        writers_lock,
    )

__all__ = ["StoreDB", "connect", "create_record", "open_record", "transaction", "writers_lock"]


def __getattr__(name: str) -> Any:
    """A name of `store.db`, imported on first use (submodules import as usual)."""
    if name not in __all__:
        raise AttributeError(f"module 'workplan.store' has no attribute {name!r}")
    from workplan.store import db

    value = getattr(db, name)
    globals()[name] = value
    return value
