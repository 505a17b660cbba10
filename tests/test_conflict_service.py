"""Conflicts, proposal checks and free slots on the demo database, verified against the engine."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calsvc.conflicts.service import (
    ConflictSettings,
    check_proposal,
    conflicts_in_window,
    free_slots,
    one_pass_conflicts,
)
from calsvc.conflicts.sweep import Conflict, people_of
from calsvc.db import current_data_version, session_scope
from calsvc.errors import NotFound, RecurrenceError, ValidationError
from calsvc.models import ClosureDay, Gremium, MeetingSeries, Person
from calsvc.schedule.engine import occurrences
from calsvc.schedule.holidays import berlin_holidays
from calsvc.schedule.specs import Occurrence

YEAR = (date(2024, 1, 1), date(2025, 1, 1))
DIENST = "dienstberatung-integration"
FACHRUNDE = "fachrunde-migrationssozialdienst"
BEIRAT = "beirat-fuer-partizipation-und-integration"
BVV = "bvv-ausschuss-fuer-partizipation-und-integration"


@pytest.fixture
def s(demo_app: Flask) -> Iterator[Session]:
    with demo_app.app_context(), session_scope(demo_app) as session:
        yield session


def real(o: Occurrence) -> tuple[datetime, datetime]:
    return o.start.astimezone(UTC), o.end.astimezone(UTC)


def test_the_deliberate_dienstberatung_fachrunde_clashes_are_found_exactly(s: Session) -> None:
    found = conflicts_in_window(s, *YEAR)
    dienst = occurrences(s, *YEAR, gremium=DIENST)
    fach = occurrences(s, *YEAR, gremium=FACHRUNDE)
    expected = {f.first_day for f in fach for d in dienst if real(d)[0] < real(f)[1] and real(f)[0] < real(d)[1]}
    assert date(2024, 1, 23) in expected
    overlaps = [c for c in found if c.kind == "overlap"]
    clash_days = {c.day for c in overlaps if {o.gremium_slug for o in c.occurrences} == {DIENST, FACHRUNDE}}
    assert clash_days == expected
    first = next(c for c in overlaps if c.day == date(2024, 1, 23))
    assert first.person == "IntB" and "Dienstberatung Integration" in first.message
    assert "Fachrunde Migrationssozialdienst" in first.message


def test_a_double_booked_lead_is_lead_missing_and_ranks_above_the_overlap(s: Session) -> None:
    day = [c for c in conflicts_in_window(s, date(2024, 1, 23), date(2024, 1, 24)) if c.person == "IntB"]
    assert day[0].kind == "lead_missing" and day[0].severity == "critical"
    led = {c.occurrences[0].gremium_slug for c in day if c.kind == "lead_missing"}
    assert led == {DIENST, FACHRUNDE}  # IntB leads both; each meeting misses its lead


def test_gremium_filter_still_sees_the_lead_double_booked_elsewhere(s: Session) -> None:
    found = conflicts_in_window(s, *YEAR, gremium=FACHRUNDE)
    assert found and all(any(o.gremium_slug == FACHRUNDE for o in c.occurrences) for c in found)
    lead = [c for c in found if c.kind == "lead_missing" and c.occurrences[0].gremium_slug == FACHRUNDE]
    assert lead and all(c.occurrences[1].gremium_slug == DIENST for c in lead)


def test_beirat_on_erster_mai_and_every_holiday_meeting_is_flagged(s: Session) -> None:
    found = conflicts_in_window(s, *YEAR)
    holidays = berlin_holidays(YEAR[0], YEAR[1])
    expected = {
        (o.key, o.first_day) for o in occurrences(s, *YEAR, include_activities=False) if o.first_day in holidays
    }
    flagged = {(c.occurrences[0].key, c.day) for c in found if c.kind == "holiday"}
    assert flagged == expected
    beirat = next(c for c in found if c.kind == "holiday" and c.day == date(2024, 5, 1))
    assert beirat.occurrences[0].gremium_slug == BEIRAT and "Erster Mai" in beirat.message


def test_int2_vacancy_on_every_bvv_ausschuss(s: Session) -> None:
    bvv = occurrences(s, *YEAR, gremium=BVV)
    found = conflicts_in_window(s, *YEAR, gremium=BVV, person="Int2")
    vacancy_days = {c.day for c in found if c.kind == "vacancy"}
    assert bvv and vacancy_days == {o.first_day for o in bvv}
    assert all(c.person == "Int2" and c.severity == "info" for c in found)


def test_person_filter_and_unknown_names(s: Session) -> None:
    int1 = conflicts_in_window(s, *YEAR, person="int1")  # codes are matched case-insensitively
    assert all(c.person in (None, "Int1") for c in int1)
    assert not [c for c in int1 if c.kind == "overlap"]
    with pytest.raises(NotFound) as person:
        conflicts_in_window(s, *YEAR, person="Nobody")
    assert person.value.field == "person"
    with pytest.raises(NotFound) as gremium:
        conflicts_in_window(s, *YEAR, gremium="kein-gremium")
    assert gremium.value.field == "gremium"


def test_only_conflicts_on_days_of_the_window_and_closure_days(s: Session) -> None:
    s.add(ClosureDay(day=date(2024, 2, 6), reason="Betriebsausflug"))
    s.flush()
    found = conflicts_in_window(s, date(2024, 2, 6), date(2024, 2, 7))
    assert {c.day for c in found} == {date(2024, 2, 6)}
    closure = [c for c in found if c.kind == "closure"]
    assert closure and "Betriebsausflug" in closure[0].message
    assert closure[0].occurrences[0].gremium_slug == DIENST


def test_buffer_turns_back_to_back_into_a_conflict(s: Session) -> None:
    base = {"start": "2024-05-14T11:30", "duration": 30, "participants": ["IntB"]}
    assert all(r.ok for r in check_proposal(s, base))
    (late,) = check_proposal(s, base, settings=ConflictSettings(buffer=timedelta(minutes=15)))
    assert [c.kind for c in late.conflicts if c.person == "IntB"] == ["lead_missing", "overlap"]


# --- proposals ------------------------------------------------------------------------------


def test_a_proposal_clashing_with_the_dienstberatung_is_rejected(s: Session) -> None:
    version = current_data_version(s)
    (result,) = check_proposal(
        s, {"title": "Trägergespräch", "start": "2024-05-14T10:30", "duration": 60, "participants": ["IntB"]}
    )
    assert not result.ok
    assert result.occurrence.start == datetime(2024, 5, 14, 10, 30, tzinfo=result.occurrence.start.tzinfo)
    overlap = next(c for c in result.conflicts if c.kind == "overlap")
    assert {o.title for o in overlap.occurrences} == {"Dienstberatung Integration", "Trägergespräch"}
    assert current_data_version(s) == version
    assert s.scalar(select(func.count()).select_from(MeetingSeries)) == 10  # nothing saved


def test_a_recurring_proposal_is_expanded_by_the_engine(s: Session) -> None:
    results = check_proposal(
        s,
        {
            "start": "2024-05-07T10:30",
            "duration": 30,
            "rrule": "FREQ=WEEKLY;BYDAY=TU",
            "participants": "IntB",
            "window_end": "2024-06-05",
        },
    )
    assert [r.occurrence.first_day.day for r in results] == [7, 14, 21, 28, 4]
    assert [r.ok for r in results] == [True, False, True, False, True]  # every other week: Dienstberatung


def test_proposal_on_frauentag_and_with_a_gremium_of_a_vacant_member(s: Session) -> None:
    (frauentag,) = check_proposal(s, {"start": "2024-03-08T09:00", "duration": 60, "participants": ["Int1"]})
    assert [c.kind for c in frauentag.conflicts] == ["holiday"]
    assert "Frauentag" in frauentag.conflicts[0].message
    (bvv,) = check_proposal(s, {"start": "2024-06-03T09:00", "duration": 60, "gremium": BVV})
    assert [(c.kind, c.person) for c in bvv.conflicts] == [("vacancy", "Int2")]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rrule": "FREQ=HOURLY"}, "rrule"),
        ({"participants": ["IntB", "Nobody"]}, "participants"),
        ({"participants": [], "gremium": "kein-gremium"}, "gremium"),
        ({"participants": []}, "participants"),
        ({"duration": None, "end": "2024-05-14T09:00"}, "end"),
        ({"duration": 0}, "duration"),
        ({"duration": "lang"}, "duration"),
        ({"start": "2024-13-01T10:00"}, "start"),
        ({"start": "1989-12-31T10:00"}, "start"),
        ({"start": None}, "start"),
        ({"rrule": "FREQ=DAILY", "window_end": "2030-01-01"}, "window_end"),
        ({"window_end": "2101-01-01"}, "window_end"),
        ({"title": 7}, "title"),
    ],
)
def test_invalid_proposals_name_the_field(s: Session, change: dict[str, Any], field: str) -> None:
    proposal = {"start": "2024-05-14T10:00", "duration": 60, "participants": ["IntB"], **change}
    with pytest.raises(ValidationError) as error:
        check_proposal(s, proposal)
    assert error.value.field == field
    if field == "rrule":
        assert isinstance(error.value, RecurrenceError)


# --- free slots -----------------------------------------------------------------------------


def test_free_slots_for_intb_and_int1_avoid_every_meeting_and_holiday(s: Session) -> None:
    start, end = date(2024, 4, 29), date(2024, 6, 1)
    slots = free_slots(s, ["IntB", "Int1"], 90, start, end)
    busy = [
        real(o)
        for o in occurrences(s, start - timedelta(days=1), end, include_activities=False)
        if {"IntB", "Int1"} & {*o.participant_codes, *o.lead_codes}
    ]
    holidays = berlin_holidays(start, end)
    assert len(slots) > 100 and busy
    assert slots == sorted(slots)
    for slot_start, slot_end in slots:
        lo, hi = slot_start.astimezone(UTC), slot_end.astimezone(UTC)
        assert slot_end - slot_start == timedelta(minutes=90)
        assert not [b for b in busy if b[0] < hi and lo < b[1]], slot_start
        assert slot_start.date() not in holidays and slot_start.isoweekday() <= 5
        assert time(8) <= slot_start.time() and slot_end.time() <= time(18)
    days = {s.date() for s, _ in slots}
    assert date(2024, 5, 1) not in days and date(2024, 5, 9) not in days and date(2024, 5, 20) not in days
    assert (datetime(2024, 5, 14, 10), datetime(2024, 5, 14, 11, 30)) not in {
        (a.replace(tzinfo=None), b.replace(tzinfo=None)) for a, b in slots
    }


def test_free_slot_checked_as_a_proposal_has_no_overlap(s: Session) -> None:
    first = free_slots(s, ["IntB", "Int1"], 90, date(2024, 5, 14), date(2024, 5, 15), limit=3)
    assert len(first) == 3 and first[0][0].hour == 8
    for slot_start, _ in first:
        (result,) = check_proposal(
            s, {"start": slot_start.isoformat(), "duration": 90, "participants": ["IntB", "Int1"]}
        )
        assert not [c for c in result.conflicts if c.kind in ("overlap", "lead_missing")]


def test_free_slots_validate_persons_and_duration(s: Session) -> None:
    with pytest.raises(NotFound) as unknown:
        free_slots(s, ["IntB", "Nobody"], 60, date(2024, 5, 1), date(2024, 5, 2))
    assert unknown.value.field == "persons"
    with pytest.raises(ValidationError) as nobody:
        free_slots(s, [], 60, date(2024, 5, 1), date(2024, 5, 2))
    assert nobody.value.field == "persons"
    with pytest.raises(ValidationError) as zero:
        free_slots(s, ["IntB"], 0, date(2024, 5, 1), date(2024, 5, 2))
    assert zero.value.field == "duration"
    evening = free_slots(s, ["IntB"], 60, date(2024, 5, 13), date(2024, 5, 14), work_hours="16:00-18:00")
    assert [x.hour for x, _ in evening] == [16, 16, 16, 16, 17]


def involves(conflict: Conflict, person: str | None, gremium: str | None) -> bool:
    """The person and Gremium filters spelled out: theirs by name, or at a date of theirs."""
    by_person = (
        person is None
        or conflict.person == person
        or (conflict.person is None and any(person in people_of(o) for o in conflict.occurrences))
    )
    return by_person and (gremium is None or any(o.gremium_slug == gremium for o in conflict.occurrences))


def test_the_kept_check_equals_one_pass_over_everybody_for_every_filter_and_after_an_edit(demo_app: Flask) -> None:
    """Conflicts kept per person (filtered or not, kept or fresh) equal the one-pass check of all dates."""
    with demo_app.app_context(), session_scope(demo_app) as s:
        everything = one_pass_conflicts(s, *YEAR)
        assert len(everything) > 20 and conflicts_in_window(s, *YEAR) == everything
        for code in s.scalars(select(Person.code).order_by(Person.code)).all():
            theirs = [c for c in everything if involves(c, code, None)]
            assert conflicts_in_window(s, *YEAR, person=code) == theirs
        for slug in s.scalars(select(Gremium.slug).order_by(Gremium.slug)).all():
            assert conflicts_in_window(s, *YEAR, gremium=slug) == [c for c in everything if involves(c, None, slug)]
        both = [c for c in everything if involves(c, "IntB", BEIRAT)]
        assert both and conflicts_in_window(s, *YEAR, person="IntB", gremium=BEIRAT) == both
    with demo_app.app_context(), session_scope(demo_app) as s:  # the Dienstberatung moves by an hour
        series = s.scalars(select(MeetingSeries).join(Gremium).where(Gremium.slug == DIENST)).first()
        assert series is not None
        series.dtstart += timedelta(hours=1)
        series.sequence += 1
    with demo_app.app_context(), session_scope(demo_app) as s:
        after = one_pass_conflicts(s, *YEAR)
        assert after != everything and conflicts_in_window(s, *YEAR) == after
        assert conflicts_in_window(s, *YEAR, person="IntB") == [c for c in after if involves(c, "IntB", None)]
