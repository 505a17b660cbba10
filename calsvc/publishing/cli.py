"""``calsvc feed-token`` (secret person-feed links) and ``calsvc export-feeds`` (static .ics files)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.editing.feed_links import LinkExists, feed_url, issue_feed_token, webcal
from calsvc.errors import NotFound
from calsvc.models import Gremium, Person
from calsvc.schedule.store import require_person

from .content import FeedContent
from .service import FeedRequest, Scope, render_feed

__all__ = ["export_feeds_command", "feed_token_command"]


def _base_url(option: str | None) -> str:
    return (option or current_app.config.get("CALSVC_PUBLIC_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")


@click.command("feed-token")
@click.argument("person")
@click.option("--reset", is_flag=True, help="Replace the secret link; the old one stops working at once.")
@click.option("--base-url", help="Public address of this server (default: CALSVC_PUBLIC_BASE_URL).")
def feed_token_command(person: str, reset: bool, base_url: str | None) -> None:
    """Create (or --reset) the secret link of PERSON's private calendar feed; shown only once."""
    with session_scope(current_app) as session:
        try:
            row = require_person(session, person)
        except NotFound as exc:
            codes = ", ".join(session.scalars(select(Person.code).order_by(Person.code)))
            raise click.ClickException(f"{exc.message} Bekannte Kürzel: {codes}") from None
        try:
            token = issue_feed_token(session, row, reset=reset, actor="cli")
        except LinkExists as exc:
            raise click.ClickException(f"{exc.message} Neuer Link: --reset.") from None
        code = row.code
    url = feed_url(_base_url(base_url), code, token)
    click.echo(f"Geheimer Kalender-Link für {code} (wird nur jetzt angezeigt):")
    click.echo(url)
    click.echo(webcal(url))
    click.echo(f"Vorhaben von {code} (derselbe Schlüssel):")
    click.echo(feed_url(_base_url(base_url), code, token, vorhaben=True))


@click.command("export-feeds")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--base-url", help="Public address the files will be served from (for links and UIDs).")
@click.option(
    "--fuzzy/--no-fuzzy",
    default=True,
    show_default=True,
    help="Also write vorhaben/all.ics, the planned activities (meeting feeds never carry them).",
)
def export_feeds_command(directory: str, base_url: str | None, fuzzy: bool) -> None:
    """Write all.ics, gremium/<slug>.ics and vorhaben/all.ics to DIRECTORY for a plain web server.

    The same paths as below /feeds/ on the server. Person feeds are private and therefore not exported.
    """
    target = Path(directory)
    (target / "gremium").mkdir(parents=True, exist_ok=True)
    config = current_app.config
    with session_scope(current_app) as session:
        slugs = list(session.scalars(select(Gremium.slug).order_by(Gremium.slug)))
        jobs: list[tuple[FeedContent, Scope, str | None, Path]] = [("meetings", "all", None, target / "all.ics")]
        jobs += [("meetings", "gremium", s, target / "gremium" / f"{s}.ics") for s in slugs]
        if fuzzy:
            (target / "vorhaben").mkdir(exist_ok=True)
            jobs.append(("vorhaben", "all", None, target / "vorhaben" / "all.ics"))
        for content, scope, key, path in jobs:
            request = FeedRequest.configured(config, scope, key, content=content, base_url=_base_url(base_url))
            path.write_bytes(render_feed(session, request).body)
    click.echo(f"{len(jobs)} Kalenderdateien geschrieben nach {target}/")
