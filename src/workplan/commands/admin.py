"""Keeping the record safe: backup and restore."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from workplan.commands._shared import Context, emit_json, pass_ctx

json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@json_option
@pass_ctx
def backup(c: Context, file: str, as_json: bool) -> None:
    """Write a consistent copy of the record to FILE (online backup; safe during writes)."""
    svc = c.service()
    path = svc.backup(file)
    if as_json:
        emit_json({"database": str(c.db_path), "backup": str(path)})
    else:
        click.echo(f"Backed up {c.db_path} to {path}.")


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--expect-head",
    metavar="HASH",
    help="Restore only if the backup holds this chain head (one kept outside the host).",
)
@json_option
@pass_ctx
def restore(c: Context, file: str, expect_head: str | None, as_json: bool) -> None:
    """Replace the record with a backup, after verifying the backup in full.

    The backup's chain, tables and schema must pass `verify`. The current record is kept beside
    it as `<db>.before-restore-<time>`, and the restore is recorded as a `record.restored`
    event (who, from which file, the old and the backup's chain heads).
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    keep = c.db_path.with_name(f"{c.db_path.name}.before-restore-{stamp}")
    n = 1
    while keep.exists():  # two restores within one second keep both old records
        n += 1
        keep = c.db_path.with_name(f"{c.db_path.name}.before-restore-{stamp}-{n}")
    svc = c.service()
    done = svc.restore(file, keep, expect_head=expect_head)
    if as_json:
        emit_json(
            {
                "database": str(c.db_path),
                "restored_from": file,
                "events": done.events,
                "kept": str(done.kept),
                "old_head": done.old_head,
                "backup_head": done.backup_head,
                "chain_head": done.head,
            }
        )
    else:
        click.echo(
            f"Restored {done.events} events from {file}; the previous record is kept at"
            f" {done.kept}.\nChain head {done.head} (the restore is recorded as its last event;"
            f" the replaced record's head was {done.old_head})."
        )
