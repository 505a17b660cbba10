"""``calsvc create-user`` and ``calsvc create-token``: accounts without touching the database."""

from __future__ import annotations

import sys

import click
from flask import current_app

from calsvc.db import session_scope
from calsvc.errors import CalsvcError

from .accounts import ROLES, create_token, create_user

__all__ = ["create_token_command", "create_user_command"]


@click.command("create-user")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True, help="viewer, editor or admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin (for scripts).")
def create_user_command(name: str, role: str, password_stdin: bool) -> None:
    """Create a user who can log in (the password is asked twice, hidden)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Passwort", hide_input=True, confirmation_prompt="Passwort wiederholen")
    try:
        with session_scope(current_app) as session:
            create_user(session, name, role, password)
    except CalsvcError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Benutzer „{name}“ mit Rolle {role} angelegt.")


@click.command("create-token")
@click.argument("name")
@click.option("--label", default="", help="What the token is for, e.g. the script using it.")
def create_token_command(name: str, label: str) -> None:
    """Issue an API token for user NAME; it is shown only this once."""
    try:
        with session_scope(current_app) as session:
            token = create_token(session, name, label)
    except CalsvcError as exc:
        raise click.ClickException(exc.message) from None
    click.echo("API-Token (wird nur jetzt angezeigt, bitte sicher aufbewahren):")
    click.echo(token)
