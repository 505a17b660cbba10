"""Work kept per version: series specs per data version, expansions per series snapshot.

A kept answer must never differ from a fresh one: a committed write reaches the next read, a
write that is rolled back is never kept, two databases in one process do not share entries,
and a kept expansion costs the request the same work budget as a fresh one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select

from calsvc.db import session_scope
from calsvc.models import Gremium, MeetingSeries, Membership, Person
from calsvc.schedule.budget import budget
from calsvc.schedule.engine import expand, upcoming
from calsvc.schedule.specs import ExtraSpec, SeriesSpec
from calsvc.schedule.store import load_series
from calsvc.schedule.walltime import BERLIN


def _office(app: Flask, title: str) -> None:
    with app.app_context(), session_scope(app) as session:
        lead = Person(code="IntB", title="Integrationsbeauftragte")
        gremium = Gremium(slug="beirat", name="Beirat")
        gremium.memberships.append(Membership(person=lead, role="lead"))
        session.add(
            MeetingSeries(
                gremium=gremium,
                title=title,
                dtstart=datetime(2024, 1, 9, 10),
                duration_minutes=60,
                rrule="FREQ=WEEKLY;BYDAY=TU",
            )
        )


def _titles(app: Flask, **filters: str) -> list[str]:
    with app.app_context(), session_scope(app) as session:
        return [spec.title for spec in load_series(session, **filters)]  # type: ignore[arg-type]


def _retitle(app: Flask, title: str) -> None:
    with app.app_context(), session_scope(app) as session:
        series = session.scalars(select(MeetingSeries)).one()
        series.title = title


def test_kept_specs_follow_every_committed_write(app: Flask) -> None:
    _office(app, "Beiratssitzung")
    assert _titles(app) == ["Beiratssitzung"] == _titles(app, person="IntB") == _titles(app, gremium="beirat")
    _retitle(app, "Beiratssitzung (verlegt)")
    assert _titles(app) == ["Beiratssitzung (verlegt)"]
    assert _titles(app, person="IntB") == ["Beiratssitzung (verlegt)"] == _titles(app, gremium="beirat")


def test_writes_not_yet_committed_are_read_but_never_kept(app: Flask) -> None:
    _office(app, "Beiratssitzung")
    assert _titles(app) == ["Beiratssitzung"]
    with app.app_context():
        session = app.extensions["calsvc.sessionmaker"]()
        with session.begin():
            session.scalars(select(MeetingSeries)).one().title = "Entwurf"
            session.flush()
            assert [s.title for s in load_series(session)] == ["Entwurf"]  # its own write, read
            session.rollback()
        session.close()
    assert _titles(app) == ["Beiratssitzung"]  # the rolled-back read was not kept


def test_two_databases_at_the_same_data_version_do_not_share_specs(app: Flask, second_app: Flask) -> None:
    _office(app, "Sitzung A")
    _office(second_app, "Sitzung B")  # the same number of writes: the same data version
    assert _titles(app) == ["Sitzung A"]
    assert _titles(second_app) == ["Sitzung B"]
    assert _titles(app) == ["Sitzung A"]


def test_a_kept_expansion_answers_for_an_equal_series_only_and_costs_the_same() -> None:
    spec = SeriesSpec(
        id=987_654,
        title="Dienstberatung",
        dtstart=datetime(2024, 1, 4, 9),
        duration=timedelta(minutes=90),
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        lead_codes=("IntB",),
    )
    window = (datetime(2024, 1, 1), datetime(2025, 1, 1))
    with budget() as first:
        fresh = expand([spec], [], *window)
    with budget() as second:
        again = expand([spec], [], *window)
    assert again == fresh and all(a is b for a, b in zip(again, fresh, strict=True))  # kept, not rebuilt
    assert first.used == second.used == len(fresh) == 26
    with_extras = replace(spec, id=987_655, extras=tuple(ExtraSpec(n, datetime(2024, 2, n + 1, 9)) for n in range(3)))
    with budget() as fresh_extras:
        expand([with_extras], [], *window)
    with budget() as kept_extras:
        expand([with_extras], [], *window)
    assert fresh_extras.used == kept_extras.used == 26 + 3  # extra dates count too, kept or not
    outside = replace(spec, id=987_656)
    expand([outside], [], *window)  # kept by a command, outside any budget
    with budget() as request:
        expand([outside], [], *window)
    assert request.used == 26  # not free
    moved = replace(spec, dtstart=datetime(2024, 1, 4, 13), sequence=1)
    later = expand([moved], [], *window)
    assert [o.start.hour for o in later] == [13] * 26  # the edited series expands again
    assert [o.start.hour for o in expand([spec], [], *window)] == [9] * 26


def test_upcoming_dates_are_expanded_over_whole_days_so_the_next_request_finds_them_kept(app: Flask) -> None:
    """Pages list the dates from now on; their window is whole days, or no request would share its dates."""
    _office(app, "Beiratssitzung")  # every Tuesday 10:00-11:00 from 09.01.2024
    tuesday = datetime(2024, 3, 12, 10, 30, tzinfo=BERLIN)  # the meeting of that day is running
    with app.app_context(), session_scope(app) as session:
        first = upcoming(session, tuesday, 14)
        assert [o.start.day for o in first] == [12, 19, 26]  # running now, and the two weeks ahead
        later = upcoming(session, tuesday + timedelta(minutes=31), 14)  # it ended a minute ago
        assert [o.start.day for o in later] == [19, 26]
        again = upcoming(session, tuesday + timedelta(hours=3), 14)
        assert again == later and all(a is b for a, b in zip(again, later, strict=True))  # the same day: kept
