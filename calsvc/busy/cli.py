"""``calsvc sync-busy``: fetch every outside calendar (or one person's), for cron: progress, summary, exit code."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import BusySource, Person

from .sync import SyncLimits, sync_source

__all__ = ["sync_busy_command"]


@click.command("sync-busy")
@click.option("--person", help="Nur die Kalender dieser Person (Kürzel).")
def sync_busy_command(person: str | None) -> None:
    """Fetch the outside calendars (ICS addresses) and store their busy times; exit 1 if any failed."""
    limits = SyncLimits.from_config(current_app.config)
    with session_scope(current_app) as session:
        query = (
            select(BusySource.id).join(Person).where(BusySource.url.is_not(None)).order_by(Person.code, BusySource.id)
        )
        if person:
            query = query.where(Person.code == person)
        ids = list(session.scalars(query))
    failed = 0
    for number, source_id in enumerate(ids, 1):
        with session_scope(current_app) as session:  # one transaction per calendar: one failure spoils nothing
            source = session.get(BusySource, source_id)
            if source is None:  # deleted meanwhile
                continue
            name = f"{source.person.code} – {source.label or 'Kalender'}"
            result = sync_source(session, source, limits)
        failed += not result.ok
        state = "ok" if result.ok else "FEHLER"
        click.echo(f"[{number}/{len(ids)}] {name}: {state} – {result.message}")
    click.echo(f"{len(ids)} Kalender abgeglichen: {len(ids) - failed} ok, {failed} mit Fehler.")
    if failed:
        click.get_current_context().exit(1)
