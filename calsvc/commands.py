"""The list of feature commands the ``calsvc`` CLI offers (each defined in its own module)."""

from __future__ import annotations

import click

from .conflicts_cli import conflicts_command
from .demo import demo_command

__all__ = ["ALL"]

ALL: list[click.Command] = [demo_command, conflicts_command]
