"""``/bearbeiten/``: the editor's start page listing everything that can be changed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from calsvc.db import get_session
from calsvc.models import Activity, Gremium, MeetingSeries, Person

from .auth import editor_required

__all__ = ["bp"]

bp = Blueprint("edit_overview", __name__, url_prefix="/bearbeiten")


@bp.get("/")
@editor_required
def overview() -> Any:
    """Series, persons, Gremien and activities with links to their edit pages."""
    session = get_session()
    return render_template(
        "edit/overview.html",
        series=session.scalars(select(MeetingSeries).order_by(MeetingSeries.title, MeetingSeries.id)).all(),
        persons=session.scalars(select(Person).order_by(Person.is_external, Person.code)).all(),
        gremien=session.scalars(select(Gremium).order_by(Gremium.position, Gremium.name)).all(),
        activities=session.scalars(select(Activity).order_by(Activity.plan_year, Activity.number)).all(),
        url_endpoints=set(current_app.view_functions),
    )
