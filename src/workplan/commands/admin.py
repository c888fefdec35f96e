"""Keeping the record safe: backup and restore."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from workplan.cli import Context, cli, pass_ctx


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@pass_ctx
def backup(c: Context, file: str) -> None:
    """Write a consistent copy of the record to FILE (online backup; safe during writes)."""
    path = c.service().backup(file)
    click.echo(f"Backed up {c.db_path} to {path}.")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False))
@pass_ctx
def restore(c: Context, file: str) -> None:
    """Replace the record with a backup, after verifying the backup's chain.

    The current record is kept beside it as `<db>.before-restore-<time>`.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    keep = c.db_path.with_name(f"{c.db_path.name}.before-restore-{stamp}")
    count = c.service().restore(file, keep)
    click.echo(f"Restored {count} events from {file}; the previous record is kept at {keep}.")
