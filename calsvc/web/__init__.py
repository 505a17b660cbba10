"""Flask blueprints: one module per page family; errors become friendly pages or JSON here."""

from __future__ import annotations

from flask import Flask

from calsvc import api
from calsvc.german import MONTHS, WEEKDAYS, german_date, german_datetime, german_time

from . import (
    agenda,
    arbeitsplan,
    auth,
    bericht,
    edit_activities,
    edit_attendance,
    edit_closures,
    edit_history,
    edit_overview,
    edit_people,
    edit_series,
    errors,
    feed_fastpath,
    feeds,
    guards,
    health,
    konflikte,
    mein,
    outbox,
    pages,
    security,
    work,
)
from .edit_links import edit_url

__all__ = ["register_blueprints"]


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint, the error handlers and the German date filters to ``app``."""
    _register_filters(app)
    errors.register(app)
    guards.register(app)
    security.register(app)
    work.register(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(bericht.bp)
    app.register_blueprint(arbeitsplan.bp)
    app.register_blueprint(konflikte.bp)
    app.register_blueprint(mein.bp)
    app.register_blueprint(agenda.bp)
    api.register(app)
    auth.register(app)
    app.register_blueprint(edit_overview.bp)
    app.register_blueprint(edit_series.bp)
    app.register_blueprint(edit_history.bp)
    app.register_blueprint(edit_attendance.bp)
    app.register_blueprint(edit_people.bp)
    app.register_blueprint(edit_activities.bp)
    app.register_blueprint(outbox.bp)
    app.register_blueprint(edit_closures.bp)
    feed_fastpath.install(app)


def _register_filters(app: Flask) -> None:
    """German dates and names in every template: ``de_date``, ``de_time``, ``de_datetime``, MONTHS."""
    app.jinja_env.filters.update(de_date=german_date, de_time=german_time, de_datetime=german_datetime)
    app.jinja_env.globals.update(MONTHS=MONTHS, WEEKDAYS=WEEKDAYS, edit_url=edit_url)
