"""The list of feature commands the ``calsvc`` CLI offers (each defined in its own module)."""

from __future__ import annotations

import click

from .backup import backup_command, restore_command
from .conflicts_cli import conflicts_command
from .demo import demo_command
from .editing.commands import create_token_command, create_user_command
from .feeds_cli import export_feeds_command, feed_token_command
from .plan.cli import import_plan_command
from .report.cli import report_command

__all__ = ["ALL"]

ALL: list[click.Command] = [
    import_plan_command,
    demo_command,
    backup_command,
    restore_command,
    feed_token_command,
    export_feeds_command,
    report_command,
    conflicts_command,
    create_user_command,
    create_token_command,
]
