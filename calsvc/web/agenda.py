"""The monthly agenda: ``/`` (this month), ``/agenda/<yyyy>/<mm>`` and its list view, filterable.

Reads the one occurrence engine and the conflict service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter

from calsvc.agenda.month import ConflictNote, MonthAgenda, build_month, grid_bounds, is_valid_month, shift_month
from calsvc.config import conflict_settings
from calsvc.conflicts.service import away_times, conflicts_in_window
from calsvc.db import get_session
from calsvc.german import MONTHS
from calsvc.models import Activity, Gremium, MeetingSeries, OngoingTask, Person
from calsvc.schedule.bounds import SPAN
from calsvc.schedule.describe import describe_rule
from calsvc.schedule.engine import occurrences
from calsvc.schedule.holidays import berlin_holidays, closure_days
from calsvc.schedule.walltime import BERLIN

from .errors import abort_not_found
from .feeds import public_base_url
from .filter_choices import Choices, chosen_gremium, chosen_person, gremium_choices, person_choices

__all__ = ["bp", "conflict_notes"]

bp = Blueprint("agenda", __name__)


class MonthConverter(IntegerConverter):
    """Any number (so 13 gets a friendly 404 from the view); links use two digits: ``/2024/05``."""

    def to_url(self, value: Any) -> str:
        return f"{int(value):02d}"


def _install(state: Any) -> None:
    state.app.url_map.converters.setdefault("month", MonthConverter)


bp.record_once(_install)  # before the routes: they need the converter


@dataclass(frozen=True, slots=True)
class Filters:
    """The person/Gremium filter of a page (canonical code and slug) and the choices for the form."""

    person: Person | None
    gremium: Gremium | None
    persons: Choices
    gremien: Choices

    @property
    def args(self) -> dict[str, Any]:
        """Query parameters that keep the filter in every link."""
        found = {
            "person": self.person.code if self.person else "",
            "gremium": self.gremium.slug if self.gremium else "",
        }
        return {k: v for k, v in found.items() if v}


@bp.get("/")
def today() -> Any:
    """The start page: this month's agenda."""
    now = _today()
    return _render_month(now.year, now.month, "agenda_month.html")


@bp.get("/agenda/")
def current() -> Any:
    """Redirect to this month, keeping the filter."""
    now = _today()
    return redirect(url_for("agenda.month", year=now.year, month=now.month, **_filters(get_session()).args))


@bp.get("/agenda/<int:year>/<month:month>")
def month(year: int, month: int) -> Any:
    """The month grid."""
    return _render_month(year, month, "agenda_month.html")


@bp.get("/agenda/<int:year>/<month:month>/liste")
def month_list(year: int, month: int) -> Any:
    """The same month as a list of days (small screens, screen readers)."""
    return _render_month(year, month, "agenda_list.html")


def _rule_texts(session: Session, agenda: MonthAgenda) -> dict[int, str]:
    """How each shown series repeats, in German, for the details of its dates (one query)."""
    ids = {e.occ.source_id for w in agenda.weeks for d in w.days for e in d.entries if e.occ.kind == "meeting"}
    if not ids:
        return {}
    columns = (MeetingSeries.id, MeetingSeries.rrule, MeetingSeries.dtstart, MeetingSeries.duration_minutes)
    rows = session.execute(select(*columns).where(MeetingSeries.id.in_(sorted(ids)[:2000])))
    return {sid: describe_rule(rule, start, timedelta(minutes=minutes)) for sid, rule, start, minutes in rows}


def _today() -> date:
    return datetime.now(BERLIN).date()


def _render_month(year: int, month: int, template: str) -> Any:
    if not is_valid_month(year, month):
        abort_not_found(
            f"Den Monat {month:02d}/{year} gibt es im Kalender nicht (Monate 01–12, Jahre {SPAN}).",
            [(f"{m:02d}", name) for m, name in enumerate(MONTHS, start=1)],
        )
    session = get_session()
    filters = _filters(session)
    agenda = _month_agenda(session, year, month, filters)
    endpoint = "agenda.month_list" if template == "agenda_list.html" else "agenda.month"
    return render_template(
        template,
        agenda=agenda,
        filters=filters,
        month_name=MONTHS[month - 1],
        link=_linker(filters),
        form_action=url_for(endpoint, year=year, month=month),
        subscribe=_subscribe_links(filters),
        tasks=_ongoing_tasks(session, year, filters),
        unscheduled=_unscheduled(session, year, filters),
        today=_today(),
        rules=_rule_texts(session, agenda),
        printed_at=f"{datetime.now(BERLIN):%d.%m.%Y, %H:%M} Uhr",
    )


