"""Load series and activities from the database as plain specs for the occurrence engine."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calsvc.db import data_stamp
from calsvc.errors import NotFound
from calsvc.models import (
    Activity,
    ActivityPeriod,
    ActivityProgress,
    AttendanceChange,
    ExtraDate,
    Gremium,
    MeetingSeries,
    Membership,
    Person,
    Role,
    SeriesException,
    SeriesParticipant,
    activity_responsible,
)

from .attendance import attends, involved
from .kept import Kept
from .specs import ActivitySpec, AttendanceSpec, ExceptionSpec, ExtraSpec, PeriodSpec, SeriesSpec

__all__ = [
    "KEPT_SPECS",
    "activity_spec",
    "clear_kept_specs",
    "load_activities",
    "load_series",
    "read_series",
    "require_gremium",
    "require_person",
    "series_spec",
]


def require_person(session: Session, code: str) -> Person:
    """The person with ``code`` (case-insensitive), or NotFound naming the field ``person``."""
    person = session.scalar(select(Person).where(Person.code == code))
    if person is None:
        loose = code.lower().replace(" ", "")  # "int 1" = "Int1", as the plan spells codes
        person = session.scalars(select(Person).where(func.lower(Person.code) == loose)).first()
    if person is None:
        raise NotFound(f"Person „{code}“ gibt es nicht.", field="person")
    return person


def require_gremium(session: Session, slug: str) -> Gremium:
    """The Gremium with ``slug``, or NotFound naming the field ``gremium``."""
    gremium = session.scalar(select(Gremium).where(Gremium.slug == slug))
    if gremium is None:
        raise NotFound(f"Gremium „{slug}“ gibt es nicht.", field="gremium")
    return gremium


KEPT_SPECS = 20_000
"""Series specs kept per process at most: a national-scale database has about 3,000 series."""
_LOADED: Kept[tuple[str, int, datetime], tuple[SeriesSpec, ...]] = Kept(KEPT_SPECS)


def load_series(
    session: Session,
    *,
    person: str | None = None,
    gremium: str | None = None,
    people: Collection[str] | None = None,
) -> list[SeriesSpec]:
    """Specs of all series, or those of one Gremium, or those a person takes part in, or those
    any of ``people`` leads or takes part in (the series whose dates can clash with theirs).

    Kept per data version (:func:`calsvc.db.data_stamp`): until the next write, every page,
    feed and check reads them once.
    """
    stamp = data_stamp(session)
    key = (person, gremium, None if people is None else frozenset(people))
    kept = _LOADED.get(key, stamp) if stamp is not None else None
    if kept is not None:
        return list(kept)
    specs = read_series(session, person=person, gremium=gremium, people=people)
    if stamp is not None:
        _LOADED.put(key, stamp, tuple(specs), len(specs) + 1)
    return specs


def clear_kept_specs() -> None:
    """Forget the kept specs (benchmarks measure a cold start with this)."""
    _LOADED.clear()


def read_series(
    session: Session,
    *,
    person: str | None = None,
    gremium: str | None = None,
    people: Collection[str] | None = None,
) -> list[SeriesSpec]:
    """:func:`load_series` from the database.

    Reads rows (six queries, few mapped objects): feeds, agenda and conflict checks call this
    on every cold render, and building thousands of mapped objects cost more than the expansion.
    A person or people filter is applied in the queries first (their series are a few of
    thousands nationally). The specs equal :func:`series_spec` of the mapped rows.
    """
    conditions = []
    if gremium is not None:
        conditions.append(MeetingSeries.gremium_id == require_gremium(session, gremium).id)
    code = require_person(session, person).code if person is not None else None
    if code is not None or people is not None:
        conditions.append(_series_of({*(people or ()), *([code] if code else [])}))
    rows = session.execute(select(*_SERIES_COLUMNS).where(*conditions).order_by(MeetingSeries.id)).all()
    # The other rows of exactly these series: the same conditions as a subquery (None: all rows).
    ids = select(MeetingSeries.id).where(*conditions) if conditions else None
    gremien = _gremium_rows(session, select(MeetingSeries.gremium_id).where(*conditions) if conditions else None)
    explicit: dict[int, list[str]] = {}
    # Explicit participants by person id: the order the former relationship load gave.
    query = select(SeriesParticipant.series_id, Person.code).join(Person).order_by(SeriesParticipant.person_id)
    for series_id, participant in _rows(session, query, SeriesParticipant.series_id, ids):
        explicit.setdefault(series_id, []).append(participant)
    exceptions = _grouped(session, SeriesException, SeriesException.recurrence_id, ids, _exception_spec)
    extras = _grouped(session, ExtraDate, ExtraDate.start, ids, _extra_spec)
    attendance: dict[int, list[AttendanceSpec]] = {}
    changes = (
        select(AttendanceChange.series_id, AttendanceChange.recurrence_id, Person.code, AttendanceChange.present)
        .join(Person)
        .order_by(AttendanceChange.recurrence_id, AttendanceChange.id)
    )
    for series_id, rid, code, present in _rows(session, changes, AttendanceChange.series_id, ids):
        attendance.setdefault(series_id, []).append(AttendanceSpec(rid, code, present))
    specs = []
    for row in rows:
        slug, name, leads, members = gremien.get(row.gremium_id, (None, None, (), ()))
        specs.append(
            SeriesSpec(
                id=row.id,
                title=row.title,
                dtstart=row.dtstart,
                duration=timedelta(minutes=row.duration_minutes),
                rrule=row.rrule,
                location=row.location,
                description=row.description,
                status=row.status,
                is_example=row.is_example,
                sequence=row.sequence,
                created_at=row.created_at,
                updated_at=row.updated_at,
                gremium_slug=slug,
                gremium_name=name,
                lead_codes=leads,
                participant_codes=tuple(explicit.get(row.id, ())) or members,
                exceptions=tuple(exceptions.get(row.id, ())),
                extras=tuple(extras.get(row.id, ())),
                attendance=tuple(attendance.get(row.id, ())),
            )
        )
    if code is not None:
        specs = [s for s in specs if attends(s, code)]
    if people is not None:
        specs = [s for s in specs if not involved(s).isdisjoint(people)]
    return specs


def _series_of(codes: Collection[str]) -> Any:
    """A condition that keeps at least the series these people lead or take part in: explicit
    participants, a membership in the series' Gremium, or a single date they were added to (the
    exact rule is applied to the specs)."""
    persons = select(Person.id).where(Person.code.in_(sorted(codes))).scalar_subquery()
    explicit = select(SeriesParticipant.series_id).where(SeriesParticipant.person_id.in_(persons))
    gremien = select(Membership.gremium_id).where(Membership.person_id.in_(persons))
    added = select(AttendanceChange.series_id).where(
        AttendanceChange.person_id.in_(persons), AttendanceChange.present.is_(True)
    )
    return MeetingSeries.id.in_(explicit) | MeetingSeries.gremium_id.in_(gremien) | MeetingSeries.id.in_(added)


_SERIES_COLUMNS = (
    MeetingSeries.id, MeetingSeries.gremium_id, MeetingSeries.title, MeetingSeries.dtstart,
    MeetingSeries.duration_minutes, MeetingSeries.rrule, MeetingSeries.location, MeetingSeries.description,
    MeetingSeries.status, MeetingSeries.is_example, MeetingSeries.sequence, MeetingSeries.created_at,
    MeetingSeries.updated_at,
)  # fmt: skip
_ACTIVITY_COLUMNS = (
    Activity.id, Activity.number, Activity.title, Activity.plan_year, Activity.terminierung, Activity.ongoing,
    Activity.tentative, Activity.unscheduled, Activity.status, Activity.sequence, Activity.updated_at,
    Activity.carried_from_year,
)  # fmt: skip


def _rows(session: Session, query: Any, column: Any, ids: Any) -> Iterator[Any]:
    """Rows of ``query`` whose ``column`` is in the subquery ``ids`` (all rows when ``ids`` is None)."""
    yield from session.execute(query if ids is None else query.where(column.in_(ids)))


def _grouped(
    session: Session, entity: type[Any], order: Any, ids: Any, convert: Callable[[Any], Any]
) -> dict[int, list[Any]]:
    """Mapped rows of ``entity`` (exceptions, extra dates) converted and grouped by series, in ``order``.

    Mapped objects, not column rows: read as column rows, the national agenda and conflict pages
    crashed CPython reproducibly (a segfault in the garbage collector during a later ORM load;
    also with SQLAlchemy's compiled extensions off). They are few beside the series.
    """
    groups: dict[int, list[Any]] = {}
    query = select(entity).order_by(order)
    for obj in session.scalars(query if ids is None else query.where(entity.series_id.in_(ids))):
        groups.setdefault(obj.series_id, []).append(convert(obj))
    return groups


def _gremium_rows(session: Session, ids: Any) -> dict[int, tuple[str, str, tuple[str, ...], tuple[str, ...]]]:
    """Per Gremium id (of the subquery ``ids``; all when None): slug, name, lead codes (by membership
    id) and members (leads first)."""
    names = {
        gid: (slug, name)
        for gid, slug, name in _rows(session, select(Gremium.id, Gremium.slug, Gremium.name), Gremium.id, ids)
    }
    people: dict[int, list[tuple[bool, int, str]]] = {}
    query = select(Membership.gremium_id, Membership.id, Membership.role, Person.code).join(Person)
    for gid, mid, role, code in _rows(session, query.order_by(Membership.id), Membership.gremium_id, ids):
        people.setdefault(gid, []).append((role != Role.LEAD, mid or 0, code))
    result = {}
    for gid, (slug, name) in names.items():
        rows = people.get(gid, [])
        leads = tuple(code for not_lead, _, code in rows if not not_lead)
        members = tuple(code for _, _, code in sorted(rows, key=lambda r: (r[0], r[1])))
        result[gid] = (slug, name, leads, members)
    return result


def _exception_spec(e: SeriesException) -> ExceptionSpec:
    return ExceptionSpec(
        recurrence_id=e.recurrence_id,
        cancelled=e.cancelled,
        new_start=e.new_start,
        new_duration=timedelta(minutes=e.new_duration_minutes) if e.new_duration_minutes else None,
        new_location=e.new_location,
        note=e.note,
        sequence=e.sequence,
        updated_at=e.updated_at,
    )


def _extra_spec(x: ExtraDate) -> ExtraSpec:
    return ExtraSpec(
        id=x.id,
        start=x.start,
        duration=timedelta(minutes=x.duration_minutes) if x.duration_minutes else None,
        location=x.location,
        note=x.note,
        sequence=x.sequence,
        updated_at=x.updated_at,
    )


def load_activities(session: Session, *, person: str | None = None) -> list[ActivitySpec]:
    """Specs of all activities, or those a person is responsible for (three row queries, no mapped objects)."""
    responsible: dict[int, list[str]] = {}
    query = select(activity_responsible.c.activity_id, Person.code).join(Person).order_by(Person.id)
    for activity_id, code in session.execute(query):
        responsible.setdefault(activity_id, []).append(code)
    periods: dict[int, list[PeriodSpec]] = {}
    columns = (
        ActivityPeriod.activity_id,
        ActivityPeriod.start,
        ActivityPeriod.end,
        ActivityPeriod.precision,
        ActivityPeriod.focus,
    )
    for activity_id, start, end, precision, focus in session.execute(
        select(*columns).order_by(ActivityPeriod.position)
    ):
        label = _period_label(start, end, precision, focus)
        periods.setdefault(activity_id, []).append(PeriodSpec(start, end, precision, focus, label))
    closed_query = (
        select(ActivityProgress.activity_id, func.max(ActivityProgress.day))
        .where(ActivityProgress.status.in_(("erledigt", "entfallen")))
        .group_by(ActivityProgress.activity_id)
    )
    closed_on: dict[int, date] = {activity_id: day for activity_id, day in session.execute(closed_query)}
    rows = session.execute(select(*_ACTIVITY_COLUMNS).order_by(Activity.plan_year, Activity.number))
    specs = [
        ActivitySpec(
            id=a.id,
            number=a.number,
            title=a.title,
            plan_year=a.plan_year,
            terminierung=a.terminierung,
            periods=tuple(periods.get(a.id, ())),
            ongoing=a.ongoing,
            tentative=a.tentative,
            unscheduled=a.unscheduled,
            status=a.status,
            responsible_codes=tuple(responsible.get(a.id, ())),
            sequence=a.sequence,
            updated_at=a.updated_at,
            label=_terminierung_label(a.terminierung, a.plan_year),
            closed_on=closed_on.get(a.id),
            carried_from_year=a.carried_from_year,
        )
        for a in rows
    ]
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
        status=series.status,
        is_example=series.is_example,
        sequence=series.sequence,
        created_at=series.created_at,
        updated_at=series.updated_at,
        gremium_slug=gremium.slug if gremium else None,
        gremium_name=gremium.name if gremium else None,
        lead_codes=leads,
        participant_codes=tuple(p.code for p in series.participant_persons()),
        exceptions=tuple(_exception_spec(e) for e in series.exceptions),
        extras=tuple(_extra_spec(x) for x in series.extra_dates),
        attendance=tuple(
            AttendanceSpec(a.recurrence_id, a.person.code, a.present) for a in series.attendance if a.person is not None
        ),
    )


def activity_spec(activity: Activity) -> ActivitySpec:
    """Snapshot one activity row with honest German labels for its periods."""
    periods = tuple(
        PeriodSpec(
            start=p.start,
            end=p.end,
            precision=p.precision,
            focus=p.focus,
            label=_period_label(p.start, p.end, p.precision, p.focus),
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
        closed_on=max((p.day for p in activity.progress if p.status in ("erledigt", "entfallen")), default=None),
        carried_from_year=activity.carried_from_year,
    )


def _activity_label(activity: Activity) -> str:
    """The Terminierung summarised as the fuzzy parser labels it; raw text if it cannot."""
    return _terminierung_label(activity.terminierung, activity.plan_year)


@lru_cache(maxsize=4096)
def _period_label(start: date, end: date, precision: str, focus: bool) -> str:
    """A period's German label ("II. Quartal 2024"): pure, and every feed of activities needs all of them."""
    from calsvc.fuzzydates import FuzzyPeriod, Precision

    return FuzzyPeriod(start, end, Precision(precision), focus).label()


@lru_cache(maxsize=4096)
def _terminierung_label(terminierung: str, plan_year: int) -> str:
    """Parsing is pure and the texts rarely change: every page with activities loads all of them."""
    from calsvc.errors import FuzzyDateError
    from calsvc.fuzzydates import parse_terminierung

    try:
        return parse_terminierung(terminierung, plan_year).label()
    except FuzzyDateError:
        return terminierung
