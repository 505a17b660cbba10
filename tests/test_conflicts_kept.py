"""Conflicts kept per person and per series: always the answer of the one-pass check, at the same cost.

The reference is what the service does with occurrences it is handed (the agenda's grid):
:func:`find_conflicts` over everybody's dates plus :func:`away_conflicts`. The kept check must
give the same list, in the same order, on random schedules and after random edits (a series moved
or given other people, a post falling vacant, an absence), whether its entries were kept or not.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from calsvc.conflicts.availability import Away, away_conflicts
from calsvc.conflicts.incremental import clear_kept_conflicts, kept_conflicts
from calsvc.conflicts.sweep import Conflict, Vacancy, find_conflicts, sort_key
from calsvc.schedule.budget import budget
from calsvc.schedule.engine import expand
from calsvc.schedule.holidays import berlin_holidays
from calsvc.schedule.specs import AttendanceSpec, ExceptionSpec, SeriesSpec
from calsvc.schedule.walltime import localize

LO, HI = datetime(2024, 4, 22), datetime(2024, 5, 20)  # four weeks with Erster Mai and Himmelfahrt
PEOPLE = ("IntB", "Int1", "Int2", "BA")
RULES = (None, "FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH")
HOLIDAYS = berlin_holidays(LO.date() - timedelta(days=1), HI.date())

Schedule = tuple[list[SeriesSpec], dict[str, Vacancy], list[Away], dict[date, str]]
"""Series, vacancies, away times and closure days."""


people = st.lists(st.sampled_from(PEOPLE), max_size=3, unique=True).map(tuple)


@st.composite
def series(draw: st.DrawFn, series_id: int) -> SeriesSpec:
    """A series of a few people; same titles and times recur, so messages can tie."""
    start = datetime(2024, 4, 22 + draw(st.integers(0, 4)), draw(st.integers(8, 11)), draw(st.sampled_from((0, 30))))
    participants = draw(people)
    leads = tuple(c for c in participants if draw(st.booleans()))
    spec = SeriesSpec(
        id=series_id,
        title=draw(st.sampled_from(("Dienstberatung", "Beirat"))),
        dtstart=start,
        duration=timedelta(minutes=draw(st.sampled_from((0, 30, 60, 90)))),
        rrule=draw(st.sampled_from(RULES)),
        lead_codes=leads,
        participant_codes=participants,
    )
    if draw(st.booleans()):  # someone else comes to the first date only, or the first date moves
        spec = replace(spec, attendance=(AttendanceSpec(start, draw(st.sampled_from(PEOPLE))),))
    if draw(st.booleans()):
        spec = replace(spec, exceptions=(ExceptionSpec(start, new_start=start + timedelta(minutes=45)),))
    return spec


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    specs = [draw(series(n)) for n in range(1, draw(st.integers(1, 6)) + 1)]
    vacancies = {c: Vacancy(date(2024, 5, draw(st.integers(1, 15)))) for c in draw(people)}
    away = [
        Away(code, localize(datetime(2024, 4, 24, 9)), localize(datetime(2024, 4, 25, 9)), "absence")
        for code in draw(people)
    ]
    closures = {date(2024, 5, 10): "Brückentag"} if draw(st.booleans()) else {}
    return specs, vacancies, away, closures


def _reference(schedule: Schedule, buffer: timedelta) -> list[Conflict]:
    specs, vacancies, away, closures = schedule
    found = expand(specs, [], LO, HI)
    conflicts = find_conflicts(found, vacancies=vacancies, holidays=HOLIDAYS, closures=closures, buffer=buffer)
    return sorted([*conflicts, *away_conflicts(found, away, buffer=buffer)], key=sort_key)


def _kept(schedule: Schedule, buffer: timedelta) -> list[Conflict]:
    specs, vacancies, away, closures = schedule
    return kept_conflicts(
        specs, LO, HI, holidays=HOLIDAYS, closures=closures, vacancies=vacancies, away=away, buffer=buffer
    )


@settings(max_examples=60, deadline=None)
@given(schedules(), st.sampled_from((0, 15)), st.data())
def test_kept_conflicts_equal_the_one_pass_check_before_and_after_an_edit(
    schedule: Schedule,
    buffer_minutes: int,
    data: st.DataObject,
) -> None:
    specs, vacancies, away, closures = schedule
    buffer = timedelta(minutes=buffer_minutes)
    assert _kept(schedule, buffer) == _reference(schedule, buffer)
    edited = data.draw(st.integers(0, len(specs) - 1))
    change = data.draw(st.sampled_from(("moved", "people", "vacancy", "away", "closure")))
    if change == "moved":
        specs[edited] = replace(specs[edited], dtstart=specs[edited].dtstart + timedelta(minutes=30), sequence=1)
    elif change == "people":
        specs[edited] = replace(specs[edited], participant_codes=data.draw(people), lead_codes=())
    elif change == "vacancy":
        vacancies[data.draw(st.sampled_from(PEOPLE))] = Vacancy(date(2024, 4, 1), date(2024, 5, 2))
    elif change == "away":
        away.append(Away("Int1", localize(datetime(2024, 5, 6)), localize(datetime(2024, 5, 8)), "busy"))
    else:
        closures = {**closures, date(2024, 4, 26): ""}
    edited_schedule = (specs, vacancies, away, closures)
    with budget() as kept:
        after = _kept(edited_schedule, buffer)  # the untouched people's entries are kept
    assert after == _reference(edited_schedule, buffer)
    clear_kept_conflicts()
    with budget() as fresh:
        assert _kept(edited_schedule, buffer) == after
    assert kept.used == fresh.used  # kept or not, the same work is counted


def test_one_person_asked_about_gets_the_conflicts_of_the_full_check() -> None:
    """A person filter passes only that person's series: their entries are the full check's."""
    dienst = SeriesSpec(1, "Dienstberatung", datetime(2024, 4, 23, 9), timedelta(hours=2), "FREQ=WEEKLY;BYDAY=TU")
    dienst = replace(dienst, lead_codes=("IntB",), participant_codes=("IntB", "Int1"))
    beirat = SeriesSpec(2, "Beirat", datetime(2024, 4, 23, 10), timedelta(hours=1), "FREQ=WEEKLY;BYDAY=TU")
    beirat = replace(beirat, participant_codes=("Int1", "BA"))
    other = SeriesSpec(3, "Runde", datetime(2024, 4, 23, 10), timedelta(hours=1), "FREQ=WEEKLY;BYDAY=TU")
    other = replace(other, participant_codes=("BA",))
    everybody = _kept(([dienst, beirat, other], {}, [], {}), timedelta(0))
    assert {c.person for c in everybody} == {"Int1", "BA"}
    alone = kept_conflicts(
        [dienst, beirat], LO, HI, holidays=HOLIDAYS, closures={}, vacancies={}, people={"Int1"}
    )  # Int1's series only: BA's entry would be partial, so it is not asked for
    assert [c for c in alone if c.person is not None] == [c for c in everybody if c.person == "Int1"]
    assert _kept(([dienst, beirat, other], {}, [], {}), timedelta(0)) == everybody
