"""The list of feature commands the ``calsvc`` CLI offers (each defined in its own module)."""

from __future__ import annotations

import click

from .demo import demo_command
from .plan.cli import import_plan_command

__all__ = ["ALL"]

ALL: list[click.Command] = [demo_command, import_plan_command]
