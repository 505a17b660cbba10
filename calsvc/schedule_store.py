"""Load series and activities from the database as plain specs for the occurrence engine."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .errors import NotFound
from .models import Activity, Gremium, MeetingSeries, Membership, Person
from .schedule import ActivitySpec, ExceptionSpec, ExtraSpec, PeriodSpec, SeriesSpec

__all__ = ["activity_spec", "load_activities", "load_series", "require_gremium", "require_person", "series_spec"]


def require_person(session: Session, code: str) -> Person:
    """The person with ``code`` (case-insensitive), or NotFound naming the field ``person``."""
    person = session.scalar(select(Person).where(Person.code == code))
    if person is None:
        for candidate in session.scalars(select(Person)):
            if candidate.code.lower() == code.lower().replace(" ", ""):
                return candidate
        raise NotFound(f"Person „{code}“ gibt es nicht.", field="person")
    return person


def require_gremium(session: Session, slug: str) -> Gremium:
    """The Gremium with ``slug``, or NotFound naming the field ``gremium``."""
    gremium = session.scalar(select(Gremium).where(Gremium.slug == slug))
    if gremium is None:
        raise NotFound(f"Gremium „{slug}“ gibt es nicht.", field="gremium")
    return gremium


def load_series(session: Session, *, person: str | None = None, gremium: str | None = None) -> list[SeriesSpec]:
    """Specs of all series, or those of one Gremium, or those a person takes part in."""
    query = select(MeetingSeries).options(
        selectinload(MeetingSeries.gremium).selectinload(Gremium.memberships).joinedload(Membership.person),
        selectinload(MeetingSeries.participants),
        selectinload(MeetingSeries.exceptions),
        selectinload(MeetingSeries.extra_dates),
    )
    if gremium is not None:
        query = query.where(MeetingSeries.gremium_id == require_gremium(session, gremium).id)
    specs = [series_spec(s) for s in session.scalars(query.order_by(MeetingSeries.id))]
    if person is not None:
        code = require_person(session, person).code
        specs = [s for s in specs if code in s.participant_codes]
    return specs


def load_activities(session: Session, *, person: str | None = None) -> list[ActivitySpec]:
    """Specs of all activities, or those a person is responsible for."""
    query = select(Activity).options(selectinload(Activity.periods), selectinload(Activity.responsible))
    specs = [activity_spec(a) for a in session.scalars(query.order_by(Activity.plan_year, Activity.number))]
    if person is not None:
        code = require_person(session, person).code
        specs = [a for a in specs if code in a.responsible_codes]
    return specs


def series_spec(series: MeetingSeries) -> SeriesSpec:
    """Snapshot one series row (with its Gremium, participants and exceptions)."""
    gremium = series.gremium
    leads = tuple(p.code for p in gremium.leads) if gremium else ()
    return SeriesSpec(
        id=series.id,
        title=series.title,
        dtstart=series.dtstart,
        duration=series.duration,
        rrule=series.rrule,
        location=series.location,
        description=series.description,
        status=series.status,  # type: ignore[arg-type]
        is_example=series.is_example,
        sequence=series.sequence,
        created_at=series.created_at,
        updated_at=series.updated_at,
        gremium_slug=gremium.slug if gremium else None,
        gremium_name=gremium.name if gremium else None,
        lead_codes=leads,
        participant_codes=tuple(p.code for p in series.participant_persons()),
        exceptions=tuple(
            ExceptionSpec(
                recurrence_id=e.recurrence_id,
                cancelled=e.cancelled,
                new_start=e.new_start,
                new_duration=timedelta(minutes=e.new_duration_minutes) if e.new_duration_minutes else None,
                new_location=e.new_location,
                note=e.note,
                sequence=e.sequence,
                updated_at=e.updated_at,
            )
            for e in series.exceptions
        ),
        extras=tuple(
            ExtraSpec(
                id=x.id,
                start=x.start,
                duration=timedelta(minutes=x.duration_minutes) if x.duration_minutes else None,
                location=x.location,
                note=x.note,
                sequence=x.sequence,
                updated_at=x.updated_at,
            )
            for x in series.extra_dates
        ),
    )


def activity_spec(activity: Activity) -> ActivitySpec:
    """Snapshot one activity row with honest German labels for its periods."""
    from .fuzzydates import FuzzyPeriod, Precision

    periods = tuple(
        PeriodSpec(
            start=p.start,
            end=p.end,
            precision=p.precision,
            focus=p.focus,
            label=FuzzyPeriod(p.start, p.end, Precision(p.precision), p.focus).label(),
        )
        for p in activity.periods
    )
    return ActivitySpec(
        id=activity.id,
        number=activity.number,
        title=activity.title,
        plan_year=activity.plan_year,
        terminierung=activity.terminierung,
        periods=periods,
        ongoing=activity.ongoing,
        tentative=activity.tentative,
        unscheduled=activity.unscheduled,
        status=activity.status,
        responsible_codes=tuple(p.code for p in activity.responsible),
        sequence=activity.sequence,
        updated_at=activity.updated_at,
        label=_activity_label(activity),
    )


def _activity_label(activity: Activity) -> str:
    """The Terminierung summarised as the fuzzy parser labels it; raw text if it cannot."""
    from .errors import FuzzyDateError
    from .fuzzydates import parse_terminierung

    try:
        return parse_terminierung(activity.terminierung, activity.plan_year).label()
    except FuzzyDateError:
        return activity.terminierung
