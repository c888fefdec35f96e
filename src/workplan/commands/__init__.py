"""Subcommands of the one click group in `workplan.cli`, grouped by subject."""
