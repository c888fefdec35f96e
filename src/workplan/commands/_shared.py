"""What every command shares: the context (database, acting principal), the options and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import click

from workplan.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from workplan.service import Service
    from workplan.service.identity import Identity
    from workplan.service.reading import Reading

DEFAULT_DOC = "third-work-plan"

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
doc_option = click.option("--doc", default=DEFAULT_DOC, show_default=True, help="The document.")
version_option = click.option(
    "--version",
    "expect_version",
    type=int,
    metavar="N",
    help="The paragraph version you read; refused (exit 75) if it changed meanwhile.",
)


class Context:
    """What every command needs: where the record is and who acts."""

    def __init__(
        self, db: str | None, as_: str | None, for_: str | None, as_source: str = "--as"
    ) -> None:
        self.db_arg = db
        self.as_arg = as_
        self.as_source = as_source
        """Where `as_arg` came from: `--as` or `WORKPLAN_AS` (named in a refusal)."""
        self.for_arg = for_
        self._service: Service | None = None
        self._identity: Identity | None = None

    @property
    def db_path(self) -> Path:
        """The database path: --db, $WORKPLAN_DB, or the user data dir."""
        from workplan.paths import default_db_path

        return Path(self.db_arg).expanduser() if self.db_arg else default_db_path()

    @overload
    def service(self, *, must_exist: bool = True) -> Service: ...

    @overload
    def service(self, *, reading: Literal[True]) -> Reading: ...

    def service(self, *, must_exist: bool = True, reading: bool = False) -> Service | Reading:
        """The service over the record (opened once); with `reading`, the read path only
        (plain read objects, no pydantic, nothing written; see `workplan.service.reading`)."""
        if reading:
            return self._reading()
        if self._service is None:
            from workplan.service import open_service
            from workplan.service.identity import require_may_create

            path = self.db_path
            if must_exist and not path.exists():
                raise NotFoundError(
                    f"no database at {path}: run `workplan init` first (or pass --db)"
                )
            ident = self.identity  # refusals come before anything is created
            if not must_exist:
                if not path.exists():
                    require_may_create(ident)
                path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._service = open_service(
                path,
                ident.principal,
                on_behalf_of=ident.on_behalf_of,
                pinned=ident.pinned,
                create=not must_exist,
            )
        return self._service

    def _reading(self) -> Reading:
        """The read path over the record: what the reading commands need, opened without the
        write side (an older record to migrate, or silence to settle, goes through it)."""
        from workplan.service.reading import open_reading

        path = self.db_path
        if not path.exists():
            raise NotFoundError(f"no database at {path}: run `workplan init` first (or pass --db)")
        ident = self.identity
        return open_reading(path, ident.principal, lambda: self.service())

    @property
    def identity(self) -> Identity:
        """Who acts: pinned by the roster file beside the database, or --as."""
        if self._identity is None:
            from workplan.service.identity import resolve_identity

            self._identity = resolve_identity(
                self.db_path, self.as_arg, self.for_arg, as_source=self.as_source
            )
        return self._identity


pass_ctx = click.make_pass_decorator(Context)


def emit_json(data: Any) -> None:
    """Print JSON (UTF-8, stable key order as built)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def parse_period(value: str | None) -> tuple[int, int] | None:
    """A `--period` value (2022-2027) as (start, end), None when not given."""
    if not value:
        return None
    parts = value.replace("–", "-").split("-")
    try:
        start, end = (int(parts[0]), int(parts[-1]))
    except ValueError:
        raise UsageError(f"--period must look like 2022-2027, got {value!r}") from None
    return start, end
