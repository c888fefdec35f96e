"""The command line: one click group. Bare `workplan` opens the TUI; subcommands are headless.

This module builds the group and registers the commands only: each command lives in a module of
`workplan.commands` by subject, imported when the command is looked up (running `status`
imports `commands.status` alone, not every command and what it needs).
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from workplan.commands._shared import DEFAULT_DOC, Context, emit_json, pass_ctx
from workplan.errors import WorkplanError

__all__ = ["DEFAULT_DOC", "Context", "cli", "emit_json", "main", "pass_ctx"]

#: command name → the `workplan.commands` module defining it (as a function of that name,
#: with `-` as `_`, or the name given after a colon).
COMMANDS: dict[str, str] = {
    "tui": "ui",
    "serve": "ui",
    "init": "documents",
    "docs": "documents",
    "show": "documents",
    "new": "documents",
    "meta": "documents",
    "import": "imports:import_",
    "export": "exports",
    "roster": "record",
    "log": "record",
    "verify": "record",
    "backup": "admin",
    "restore": "admin",
    "diff": "compare",
    "lineage": "compare",
    "revise": "revisions",
    "revisions": "revisions",
    "amend": "negotiate",
    "cosponsor": "negotiate",
    "withdraw": "negotiate",
    "revise-amendment": "negotiate",
    "decide": "negotiate",
    "amendments": "negotiate",
    "position": "negotiate",
    "reserve": "reservations",
    "unreserve": "reservations",
    "edit-reservation": "reservations",
    "reservations": "reservations",
    "agree": "decisions",
    "delete-paragraph": "decisions",
    "reopen": "decisions",
    "silence": "decisions",
    "status": "status",
    "note": "notes",
    "notes": "notes",
    "translate": "translations",
    "translations": "translations",
}


class WorkplanGroup(click.Group):
    """A click group that turns project errors into one line on stderr and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the subcommand; a WorkplanError becomes `workplan: message` and its exit code.

        So do a full or read-only disk, a permission, a file name too long (OSError, or SQLite
        saying so), a number too large to read and input nested too deep: one line, never a
        traceback. Standard output closed by its reader (`| head`) ends quietly (exit 1);
        standard output that cannot be written (`> /dev/full`) is one line, exit 74.
        """
        try:
            return super().invoke(ctx)
        except WorkplanError as exc:
            _fail(ctx, _reworded(ctx, exc, sqlite_only=True) or exc)
        except OSError as exc:
            if _from_stdout(exc) or _stdout_broken():
                _stdout_failed(exc)
            _fail(ctx, _reworded(ctx, exc) or WorkplanError(str(exc)))
        except Exception as exc:
            found = _reworded(ctx, exc) or _too_big(exc)
            if found is None:
                raise
            _fail(ctx, found)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """Click's main, with its usage errors as one line (`workplan: Invalid value for
        'STANCE': ... (see `workplan position --help`)`, exit 2) instead of its usage block."""
        if not kwargs.get("standalone_mode", True):
            return super().main(*args, **kwargs)
        try:
            code = super().main(*args, **{**kwargs, "standalone_mode": False})
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "workplan"
            said = " ".join(exc.format_message().split())
            click.echo(f"workplan: {said} (see `{where} --help`)", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"workplan: {' '.join(exc.format_message().split())}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("workplan: interrupted", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def list_commands(self, _ctx: click.Context) -> list[str]:
        """Every command's name, sorted (as click lists them)."""
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, _ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command named `cmd_name`, its module imported on first use."""
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return self.commands.get(cmd_name)
        module, _, attr = COMMANDS[cmd_name].partition(":")
        found = getattr(
            importlib.import_module(f"workplan.commands.{module}"),
            attr or cmd_name.replace("-", "_"),
        )
        if not isinstance(found, click.Command):  # pragma: no cover - a wrong table entry
            raise TypeError(f"workplan.commands.{module} has no command {cmd_name}")
        self.add_command(found, cmd_name)
        return found


def _fail(ctx: click.Context, exc: WorkplanError) -> None:
    click.echo(f"workplan: {exc.message}", err=True)
    ctx.exit(exc.exit_code)


def _reworded(ctx: click.Context, exc: BaseException, **kw: bool) -> WorkplanError | None:
    """The one-line error for a disk, permission or SQLite failure in `exc` (or its cause)."""
    from workplan.store.failures import describe_failure

    obj = ctx.obj if isinstance(ctx.obj, Context) else None
    try:
        db = obj.db_path if obj is not None else Path("workplan.db")
    except Exception:  # noqa: BLE001 - naming the database must not hide the error itself
        db = Path(str(obj.db_arg if obj else "workplan.db"))
    return describe_failure(exc, db, **kw)


def _too_big(exc: BaseException) -> WorkplanError | None:
    """A number past what Python reads or stores, or input nested past its stack."""
    from workplan.errors import InputError

    if isinstance(exc, OverflowError) or (
        isinstance(exc, ValueError) and "integer string conversion" in str(exc)
    ):
        return InputError("a number given is too large")
    if isinstance(exc, RecursionError):
        return InputError("the input is nested too deep")
    return None


def _from_stdout(exc: BaseException) -> bool:
    """True when `exc` was raised writing standard output with click.echo."""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_name == "echo" and code.co_filename.endswith(os.path.join("click", "utils.py")):
            return tb.tb_frame.f_locals.get("err") is False
        tb = tb.tb_next
    return False


def _stdout_broken() -> bool:
    """True when standard output cannot take what is waiting for it."""
    try:
        sys.stdout.flush()
    except OSError:
        return True
    except ValueError:  # closed
        return True
    return False


def _stdout_failed(exc: OSError) -> None:
    """Standard output failed: drop what is left of it; a closed pipe ends quietly (exit 1),
    anything else says so in one line on stderr (exit 74)."""
    try:
        fd = sys.stdout.fileno()
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)  # later flushes (at exit too) go nowhere instead of failing again
        os.close(null)
    except (OSError, ValueError, AttributeError):
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - replaces stdout until exit
    if exc.errno == errno.EPIPE:
        sys.exit(1)
    click.echo(f"workplan: cannot write to standard output: {exc.strerror or exc}", err=True)
    sys.exit(74)


@click.group(
    cls=WorkplanGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option("--db", envvar="WORKPLAN_DB", metavar="PATH", help="The database file.")
@click.option(
    "--as",
    "as_",
    envvar="WORKPLAN_AS",
    metavar="WHO",
    help="Act as a delegation code (CAN, MEX), CHAIR, SECRETARIAT or OBSERVER.",
)
@click.option(
    "--for",
    "for_",
    metavar="CODE",
    help="Secretariat only: record the action on behalf of this delegation.",
)
@click.version_option(package_name="workplan")
@click.pass_context
def cli(ctx: click.Context, db: str | None, as_: str | None, for_: str | None) -> None:
    """Negotiate a multilateral text paragraph by paragraph.

    Bare `workplan` opens the terminal UI on the default database (seeded on first run).

    \b
    Example:
        workplan init
        workplan show --json
        workplan --as CAN amend OP12 --text "..." --cosponsor MEX
    """
    from_env = ctx.get_parameter_source("as_") == click.core.ParameterSource.ENVIRONMENT
    ctx.obj = Context(db, as_, for_, as_source="WORKPLAN_AS" if from_env else "--as")
    if ctx.invoked_subcommand is None:
        from workplan.commands.ui import tui

        ctx.invoke(tui)


def main() -> None:
    """Entry point for the `workplan` console script."""
    try:
        cli(prog_name="workplan")
    finally:
        try:
            sys.stdout.flush()
        except OSError as exc:
            _stdout_failed(exc)


if __name__ == "__main__":  # pragma: no cover
    main()
