"""Accounts from the command line: create users and tokens, change passwords, lock users out."""

from __future__ import annotations

import sys

import click
from flask import current_app

from calsvc.db import session_scope
from calsvc.errors import CalsvcError

from .accounts import ROLES, create_token, create_user, deactivate_user, link_person, set_password

__all__ = [
    "create_token_command",
    "create_user_command",
    "deactivate_user_command",
    "link_user_command",
    "set_password_command",
]


def _password(from_stdin: bool) -> str:
    """The first line of stdin (scripts), or asked twice, hidden."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Passwort", hide_input=True, confirmation_prompt="Passwort wiederholen")


@click.command("create-user")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True, help="viewer, editor or admin.")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin (for scripts).")
@click.option("--person", help="Code of the person this account belongs to (for „Mein Kalender“), e.g. IntB.")
def create_user_command(name: str, role: str, password_stdin: bool, person: str | None) -> None:
    """Create a user who can log in (the password is asked twice, hidden)."""
    password = _password(password_stdin)
    try:
        with session_scope(current_app) as session:
            create_user(session, name, role, password, person=person)
    except CalsvcError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Benutzer „{name}“ mit Rolle {role} angelegt" + (f", gehört zu {person}." if person else "."))


@click.command("link-user")
@click.argument("name")
@click.argument("person")
def link_user_command(name: str, person: str) -> None:
    """Make user NAME the account of PERSON (a code; "-" unlinks), for „Mein Kalender“."""
    try:
        with session_scope(current_app) as session:
            link_person(session, name, None if person == "-" else person, actor="cli")
    except CalsvcError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Benutzer „{name}“ gehört jetzt zu {person}." if person != "-" else f"„{name}“ gehört zu niemandem.")


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


@click.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin (for scripts).")
def set_password_command(name: str, password_stdin: bool) -> None:
    """Give user NAME a new password; every open login of NAME ends."""
    password = _password(password_stdin)
    try:
        with session_scope(current_app) as session:
            set_password(session, name, password)
    except CalsvcError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Neues Passwort für „{name}“ gesetzt; bestehende Anmeldungen sind beendet.")


@click.command("deactivate-user")
@click.argument("name")
def deactivate_user_command(name: str) -> None:
    """Lock user NAME out: no login, no API token, open logins end at once."""
    try:
        with session_scope(current_app) as session:
            deactivate_user(session, name)
    except CalsvcError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"Benutzer „{name}“ ist gesperrt; bestehende Anmeldungen sind beendet.")
