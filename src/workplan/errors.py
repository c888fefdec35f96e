"""The one project error type, with the exit code the CLI uses for it."""

from __future__ import annotations


class WorkplanError(Exception):
    """An error a user can act on: a one-line message and an exit code."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(WorkplanError):
    """The command was called the wrong way (exit 2)."""

    exit_code = 2


class InputError(WorkplanError):
    """Input data is malformed or invalid (exit 65, EX_DATAERR)."""

    exit_code = 65


class NotFoundError(WorkplanError):
    """A file, document, paragraph or object does not exist (exit 66, EX_NOINPUT)."""

    exit_code = 66


class StorageError(WorkplanError):
    """The disk or an output failed: full, an I/O error, standard output closed (exit 74,
    EX_IOERR)."""

    exit_code = 74


class ConflictError(WorkplanError):
    """Someone changed the record meanwhile, or the database is busy (exit 75, EX_TEMPFAIL)."""

    exit_code = 75


class PermissionDenied(WorkplanError):
    """The acting principal may not do this (exit 77, EX_NOPERM)."""

    exit_code = 77


class ProcedureError(WorkplanError):
    """The procedure does not allow this now (exit 1): e.g. agreeing over an objection."""

    exit_code = 1
