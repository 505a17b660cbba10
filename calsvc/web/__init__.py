"""Flask blueprints: one module per page family; errors become friendly pages or JSON here."""

from __future__ import annotations

from flask import Flask

from .. import api
from . import (
    agenda,
    auth,
    bericht,
    edit_activities,
    edit_overview,
    edit_people,
    edit_series,
    errors,
    feed_fastpath,
    feeds,
    health,
    konflikte,
    pages,
    security,
)

__all__ = ["register_blueprints"]


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint and the error handlers to ``app``."""
    errors.register(app)
    security.register(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(bericht.bp)
    app.register_blueprint(konflikte.bp)
    app.register_blueprint(agenda.bp)
    api.register(app)
    auth.register(app)
    app.register_blueprint(edit_overview.bp)
    app.register_blueprint(edit_series.bp)
    app.register_blueprint(edit_people.bp)
    app.register_blueprint(edit_activities.bp)
    feed_fastpath.install(app)
