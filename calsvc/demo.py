"""``calsvc demo``: placeholder until the plan importer lands."""

from __future__ import annotations

import click

__all__ = ["demo_command"]


@click.command("demo")
def demo_command() -> None:
    """Load the 2024 work plan plus example meeting times."""
    raise click.ClickException("noch nicht verfügbar")
