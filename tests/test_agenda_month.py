"""The pure month model: grid bounds, placing meetings and activities, ghosts and conflicts."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from calsvc.agenda.month import ConflictNote, build_month, grid_bounds, is_valid_month, shift_month
from calsvc.schedule.specs import Occurrence
from calsvc.schedule.walltime import BERLIN


def meeting(key: str, start: datetime, minutes: int = 60, **kw: object) -> Occurrence:
    begin = start.replace(tzinfo=BERLIN)
    return Occurrence(
        key=key,
        uid=key,
        kind="meeting",
        source_id=1,
        title=key,
        start=begin,
        end=begin + timedelta(minutes=minutes),
        **kw,
    )  # type: ignore[arg-type]


def activity(key: str, first: date, last: date, label: str) -> Occurrence:
    start = datetime.combine(first, datetime.min.time(), BERLIN)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), BERLIN)
    return Occurrence(
        key=key, uid=key, kind="activity", source_id=2, title=key, start=start, end=end, all_day=True, label=label
    )


def test_grid_runs_monday_to_sunday_around_the_month() -> None:
    assert grid_bounds(2024, 5) == (date(2024, 4, 29), date(2024, 6, 2))
    assert grid_bounds(2024, 4) == (date(2024, 4, 1), date(2024, 5, 5))  # April 2024 starts on a Monday
    assert grid_bounds(2021, 2) == (date(2021, 2, 1), date(2021, 2, 28))  # four whole weeks
    agenda = build_month(2024, 5, [], today=date(2024, 5, 14), holidays={})
    assert [w.number for w in agenda.weeks] == [18, 19, 20, 21, 22]
    assert all(len(w.days) == 7 and w.days[0].day.weekday() == 0 for w in agenda.weeks)
    assert len(agenda.days) == 31 and agenda.last_day == date(2024, 5, 31)
    assert [d.day for w in agenda.weeks for d in w.days if d.is_today] == [date(2024, 5, 14)]


def test_months_shift_across_years_and_stay_in_range() -> None:
    assert shift_month(2024, 12, 1) == date(2025, 1, 1) and shift_month(2024, 1, -1) == date(2023, 12, 1)
    assert is_valid_month(1990, 1) and is_valid_month(2100, 12)
    assert not any(is_valid_month(y, m) for y, m in ((2024, 0), (2024, 13), (1989, 12), (2101, 1)))


def test_meetings_sit_on_their_days_and_moved_ones_leave_a_ghost() -> None:
    moved = meeting("jf", datetime(2024, 5, 16, 14), moved=True, recurrence_id=datetime(2024, 5, 9, 14, tzinfo=BERLIN))
    early = meeting("db", datetime(2024, 5, 16, 10))
    agenda = build_month(2024, 5, [moved, early], today=date(2024, 1, 1), holidays={date(2024, 5, 9): "Himmelfahrt"})
    days = {d.day: d for d in agenda.days}
    assert [e.occ.key for e in days[date(2024, 5, 16)].entries] == ["db", "jf"]
    ghost = days[date(2024, 5, 9)].entries
    assert len(ghost) == 1 and ghost[0].ghost and days[date(2024, 5, 9)].holiday == "Himmelfahrt"


def test_one_day_activities_go_on_the_grid_longer_ones_into_the_band() -> None:
    found = [
        activity("quartal", date(2024, 4, 1), date(2024, 6, 30), "im II. Quartal 2024"),
        activity("maerz", date(2024, 3, 1), date(2024, 3, 31), "im März 2024"),  # only on the grid's edge days
        activity("tag", date(2024, 5, 23), date(2024, 5, 23), "am 23.05.2024"),
    ]
    agenda = build_month(2024, 5, found, today=date(2024, 1, 1), holidays={})
    assert [e.occ.key for e in agenda.band] == ["quartal"]
    assert [e.occ.key for d in agenda.days for e in d.entries] == ["tag"]


def test_conflicts_mark_their_occurrences_or_their_day() -> None:
    a, b = meeting("a", datetime(2024, 5, 28, 10), 90), meeting("b", datetime(2024, 5, 28, 11))
    notes = [
        ConflictNote(date(2024, 5, 28), "warning", "IntB ist doppelt gebucht", keys=("a", "b")),
        ConflictNote(date(2024, 5, 28), "critical", "Leitung fehlt", keys=("b",)),
        ConflictNote(date(2024, 5, 1), "warning", "Feiertag: Erster Mai"),
    ]
    agenda = build_month(2024, 5, [a, b], today=date(2024, 1, 1), holidays={}, conflicts=notes)
    days = {d.day: d for d in agenda.days}
    entries = days[date(2024, 5, 28)].entries
    assert [e.conflict_severity for e in entries] == ["warning", "critical"]
    assert entries[0].conflicts[0].message == "IntB ist doppelt gebucht"
    assert days[date(2024, 5, 1)].conflicts == [notes[2]] and len(agenda.conflicts) == 3


def test_hints_are_listed_apart_and_do_not_mark_the_grid() -> None:
    vacant = meeting("v", datetime(2024, 5, 14, 10))
    hint = ConflictNote(date(2024, 5, 14), "info", "Int2 soll teilnehmen, die Stelle ist unbesetzt.", keys=("v",))
    agenda = build_month(2024, 5, [vacant], today=date(2024, 1, 1), holidays={}, conflicts=[hint])
    entry = next(d for d in agenda.days if d.day == date(2024, 5, 14)).entries[0]
    assert entry.conflicts == (hint,) and entry.conflict_severity == "" and entry.conflict_badges == []
    assert agenda.hints == [hint] and agenda.serious_conflicts == []
