"""The ``calsvc`` command: database, plan import, demo, serving, and the feature commands.

Each feature module owns its commands; this module only assembles them.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import FlaskGroup, ScriptInfo, with_appcontext

from . import create_app
from .migrate import upgrade

__all__ = ["cli", "main"]


@click.group(cls=FlaskGroup, create_app=create_app, add_default_commands=False, add_version_option=False)
def cli() -> None:
    """calsvc — Kalender des Integrationsbüros Marzahn-Hellersdorf.

    Datenbank: DATABASE_URL (Standard: SQLite im instance-Ordner).
    """


@cli.command("init-db")
def init_db() -> None:
    """Create or migrate the database schema to the newest version (safe to repeat)."""
    engine = current_app.extensions["calsvc.engine"]
    upgrade(engine)
    click.echo(f"Datenbank ist auf dem neuesten Stand: {engine.url.render_as_string(hide_password=True)}")


@cli.command("serve", with_appcontext=False)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes.")
def serve(host: str, port: int, workers: int) -> None:
    """Serve calsvc with gunicorn (a production WSGI server)."""
    from .serve import run_gunicorn

    factory = click.get_current_context().ensure_object(ScriptInfo).load_app  # each worker builds its own app
    click.echo(f"calsvc läuft auf http://{host}:{port}/  (Beenden mit Strg+C)")
    run_gunicorn(factory, host=host, port=port, workers=workers)


def _register_feature_commands() -> None:
    """Attach the commands each feature module defines."""
    from . import commands

    for command in commands.ALL:
        if command.callback is not None:  # feature commands run inside the app context
            command.callback = with_appcontext(command.callback)
        cli.add_command(command)


_register_feature_commands()


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="calsvc")