def _filters(session: Session) -> Filters:
    """Read ``person`` and ``gremium`` from the query; unknown values give a 404 with the valid or similar ones."""
    persons, gremien = person_choices(session), gremium_choices(session)
    code, slug = request.args.get("person", "").strip(), request.args.get("gremium", "").strip()
    person = chosen_person(session, code) if code else None
    gremium = chosen_gremium(session, slug) if slug else None
    return Filters(person, gremium, persons, gremien)


def absent_by_day(session: Session, start: date, end: date, person: str | None) -> dict[date, list[str]]:
    """Who is absent on each day of ``[start, end]`` (an absence from a time on counts for its day)."""
    days: dict[date, list[str]] = {}
    for item in away_times(session, start, end, [person] if person else None):
        if item.reason != "absence":
            continue
        day, last = item.start.date(), (item.end - timedelta(microseconds=1)).date()
        while day <= min(last, end):
            if day >= start and item.person not in days.setdefault(day, []):
                days[day].append(item.person)
            day += timedelta(days=1)
    return days


def _month_agenda(session: Session, year: int, month: int, filters: Filters) -> MonthAgenda:
    """Occurrences of the whole grid (neighbour days included) from the one engine, placed on days."""
    start, end = grid_bounds(year, month)
    person = filters.person.code if filters.person else None
    gremium = filters.gremium.slug if filters.gremium else None
    found = occurrences(session, start, end + timedelta(days=1), person=person, gremium=gremium, include_cancelled=True)
    return build_month(
        year,
        month,
        found,
        today=_today(),
        holidays=berlin_holidays(start, end),
        closures=closure_days(session, start, end),
        conflicts=conflict_notes(session, start, end + timedelta(days=1), person=person, gremium=gremium),
        away=absent_by_day(session, start, end, person),
    )


def conflict_notes(
    session: Session,
    start: date,
    end: date,
    *,
    person: str | None = None,
    gremium: str | None = None,
) -> list[ConflictNote]:
    """Conflicts in ``[start, end)`` as notes on the agenda's days."""
    return [
        ConflictNote(
            day=c.day,
            severity=str(c.severity),
            message=c.message,
            keys=tuple(o.key for o in c.occurrences),
            kind=str(c.kind),
            person=c.person,
        )
        for c in conflicts_in_window(session, start, end, person=person, gremium=gremium, settings=conflict_settings())
    ]


def _linker(filters: Filters) -> Any:
    """``link(day, liste=False)``: URL of the month of ``day`` with the current filter."""

    def link(day: date, liste: bool = False, months: int = 0) -> str:
        target = shift_month(day.year, day.month, months)
        endpoint = "agenda.month_list" if liste else "agenda.month"
        return url_for(endpoint, year=target.year, month=target.month, **filters.args)

    return link


def _subscribe_links(filters: Filters) -> dict[str, str]:
    """The current filter's feed as https and webcal links; person feeds are private (subscribe page)."""
    base = public_base_url() + "/"
    if filters.person is not None:
        page = base + "feeds/#persoenlich"
        return {"page": page, "label": f"Persönlicher Kalender von {filters.person.code}", "private": "1"}
    if filters.gremium is not None and current_app.config.get("CALSVC_PUBLIC_GREMIUM_FEEDS", True):
        path, label = f"feeds/gremium/{filters.gremium.slug}.ics", f"Kalender {filters.gremium.name}"
    elif filters.gremium is not None:
        return {"page": base + "feeds/", "label": f"Kalender {filters.gremium.name}", "private": "1"}
    else:
        path, label = "feeds/all.ics", "Gesamtkalender des Integrationsbüros"
    url = base + path
    return {"https": url, "webcal": "webcal://" + url.split("://", 1)[1], "label": label}


def _ongoing_tasks(session: Session, year: int, filters: Filters) -> list[OngoingTask]:
    """Standing tasks of the latest plan up to ``year`` (they stand until a newer plan replaces them)."""
    plan_year = session.scalar(select(func.max(OngoingTask.plan_year)).where(OngoingTask.plan_year <= year))
    query = select(OngoingTask).where(OngoingTask.plan_year == plan_year).order_by(OngoingTask.position)
    if filters.gremium is not None:
        query = query.where(OngoingTask.gremium_id == filters.gremium.id)
    return list(session.scalars(query)) if plan_year is not None else []


def _unscheduled(session: Session, year: int, filters: Filters) -> list[Activity]:
    """Activities of the plan year without a date yet ("noch zu klären"), for the person if filtered."""
    if filters.gremium is not None:
        return []
    query = select(Activity).where(Activity.plan_year == year, Activity.unscheduled).order_by(Activity.number)
    if filters.person is not None:  # in SQL: the plan year may hold many offices' activities
        query = query.where(Activity.responsible.any(Person.id == filters.person.id))
    return list(session.scalars(query))
