"""The overview page (``/uebersicht``): the office's Gremien with their leads and next meetings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from calsvc.conflicts.entries import vacancy_hints
from calsvc.db import get_session
from calsvc.models import Gremium, Person
from calsvc.schedule.engine import upcoming
from calsvc.schedule.walltime import BERLIN

bp = Blueprint("pages", __name__)

UPCOMING_DAYS = 62


@bp.get("/uebersicht")
def index() -> Any:
    """Overview: every Gremium with lead(s) and its next meetings, the posts and vacancies."""
    session = get_session()
    now = datetime.now(BERLIN)
    found = upcoming(session, now, UPCOMING_DAYS, include_activities=False)
    next_by_gremium: dict[str, list[Any]] = {}
    for occ in found:
        if occ.gremium_slug:
            next_by_gremium.setdefault(occ.gremium_slug, []).append(occ)
    gremien = session.scalars(
        select(Gremium).options(selectinload(Gremium.memberships)).order_by(Gremium.position, Gremium.name)
    ).all()
    persons = session.scalars(select(Person).order_by(Person.is_external, Person.code)).all()
    return render_template(
        "index.html",
        gremien=gremien,
        persons=persons,
        upcoming=found[:15],
        next_by_gremium=next_by_gremium,
        today=now.date(),
        days=UPCOMING_DAYS,
        hints=vacancy_hints(session, now.date(), now.date() + timedelta(days=UPCOMING_DAYS)),
    )
