"""The occurrence engine: DST, parity, monthly patterns and per-occurrence exceptions."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from calsvc.errors import RecurrenceError
from calsvc.schedule.engine import expand
from calsvc.schedule.rrule import normalize_rrule
from calsvc.schedule.specs import ActivitySpec, ExceptionSpec, ExtraSpec, PeriodSpec, SeriesSpec
from calsvc.schedule.walltime import BERLIN

YEAR_2024 = (date(2024, 1, 1), date(2025, 1, 1))


def series(rrule: str | None, start: datetime, minutes: int = 90, **kw: object) -> SeriesSpec:
    return SeriesSpec(
        id=1, title="Dienstberatung", dtstart=start, duration=timedelta(minutes=minutes), rrule=rrule, **kw
    )  # type: ignore[arg-type]


def starts(spec: SeriesSpec, lo: date = YEAR_2024[0], hi: date = YEAR_2024[1]) -> list[datetime]:
    return [o.start.replace(tzinfo=None) for o in expand([spec], [], lo, hi)]


def test_ten_oclock_stays_ten_across_both_dst_switches() -> None:
    spec = series("FREQ=WEEKLY", datetime(2024, 3, 25, 10))
    occs = expand([spec], [], date(2024, 3, 25), date(2024, 11, 5))
    assert {o.start.hour for o in occs} == {10}
    by_day = {o.start.date(): o for o in occs}
    # 31.03.2024 and 27.10.2024 are the switch days: the offset changes, the wall time does not.
    assert by_day[date(2024, 3, 25)].start.utcoffset() == timedelta(hours=1)
    assert by_day[date(2024, 4, 1)].start.utcoffset() == timedelta(hours=2)
    assert by_day[date(2024, 10, 21)].start.utcoffset() == timedelta(hours=2)
    assert by_day[date(2024, 10, 28)].start.utcoffset() == timedelta(hours=1)
    assert all(o.start.tzinfo is BERLIN for o in occs)


def test_biweekly_parity_survives_the_year_boundary() -> None:
    spec = series("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", datetime(2024, 1, 9, 10))
    days = [d.date() for d in starts(spec, date(2024, 12, 1), date(2025, 2, 1))]
    assert days == [date(2024, 12, 10), date(2024, 12, 24), date(2025, 1, 7), date(2025, 1, 21)]
    assert all((d - date(2024, 1, 9)).days % 14 == 0 for d in days)


def test_every_two_months_on_the_second_thursday() -> None:
    spec = series("FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH", datetime(2024, 1, 11, 14), minutes=120)
    assert [d.date() for d in starts(spec)] == [
        date(2024, 1, 11),
        date(2024, 3, 14),
        date(2024, 5, 9),
        date(2024, 7, 11),
        date(2024, 9, 12),
        date(2024, 11, 14),
    ]


def test_first_wednesday_except_july_and_august() -> None:
    spec = series("FREQ=MONTHLY;BYDAY=1WE;BYMONTH=1,2,3,4,5,6,9,10,11,12", datetime(2024, 1, 3, 17))
    days = [d.date() for d in starts(spec)]
    assert len(days) == 10
    assert not [d for d in days if d.month in (7, 8)]
    assert all(d.weekday() == 2 and d.day <= 7 for d in days)
    assert date(2024, 5, 1) in days  # Tag der Arbeit: the conflict checker must flag it


def test_cancelled_occurrence_is_gone_unless_asked_for() -> None:
    spec = series(
        "FREQ=WEEKLY;INTERVAL=2",
        datetime(2024, 1, 9, 10),
        exceptions=(ExceptionSpec(datetime(2024, 1, 23, 10), cancelled=True),),
    )
    assert datetime(2024, 1, 23, 10) not in starts(spec, date(2024, 1, 1), date(2024, 2, 1))
    shown = expand([spec], [], date(2024, 1, 1), date(2024, 2, 1), include_cancelled=True)
    assert [(o.start.day, o.status) for o in shown] == [(9, "confirmed"), (23, "cancelled")]


def test_moved_occurrence_keeps_its_recurrence_id_and_can_leave_the_window() -> None:
    moved = ExceptionSpec(datetime(2024, 1, 23, 10), new_start=datetime(2024, 2, 1, 13), new_location="Raum 7")
    spec = series("FREQ=WEEKLY;INTERVAL=2", datetime(2024, 1, 9, 10), location="Raum 1", exceptions=(moved,))
    january = expand([spec], [], date(2024, 1, 1), date(2024, 2, 1))
    assert [o.start.day for o in january] == [9]
    february = expand([spec], [], date(2024, 2, 1), date(2024, 2, 2))
    (occ,) = february
    assert occ.moved and occ.location == "Raum 7"
    assert occ.recurrence_id == datetime(2024, 1, 23, 10, tzinfo=BERLIN)
    assert occ.end - occ.start == timedelta(minutes=90)


def test_extra_date_is_its_own_occurrence() -> None:
    spec = series("FREQ=MONTHLY;BYDAY=1WE", datetime(2024, 1, 3, 17), extras=(ExtraSpec(5, datetime(2024, 8, 21, 17)),))
    aug = expand([spec], [], date(2024, 8, 1), date(2024, 9, 1))
    assert [(o.uid, o.start.day, o.extra) for o in aug] == [("series-1", 7, False), ("extra-5", 21, True)]


def test_until_date_includes_its_whole_day_and_single_meetings_work() -> None:
    spec = series("FREQ=WEEKLY;UNTIL=20240123", datetime(2024, 1, 9, 10))
    assert [d.day for d in starts(spec)] == [9, 16, 23]
    single = series(None, datetime(2024, 3, 18, 9))
    assert starts(single) == [datetime(2024, 3, 18, 9)]


def test_window_includes_an_occurrence_that_started_before_it() -> None:
    spec = series("FREQ=DAILY", datetime(2024, 1, 1, 23), minutes=120)
    occs = expand([spec], [], datetime(2024, 1, 2, 0, 30, tzinfo=BERLIN), datetime(2024, 1, 2, 1, tzinfo=BERLIN))
    assert [o.start.day for o in occs] == [1]


def test_activity_quarter_becomes_an_all_day_span_and_unscheduled_stays_out() -> None:
    q2 = ActivitySpec(
        id=8,
        number=8,
        title="Startgespräche",
        plan_year=2024,
        terminierung="II. Quartal 2024",
        periods=(PeriodSpec(date(2024, 4, 1), date(2024, 6, 30), "quarter"),),
    )
    open_item = ActivitySpec(
        id=15, number=15, title="Gemeinsame Sitzung", plan_year=2024, terminierung="noch zu klären", unscheduled=True
    )
    (occ,) = expand([], [q2, open_item], date(2024, 5, 1), date(2024, 6, 1))
    assert occ.all_day and occ.uid == "activity-8-0"
    assert (occ.first_day, occ.last_day) == (date(2024, 4, 1), date(2024, 6, 30))
    assert occ.end == datetime(2024, 7, 1, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        ("RRULE:freq=weekly;interval=2", "FREQ=WEEKLY;INTERVAL=2"),
        ("FREQ=MONTHLY;BYDAY=1WE;BYMONTH=1,2", "FREQ=MONTHLY;BYMONTH=1,2;BYDAY=1WE"),
        ("FREQ=WEEKLY;UNTIL=20241231T225959Z", "FREQ=WEEKLY;UNTIL=20241231T235959"),
        ("FREQ=WEEKLY;UNTIL=20240630", "FREQ=WEEKLY;UNTIL=20240630"),
    ],
)
def test_normalize_rrule(rule: str, expected: str) -> None:
    assert normalize_rrule(rule, datetime(2024, 1, 9, 10)) == expected


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("", "leer"),
        ("FREQ=HOURLY", "FREQ"),
        ("FREQ=WEEKLY;COUNT=3;UNTIL=20241231", "schließen einander aus"),
        ("FREQ=WEEKLY;FOO=1", "FOO"),
        ("FREQ=WEEKLY;INTERVAL", "NAME=WERT"),
        ("FREQ=WEEKLY;BYDAY=XX", "BYDAY „XX“"),
        ("FREQ=WEEKLY;UNTIL=2024-12-31", "UNTIL"),
        ("FREQ=WEEKLY;UNTIL=20230101", "keinen einzigen"),
    ],
)
def test_invalid_rrules_name_the_field(rule: str, fragment: str) -> None:
    with pytest.raises(RecurrenceError) as err:
        normalize_rrule(rule, datetime(2024, 1, 9, 10))
    assert err.value.field == "rrule"
    assert fragment in err.value.message


def test_keys_and_recurrence_ids_of_plain_cancelled_and_single_occurrences() -> None:
    cancelled = ExceptionSpec(recurrence_id=datetime(2024, 1, 16, 9, 5), cancelled=True, note="fällt aus")
    spec = series("FREQ=WEEKLY", datetime(2024, 1, 9, 9, 5), exceptions=(cancelled,), lead_codes=("IntB",))
    occs = expand([spec], [], date(2024, 1, 1), date(2024, 1, 24), include_cancelled=True)
    assert [o.key for o in occs] == ["series-1/20240109T0905", "series-1/20240116T0905", "series-1/20240123T0905"]
    assert [o.status for o in occs] == ["confirmed", "cancelled", "confirmed"]
    assert occs[1].note == "fällt aus" and occs[0].note == ""
    assert all(o.recurrence_id == o.start and o.lead_codes == ("IntB",) for o in occs)
    single = expand([series(None, datetime(2024, 2, 1, 14))], [], *YEAR_2024)
    assert [(o.key, o.recurrence_id) for o in single] == [("series-1/20240201T1400", None)]
    whole = series("FREQ=WEEKLY", datetime(2024, 1, 9, 9), status="cancelled")
    assert expand([whole], [], date(2024, 1, 1), date(2024, 1, 20)) == []
    assert {o.status for o in expand([whole], [], date(2024, 1, 1), date(2024, 1, 20), include_cancelled=True)} == {
        "cancelled"
    }
