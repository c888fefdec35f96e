"""The SQLite record: the only package that imports sqlite-utils.

Storage is plain functions over a `sqlite_utils.Database` passed in.
"""

from workplan.store.db import StoreDB, connect, transaction

__all__ = ["StoreDB", "connect", "transaction"]
