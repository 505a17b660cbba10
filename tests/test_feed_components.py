"""Incremental publishing: feeds assembled from kept components equal a full render, after any edit.

Each round makes one random edit through the models (seeded, so a failure repeats), then renders
every kind of feed twice: with the components kept from earlier rounds, and from scratch. The
bytes must be identical; and an edit of one series renders that series only.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.db import session_scope
from calsvc.models import (
    Activity,
    AttendanceChange,
    ExtraDate,
    Gremium,
    MeetingSeries,
    Membership,
    Person,
    SeriesException,
)
from calsvc.publishing.components import COMPONENTS, ComponentCache
from calsvc.publishing.service import CACHE, FeedRequest, render_feed
from calsvc.schedule.engine import expand_series
from feeds import AllDayEvent, CalendarMeta, TimedEvent, assemble_calendar, render_calendar, render_event

ROUNDS = 40
START = datetime(2024, 5, 1, 9, tzinfo=UTC)


def _requests(session: Session, rng: random.Random) -> list[FeedRequest]:
    slug = rng.choice(list(session.scalars(select(Gremium.slug).order_by(Gremium.slug))))
    code = rng.choice(list(session.scalars(select(Person.code).order_by(Person.code))))
    made = [
        ("all", None, "meetings"),
        ("all", None, "vorhaben"),
        ("gremium", slug, "meetings"),
        ("person", code, "meetings"),
        ("person", code, "vorhaben"),
    ]
    return [
        FeedRequest(scope, key, content, uid_host="test.calsvc", base_url="https://k.test")  # type: ignore[arg-type]
        for scope, key, content in made
    ]


def _series(session: Session, rng: random.Random) -> MeetingSeries:
    return rng.choice(list(session.scalars(select(MeetingSeries).order_by(MeetingSeries.id))))


def _an_occurrence(series: MeetingSeries, rng: random.Random) -> datetime | None:
    from calsvc.schedule.store import series_spec

    spec = series_spec(series)
    taken = {e.recurrence_id for e in spec.exceptions}
    found = [o.recurrence_id for o in expand_series(spec, datetime(2024, 1, 1), datetime(2025, 12, 31))]
    free = [o.replace(tzinfo=None) for o in found if o is not None and o.replace(tzinfo=None) not in taken]
    return rng.choice(free) if free else None


def _retitle(session: Session, rng: random.Random) -> None:
    series = _series(session, rng)
    series.title = f"{series.title.split(' #')[0]} #{rng.randint(1, 99)}"
    series.sequence += 1


def _relocate(session: Session, rng: random.Random) -> None:
    _series(session, rng).location = rng.choice(["Rathaus, Raum 1", "online", "BVV-Saal; Eingang B"])


def _cancel_date(session: Session, rng: random.Random) -> None:
    series = _series(session, rng)
    if series.rrule and (day := _an_occurrence(series, rng)) is not None:
        series.exceptions.append(SeriesException(recurrence_id=day, cancelled=True, note="Krankheit"))


def _move_date(session: Session, rng: random.Random) -> None:
    series = _series(session, rng)
    if series.rrule and (day := _an_occurrence(series, rng)) is not None:
        series.exceptions.append(SeriesException(recurrence_id=day, new_start=day + timedelta(hours=2)))


def _drop_exception(session: Session, rng: random.Random) -> None:
    exceptions = list(session.scalars(select(SeriesException).order_by(SeriesException.id)))
    if exceptions:
        session.delete(rng.choice(exceptions))


def _extra_date(session: Session, rng: random.Random) -> None:
    series = _series(session, rng)
    day = datetime(2024, rng.randint(1, 12), rng.randint(1, 28), rng.randint(8, 16))
    series.extra_dates.append(ExtraDate(start=day, duration_minutes=rng.choice([None, 45]), note="Sondertermin"))


def _drop_extra(session: Session, rng: random.Random) -> None:
    extras = list(session.scalars(select(ExtraDate).order_by(ExtraDate.id)))
    if extras:
        session.delete(rng.choice(extras))


def _attendance(session: Session, rng: random.Random) -> None:
    """Someone added to, or missing from, one date: that person's feed shows the series differently."""
    series = _series(session, rng)
    person = rng.choice(list(session.scalars(select(Person).order_by(Person.id))))
    day = _an_occurrence(series, rng) if series.rrule else series.dtstart
    if day is not None and not any(a.recurrence_id == day and a.person_id == person.id for a in series.attendance):
        series.attendance.append(AttendanceChange(recurrence_id=day, person=person, present=rng.random() < 0.5))


def _rename_gremium(session: Session, rng: random.Random) -> None:
    gremium = rng.choice(list(session.scalars(select(Gremium).order_by(Gremium.id))))
    gremium.name = f"{gremium.name.split(' (')[0]} ({rng.randint(1, 9)})"


def _drop_member(session: Session, rng: random.Random) -> None:
    members = list(session.scalars(select(Membership).order_by(Membership.id)))
    if len(members) > 3:
        session.delete(rng.choice(members))


def _recode_person(session: Session, rng: random.Random) -> None:
    person = rng.choice(list(session.scalars(select(Person).order_by(Person.id))))
    person.code = f"{person.code.rstrip('0123456789')}{rng.randint(10, 99)}"


