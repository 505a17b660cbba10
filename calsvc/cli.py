"""The ``calsvc`` command: database, plan import, demo, serving, and the feature commands.

Each concept package owns its commands; this module only assembles them.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, ScriptInfo, with_appcontext

from calsvc import create_app
from calsvc.admin.backup import backup_command, restore_command
from calsvc.busy.cli import sync_busy_command
from calsvc.conflicts.cli import conflicts_command
from calsvc.editing.commands import (
    create_token_command,
    create_user_command,
    deactivate_user_command,
    link_user_command,
    set_password_command,
)
from calsvc.invitations.cli import send_outbox_command
from calsvc.migrate import upgrade
from calsvc.plan.cli import export_plan_command, import_plan_command, new_plan_command
from calsvc.plan.demo import demo_command
from calsvc.publishing.cli import export_feeds_command, feed_token_command
from calsvc.report.cli import report_command

__all__ = ["cli", "main"]


@click.group(cls=AppGroup, context_settings={"obj": ScriptInfo(create_app=create_app, set_debug_flag=False)})
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
    from calsvc.serve import run_gunicorn

    factory = click.get_current_context().ensure_object(ScriptInfo).load_app  # each worker builds its own app
    click.echo(f"calsvc läuft auf http://{host}:{port}/  (Beenden mit Strg+C)")
    run_gunicorn(factory, host=host, port=port, workers=workers)


FEATURE_COMMANDS: list[click.Command] = [
    import_plan_command,
    new_plan_command,
    export_plan_command,
    demo_command,
    backup_command,
    restore_command,
    feed_token_command,
    export_feeds_command,
    report_command,
    conflicts_command,
    create_user_command,
    set_password_command,
    deactivate_user_command,
    create_token_command,
    send_outbox_command,
    link_user_command,
    sync_busy_command,
]


def _register_feature_commands() -> None:
    """Attach the commands each concept package defines; they run inside the app context."""
    for command in FEATURE_COMMANDS:
        if command.callback is not None:
            command.callback = with_appcontext(command.callback)
        cli.add_command(command)


_register_feature_commands()


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="calsvc")
