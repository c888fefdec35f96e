"""The SQLite record: the only package that imports sqlite-utils.

Storage is plain functions over a `sqlite_utils.Database` passed in.
"""

from workplan.store.db import (
    StoreDB,
    connect,
    create_record,
    open_record,
    transaction,
    writers_lock,
)

__all__ = ["StoreDB", "connect", "create_record", "open_record", "transaction", "writers_lock"]