def _change_activity(session: Session, rng: random.Random) -> None:
    activity = rng.choice(list(session.scalars(select(Activity).order_by(Activity.id))))
    activity.status = rng.choice(["geplant", "in Arbeit", "erledigt", "entfallen"])
    activity.title = f"{activity.title.split(' #')[0]} #{rng.randint(1, 99)}"


def _status(session: Session, rng: random.Random) -> None:
    _series(session, rng).status = rng.choice(["confirmed", "tentative", "cancelled"])


def _delete_series(session: Session, rng: random.Random) -> None:
    if session.scalar(select(MeetingSeries.id).offset(5)) is not None:
        session.delete(_series(session, rng))


EDITS: list[Callable[[Session, random.Random], None]] = [
    _retitle, _relocate, _cancel_date, _move_date, _drop_exception, _extra_date, _drop_extra, _attendance,
    _rename_gremium, _drop_member, _recode_person, _change_activity, _status, _delete_series,
]  # fmt: skip


def _render(app: Flask, request: FeedRequest, now: datetime) -> bytes:
    with app.app_context(), session_scope(app) as session:
        return render_feed(session, request, now=now).body


@pytest.mark.parametrize("seed", [1, 2])
def test_feeds_from_kept_components_equal_a_full_render_after_random_edits(demo_app: Flask, seed: int) -> None:
    rng = random.Random(seed)
    now = START
    for _ in range(ROUNDS):
        with demo_app.app_context(), session_scope(demo_app) as session:
            rng.choice(EDITS)(session, rng)
        with demo_app.app_context(), session_scope(demo_app) as session:
            requests = _requests(session, rng)
        now += timedelta(days=rng.choice([0, 0, 1, 45]), hours=rng.randint(0, 23))  # items age out of the feeds
        for request in requests:
            kept = _render(demo_app, request, now)
            CACHE.clear()
            COMPONENTS.clear()
            assert kept == _render(demo_app, request, now), (request, now)


def test_one_edited_series_is_the_only_item_rendered_again(demo_app: Flask) -> None:
    request = FeedRequest("all", None, "meetings", uid_host="test.calsvc", base_url="https://k.test")
    COMPONENTS.clear()
    _render(demo_app, request, START)
    items = len(COMPONENTS)
    assert items >= 10  # the demo's meeting series
    before = COMPONENTS.misses
    with demo_app.app_context(), session_scope(demo_app) as session:
        _retitle(session, random.Random(3))
    _render(demo_app, request, START + timedelta(minutes=5))
    assert COMPONENTS.misses == before + 1 and len(COMPONENTS) == items
    _render(demo_app, request, START + timedelta(days=1))  # a new day: every item again (it may age out)
    assert COMPONENTS.misses == before + 1 + items


def test_the_cache_holds_at_most_its_capacity_in_bytes() -> None:
    cache = ComponentCache(capacity=40_000)
    meta_uid = "x@test"
    for number in range(100):
        event = TimedEvent(
            uid=f"{number}-{meta_uid}",
            summary="Sitzung " * 50,
            start=datetime(2024, 1, 9, 10),
            end=datetime(2024, 1, 9, 11),
            last_modified=START,
        )
        rendered = (render_event(event),)
        cache.put(("series", number, None, "Europe/Berlin"), event, rendered)  # type: ignore[arg-type]
        assert cache.size <= cache.capacity
    assert 0 < len(cache) < 100
    assert cache.get(("series", 99, None, "Europe/Berlin"), event) == rendered  # type: ignore[arg-type]
    assert cache.get(("series", 0, None, "Europe/Berlin"), event) is None  # type: ignore[arg-type]


def test_assembling_rendered_events_writes_what_render_calendar_writes() -> None:
    """Duplicates and invalid events are refused in the same order, DTSTAMP is the feed's."""
    good = TimedEvent(
        uid="a@t", summary="A", start=datetime(2024, 1, 9, 10), end=datetime(2024, 1, 9, 11), last_modified=START
    )
    bad = AllDayEvent(
        uid="b@t",
        summary="",
        first_day=datetime(2024, 1, 1).date(),
        last_day=datetime(2024, 1, 2).date(),
        last_modified=START,
    )
    twice = TimedEvent(
        uid="a@t", summary="A again", start=datetime(2024, 2, 9, 10), end=datetime(2024, 2, 9, 11), last_modified=START
    )
    meta = CalendarMeta(name="Test")
    stamp = datetime(2024, 3, 1, 12, tzinfo=UTC)
    refused_full: list[str] = []
    refused_parts: list[str] = []
    full = render_calendar(meta, [good, bad, twice], now=stamp, on_invalid=lambda e: refused_full.append(str(e)))
    parts = assemble_calendar(
        meta,
        [render_event(e) for e in (good, bad, twice)],
        now=stamp,
        on_invalid=lambda e: refused_parts.append(str(e)),
    )
    assert full == parts and refused_full == refused_parts and len(refused_full) == 2
    assert b"DTSTAMP:20240301T120000Z\r\n" in full and b"19700101" not in full
