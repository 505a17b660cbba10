"""What a series says in a feed depends only on the series and the Berlin day (a cacheable pair)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from calsvc.publishing.content import FeedContext, series_events
from calsvc.schedule.specs import ExceptionSpec, SeriesSpec
from feeds import TimedEvent

CANCELLED = datetime(2026, 3, 4, 17)  # first Wednesday of March 2026, 17:00 Berlin
SERIES = SeriesSpec(
    id=7,
    title="Beiratssitzung",
    dtstart=datetime(2026, 1, 7, 17),
    duration=timedelta(hours=2),
    rrule="FREQ=MONTHLY;BYDAY=1WE",
    exceptions=(
        ExceptionSpec(
            recurrence_id=CANCELLED, cancelled=True, note="Saal gesperrt", sequence=1, updated_at=datetime(2026, 1, 2)
        ),
    ),
    sequence=2,
    created_at=datetime(2025, 12, 1),
    updated_at=datetime(2026, 1, 2),
)


def master_at(now: datetime) -> TimedEvent:
    (event,) = series_events(SERIES, FeedContext.at("test.calsvc", "https://k.example", now))
    assert isinstance(event, TimedEvent)
    return event


def test_a_cancelled_date_is_an_abgesagt_override_through_its_berlin_day() -> None:
    for now in (datetime(2026, 2, 1, 12, tzinfo=UTC), datetime(2026, 3, 4, 22, 59, tzinfo=UTC)):  # 23:59 in Berlin
        event = master_at(now)
        (override,) = event.overrides
        assert event.exdates == ()
        assert override.summary == "Abgesagt: Beiratssitzung" and override.status == "CANCELLED"
        assert (override.start, override.end) == (CANCELLED, CANCELLED + timedelta(hours=2))
        assert override.description is not None and override.description.startswith(
            "Dieser Termin fällt aus: Beiratssitzung.\nGrund: Saal gesperrt\n"
        )
        assert override.sequence == 3  # series + exception: rises with either


def test_once_its_day_has_passed_the_cancelled_date_is_an_exdate() -> None:
    event = master_at(datetime(2026, 3, 4, 23, 0, tzinfo=UTC))  # 00:00 on 05.03. in Berlin
    assert event.overrides == () and event.exdates == (CANCELLED,)


def test_the_same_berlin_day_gives_the_same_events() -> None:
    morning, evening = datetime(2026, 3, 1, 6, tzinfo=UTC), datetime(2026, 3, 1, 20, tzinfo=UTC)
    assert master_at(morning) == master_at(evening)


def test_a_cancelled_date_the_rule_does_not_produce_stays_an_exdate() -> None:
    """A stale exception (e.g. from an old backup) must not take the whole series out of the feed."""
    stale = ExceptionSpec(recurrence_id=datetime(2026, 3, 5, 17), cancelled=True)
    spec = SeriesSpec(**{**{f: getattr(SERIES, f) for f in SERIES.__slots__}, "exceptions": (stale,)})  # type: ignore[arg-type]
    (event,) = series_events(spec, FeedContext.at("h", "https://k.example", datetime(2026, 1, 1, tzinfo=UTC)))
    assert isinstance(event, TimedEvent) and event.overrides == () and event.exdates == (stale.recurrence_id,)
