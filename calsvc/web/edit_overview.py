"""``/bearbeiten/``: the editor's start page listing everything that can be changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from calsvc.db import get_session
from calsvc.errors import CalsvcError, ValidationError
from calsvc.models import Activity, Gremium, MeetingSeries, Person
from calsvc.plan.years import new_plan, plan_years
from calsvc.schedule.walltime import BERLIN

from .auth import current_user, editor_required

__all__ = ["bp"]

bp = Blueprint("edit_overview", __name__, url_prefix="/bearbeiten")


@bp.get("/")
@editor_required
def overview() -> Any:
    """Series, persons, Gremien and activities with links to their edit pages."""
    return _overview()


@bp.post("/arbeitsplan")
@editor_required
def create_plan() -> Any:
    """ "Arbeitsplan <Jahr> anlegen": carry the previous plan over into the given year."""
    session = get_session()
    raw = request.form.get("year", "").strip()
    user = current_user()
    try:
        if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
            raise ValidationError(f"„{raw}“ ist kein Jahr (z. B. 2025).", field="year")
        result = new_plan(session, user.name if user else "?", int(raw))
        session.commit()
    except CalsvcError as exc:
        session.rollback()
        return _overview(plan_error=exc.message, plan_year_value=raw), exc.http_status
    flash(result.format(), "info")
    return redirect(url_for("edit_overview.overview"))


def _overview(plan_error: str = "", plan_year_value: str = "") -> str:
    session = get_session()
    years = plan_years(session)
    return render_template(
        "edit/overview.html",
        plan_years=years,
        plan_error=plan_error,
        next_plan_year=plan_year_value or str((years[-1] + 1) if years else datetime.now(BERLIN).year),
        series=session.scalars(select(MeetingSeries).order_by(MeetingSeries.title, MeetingSeries.id)).all(),
        persons=session.scalars(select(Person).order_by(Person.is_external, Person.code)).all(),
        gremien=session.scalars(select(Gremium).order_by(Gremium.position, Gremium.name)).all(),
        activities=session.scalars(select(Activity).order_by(Activity.plan_year, Activity.number)).all(),
        url_endpoints=set(current_app.view_functions),
    )
