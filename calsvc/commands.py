"""The list of feature commands the ``calsvc`` CLI offers (each defined in its own module)."""

from __future__ import annotations

import click

from .demo import demo_command
from .editing.commands import create_token_command, create_user_command

__all__ = ["ALL"]

ALL: list[click.Command] = [demo_command, create_user_command, create_token_command]
