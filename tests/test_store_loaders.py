"""The row loaders give exactly the specs of the mapped rows (``series_spec``/``activity_spec``).

Feeds, agenda and conflicts read specs through :func:`read_series` (kept per data version by
:func:`load_series`) and :func:`load_activities` (row queries); edits and the conflict review
snapshot mapped rows. Random offices (seeded, so a
failure repeats) must give equal specs both ways, filtered by Gremium and person too.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.db import session_scope
from calsvc.models import (
    Activity,
    ActivityPeriod,
    ExtraDate,
    Gremium,
    MeetingSeries,
    Membership,
    Person,
    SeriesException,
    SeriesParticipant,
)
from calsvc.schedule.store import activity_spec, load_activities, read_series, series_spec

RULES = (None, "FREQ=WEEKLY;BYDAY=TU", "FREQ=MONTHLY;BYDAY=1WE", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;UNTIL=20241231")
PRECISIONS = ("day", "month", "quarter", "year")


def _random_office(session: Session, rng: random.Random) -> None:
    """Persons, Gremien with leads and members, series with and without people, dates and activities."""
    persons = [Person(code=f"P{n}", title=f"Stelle {n}") for n in rng.sample(range(100), rng.randint(2, 8))]
    session.add_all(persons)
    gremien = []
    for n in range(rng.randint(1, 5)):
        gremium = Gremium(slug=f"g{n}", name=f"Gremium {n}")
        for person in rng.sample(persons, rng.randint(0, len(persons))):
            gremium.memberships.append(Membership(person=person, role=rng.choice(["lead", "member", "member"])))
        gremien.append(gremium)
    session.add_all(gremien)
    for n in range(rng.randint(1, 12)):
        start = datetime(2024, rng.randint(1, 12), rng.randint(1, 28), rng.randint(8, 18), rng.choice([0, 30]))
        series = MeetingSeries(
            gremium=rng.choice([None, *gremien]),
            title=f"Sitzung {n}",
            dtstart=start,
            duration_minutes=rng.choice([30, 60, 90]),
            rrule=rng.choice(RULES),
            location=rng.choice(["", "Rathaus"]),
            status=rng.choice(["confirmed", "tentative", "cancelled"]),
            is_example=rng.random() < 0.3,
            sequence=rng.randint(0, 3),
        )
        if rng.random() < 0.4:
            for person in rng.sample(persons, rng.randint(1, len(persons))):
                series.participants.append(SeriesParticipant(person=person))
        for k in range(rng.randint(0, 3)):
            moved = rng.random() < 0.5
            series.exceptions.append(
                SeriesException(
                    recurrence_id=start + timedelta(days=7 * (k + 1)),
                    cancelled=not moved,
                    new_start=start + timedelta(days=7 * (k + 1), hours=1) if moved else None,
                    new_duration_minutes=rng.choice([None, 45]),
                    new_location=rng.choice([None, "online"]),
                    note=rng.choice(["", "Krank"]),
                )
            )
        for k in range(rng.randint(0, 2)):
            series.extra_dates.append(
                ExtraDate(start=start + timedelta(days=3 + k), duration_minutes=rng.choice([None, 20]), location=None)
            )
        session.add(series)
    for n in range(rng.randint(0, 6)):
        year = rng.choice([2024, 2025])
        activity = Activity(plan_year=year, number=n + 1, title=f"Vorhaben {n}", terminierung="II. Quartal")
        activity.responsible = rng.sample(persons, rng.randint(0, 2))
        for position in range(rng.randint(0, 2)):
            first = date(year, rng.randint(1, 12), 1)
            activity.periods.append(
                ActivityPeriod(
                    position=position,
                    start=first,
                    end=first + timedelta(days=rng.randint(0, 90)),
                    precision=rng.choice(PRECISIONS),
                    focus=rng.random() < 0.2,
                )
            )
        session.add(activity)


@pytest.mark.parametrize("seed", range(8))
def test_row_loaders_equal_the_specs_of_mapped_rows(app: Flask, seed: int) -> None:
    rng = random.Random(seed)
    with app.app_context(), session_scope(app) as session:
        _random_office(session, rng)
    with app.app_context(), session_scope(app) as session:
        mapped = [series_spec(s) for s in session.scalars(select(MeetingSeries).order_by(MeetingSeries.id))]
        assert read_series(session) == mapped
        for slug in session.scalars(select(Gremium.slug)):
            assert read_series(session, gremium=slug) == [s for s in mapped if s.gremium_slug == slug]
        codes = list(session.scalars(select(Person.code).order_by(Person.code)))
        for code in codes:
            assert read_series(session, person=code) == [s for s in mapped if code in s.participant_codes]
        for people in ({rng.choice(codes)}, set(rng.sample(codes, 2)), set()):
            involved = [s for s in mapped if not people.isdisjoint((*s.lead_codes, *s.participant_codes))]
            assert read_series(session, people=people) == involved
        activities = session.scalars(select(Activity).order_by(Activity.plan_year, Activity.number))
        mapped_activities = [activity_spec(a) for a in activities]
        assert load_activities(session) == mapped_activities
        for code in session.scalars(select(Person.code)):
            expected = [a for a in mapped_activities if code in a.responsible_codes]
            assert load_activities(session, person=code) == expected
