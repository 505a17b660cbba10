"""The list of feature commands the ``calsvc`` CLI offers (each defined in its own module)."""

from __future__ import annotations

import click

from .backup import backup_command, restore_command
from .demo import demo_command
from .report.cli import report_command

__all__ = ["ALL"]

ALL: list[click.Command] = [
    demo_command,
    backup_command,
    restore_command,
    report_command,
]
