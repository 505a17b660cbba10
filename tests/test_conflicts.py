"""The pure conflict checker and free-slot finder, and the sweep against a brute-force reference."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calsvc.conflicts.slots import WorkHours, find_free_slots
from calsvc.conflicts.sweep import Conflict, Vacancy, at_least, count_by_kind, find_conflicts, overlapping_pairs
from calsvc.errors import ValidationError
from calsvc.schedule.holidays import berlin_holidays
from calsvc.schedule.specs import Occurrence
from calsvc.schedule.walltime import localize

DAY = date(2024, 5, 14)
DST_DAYS = (date(2024, 3, 31), date(2024, 10, 27))


def occ(
    key: str,
    start: datetime,
    minutes: int = 60,
    people: tuple[str, ...] = ("IntB",),
    *,
    leads: tuple[str, ...] = (),
    all_day: bool = False,
    status: str = "confirmed",
    gremium: str | None = None,
) -> Occurrence:
    return Occurrence(
        key=key,
        uid=key.split("/")[0],
        kind="activity" if all_day else "meeting",
        source_id=1,
        title=key,
        start=localize(start),
        end=localize(start + timedelta(minutes=minutes)),
        all_day=all_day,
        participant_codes=people,
        lead_codes=leads,
        status=status,
        gremium_slug=gremium,  # type: ignore[arg-type]
    )


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute))


def brute_clash(a: Occurrence, b: Occurrence, buffer: timedelta = timedelta(0)) -> bool:
    """Reference rule spelled out on real instants; a zero-length booking occupies its start instant."""

    def instants(o: Occurrence) -> tuple[datetime, datetime, bool]:
        lo = o.start.astimezone(UTC)
        hi = max(o.end.astimezone(UTC), lo) + buffer
        return lo, hi, hi == lo

    (s1, e1, p1), (s2, e2, p2) = instants(a), instants(b)
    if p1 and p2:
        return s1 == s2
    if p1:
        return s2 <= s1 < e2
    if p2:
        return s1 <= s2 < e1
    return s1 < e2 and s2 < e1


def brute_force_overlaps(
    occurrences: list[Occurrence], buffer: timedelta = timedelta(0)
) -> set[tuple[str, frozenset[str]]]:
    """Reference: every pair of bookings, every shared person."""
    found = set()
    booked = [o for o in occurrences if not o.all_day and o.status != "cancelled"]
    for a, b in combinations(booked, 2):
        if brute_clash(a, b, buffer):
            for person in set(a.participant_codes + a.lead_codes) & set(b.participant_codes + b.lead_codes):
                found.add((person, frozenset((a.key, b.key))))
    return found


def swept(occurrences: list[Occurrence], buffer: timedelta = timedelta(0)) -> set[tuple[str, frozenset[str]]]:
    pairs = overlapping_pairs(occurrences, buffer=buffer)
    result = {(person, frozenset((a.key, b.key))) for person, a, b in pairs}
    assert len(result) == len(pairs), "a pair was reported twice"
    return result


schedules = st.lists(
    st.builds(
        lambda day, quarter, minutes, people, all_day, cancelled: (day, quarter, minutes, people, all_day, cancelled),
        st.sampled_from((*DST_DAYS, DAY)),
        st.integers(0, 95),  # quarter hours of the day, incl. the missing/doubled DST hour
        st.sampled_from((0, 0, 15, 30, 60, 90, 120, 180, 24 * 60)),
        st.sets(st.sampled_from(("IntB", "Int1", "Int2")), min_size=1),
        st.booleans(),
        st.booleans(),
    ),
    max_size=14,
)


def build(raw: list[tuple]) -> list[Occurrence]:
    result = []
    for n, (day, quarter, minutes, people, all_day, cancelled) in enumerate(raw):
        start = datetime.combine(day, time()) + timedelta(minutes=15 * quarter)
        o = occ(
            f"o{n}",
            start,
            minutes,
            tuple(sorted(people)),
            all_day=all_day and n % 3 == 0,
            status="cancelled" if cancelled and n % 4 == 0 else "confirmed",
        )
        result.append(o)
    # identical intervals: repeat some with new keys
    result.extend(occ(f"{o.key}-twin", o.start.replace(tzinfo=None), 60, o.participant_codes) for o in result[:2])
    return result


@settings(max_examples=300, deadline=None)
@given(schedules, st.sampled_from((0, 0, 15, 30)))
def test_sweep_equals_brute_force(raw: list[tuple], buffer_minutes: int) -> None:
    schedule = build(raw)
    buffer = timedelta(minutes=buffer_minutes)
    expected = brute_force_overlaps(schedule, buffer)
    assert swept(schedule, buffer) == expected
    overlaps = [c for c in find_conflicts(schedule, buffer=buffer) if c.kind == "overlap"]
    assert {(c.person, frozenset(o.key for o in c.occurrences)) for c in overlaps} == expected


def test_back_to_back_is_no_overlap_unless_the_buffer_asks_for_a_gap() -> None:
    first, second = occ("a", at(10), 60), occ("b", at(11), 30)
    assert find_conflicts([first, second]) == []
    with_buffer = find_conflicts([first, second], buffer=timedelta(minutes=15))
    assert [c.kind for c in with_buffer] == ["overlap"]
    assert "Puffer" in with_buffer[0].message
    later = occ("c", at(11, 15), 30)
    assert find_conflicts([first, later], buffer=timedelta(minutes=15)) == []


def test_zero_length_occupies_its_start_instant() -> None:
    meeting = occ("m", at(10), 60)
    assert swept([meeting, occ("z", at(10), 0)]) == {("IntB", frozenset({"m", "z"}))}
    assert swept([meeting, occ("z", at(10, 30), 0)]) == {("IntB", frozenset({"m", "z"}))}
    assert swept([meeting, occ("z", at(11), 0)]) == set()
    assert swept([occ("y", at(9), 0), occ("z", at(9), 0)]) == {("IntB", frozenset({"y", "z"}))}


def test_identical_and_duplicate_occurrences_are_reported_once() -> None:
    a, b = occ("a", at(10), 90), occ("b", at(10), 90)
    found = find_conflicts([a, b, a, b])
    assert [(c.kind, c.person) for c in found] == [("overlap", "IntB")]


def test_each_person_of_a_pair_gets_their_own_overlap() -> None:
    a = occ("a", at(10), 90, ("IntB", "Int1"))
    b = occ("b", at(11), 60, ("Int1", "IntB", "Int2"))
    assert sorted(c.person for c in find_conflicts([a, b])) == ["Int1", "IntB"]


def test_all_day_and_cancelled_occurrences_never_overlap() -> None:
    meeting = occ("m", at(10), 60)
    quarter = occ("q", at(0), 24 * 60 * 90, all_day=True)
    cancelled = occ("c", at(10), 60, status="cancelled")
    assert find_conflicts([meeting, quarter, cancelled]) == []


def test_overlap_message_names_the_person_and_both_meetings() -> None:
    dienst = occ("Dienstberatung", at(10, 0, date(2024, 1, 23)), 90)
    fach = occ("Fachrunde", at(11, 0, date(2024, 1, 23)), 60)
    (overlap,) = find_conflicts([dienst, fach])
    assert overlap.kind == "overlap" and overlap.severity == "warning"
    assert overlap.day == date(2024, 1, 23)
    assert overlap.occurrences == (dienst, fach)
    assert "IntB" in overlap.message and "„Dienstberatung“" in overlap.message and "„Fachrunde“" in overlap.message
    assert "Di, 23.01.2024, 10:00–11:30" in overlap.message


def test_a_double_booked_lead_is_critical_lead_missing() -> None:
    led = occ("Fachrunde", at(11), 60, ("IntB",), leads=("IntB",))
    other = occ("Dienstberatung", at(10), 90, ("IntB", "Int1"))
    found = find_conflicts([led, other])
    assert [(c.kind, c.severity) for c in found] == [("lead_missing", "critical"), ("overlap", "warning")]
    lead = next(c for c in found if c.kind == "lead_missing")
    assert lead.person == "IntB" and lead.occurrences[0] is led and "leitet „Fachrunde“" in lead.message


def test_lead_missing_sorts_before_overlap_on_the_same_day() -> None:
    led = occ("L", at(10), 60, leads=("IntB",))
    other = occ("O", at(10), 60)
    assert [c.kind for c in find_conflicts([led, other])] == ["lead_missing", "overlap"]


def test_holidays_include_frauentag_and_erster_mai() -> None:
    holidays = berlin_holidays(date(2024, 1, 1), date(2024, 12, 31))
    beirat = occ("Beirat", at(17, 0, date(2024, 5, 1)), 150)
    frauentag = occ("Runde", at(9, 0, date(2024, 3, 8)), 60)
    found = find_conflicts([beirat, frauentag], holidays=holidays)
    assert [(c.kind, c.day) for c in found] == [("holiday", date(2024, 3, 8)), ("holiday", date(2024, 5, 1))]
    assert "Frauentag" in found[0].message
    assert found[1].person is None and "Erster Mai" in found[1].message


def test_closure_day_with_reason() -> None:
    found = find_conflicts([occ("x", at(9, 0, date(2024, 12, 27)))], closures={date(2024, 12, 27): "Brückentag"})
    assert [(c.kind, c.severity) for c in found] == [("closure", "warning")]
    assert "Schließtag" in found[0].message and "Brückentag" in found[0].message


def test_vacant_participant_is_a_vacancy_and_a_vacant_lead_is_lead_missing() -> None:
    vacancies = {"Int2": Vacancy(), "BA": Vacancy(end=date(2024, 5, 31))}
    bvv = occ("BVV", at(17, 30, date(2024, 5, 21)), 120, ("IntB", "Int1", "Int2"))
    led = occ("JF", at(14), 60, ("Int2",), leads=("Int2",))
    ba_june = occ("BA-Runde", at(9, 0, date(2024, 6, 4)), 60, ("BA",))
    found = find_conflicts([bvv, led, ba_june], vacancies=vacancies)
    assert {(c.kind, c.person, c.severity) for c in found} == {
        ("lead_missing", "Int2", "critical"),
        ("vacancy", "Int2", "info"),
    }
    assert "unbesetzt" in next(c for c in found if c.kind == "vacancy").message


def test_vacancy_span_is_inclusive() -> None:
    span = Vacancy(date(2024, 1, 1), date(2024, 5, 31))
    assert span(date(2024, 1, 1)) and span(date(2024, 5, 31))
    assert not span(date(2023, 12, 31)) and not span(date(2024, 6, 1))


def test_dst_switch_is_compared_on_real_instants() -> None:
    # 27.10.2024: 02:00-03:00 CEST then 02:00-03:00 CET; wall-clock 01:30+90min ends 03:00 CET.
    night = occ("n", at(1, 30, date(2024, 10, 27)), 90)
    late = occ("l", at(2, 45, date(2024, 10, 27)), 30)
    assert swept([night, late]) == brute_force_overlaps([night, late]) == {("IntB", frozenset({"n", "l"}))}


def test_to_dict_and_counts() -> None:
    found = find_conflicts([occ("a", at(10)), occ("b", at(10, 30))])
    data = found[0].to_dict()
    assert data["kind"] == "overlap" and data["day"] == "2024-05-14" and data["kind_label"] == "Überschneidung"
    assert [o["key"] for o in data["occurrences"]] == ["a", "b"]
    assert count_by_kind(found) == {"overlap": 1}
    assert isinstance(found[0], Conflict)


# --- free slots -----------------------------------------------------------------------------


def test_free_slots_avoid_busy_time_and_stay_inside_working_hours() -> None:
    busy = [(localize(at(8)), localize(at(9, 30))), (localize(at(12)), localize(at(17)))]
    slots = find_free_slots(busy, timedelta(minutes=90), DAY, DAY + timedelta(days=1))
    assert slots[0] == (localize(at(9, 30)), localize(at(11)))
    assert slots[-1] == (localize(at(10, 30)), localize(at(12)))
    assert all(s.time() >= time(8) and e.time() <= time(18) for s, e in slots)
    assert len(slots) == 5  # 09:30 … 10:30; 17:00–18:00 is too short for 90 minutes


def test_free_slots_skip_weekends_blocked_days_and_honour_limit_and_buffer() -> None:
    week = find_free_slots(
        [], timedelta(hours=10), date(2024, 5, 13), date(2024, 5, 20), blocked_days={date(2024, 5, 14)}
    )
    assert [s.date() for s, _ in week] == [date(2024, 5, 13), date(2024, 5, 15), date(2024, 5, 16), date(2024, 5, 17)]
    assert len(find_free_slots([], timedelta(minutes=30), DAY, DAY + timedelta(days=3), limit=7)) == 7
    busy = [(localize(at(8)), localize(at(9)))]
    first = find_free_slots(
        busy, timedelta(minutes=30), DAY, DAY + timedelta(days=1), buffer=timedelta(minutes=15), limit=1
    )
    assert first == [(localize(at(9, 15)), localize(at(9, 45)))]


@settings(max_examples=150, deadline=None)
@given(schedules, st.sampled_from((15, 30, 90)), st.sampled_from((0, 15)))
def test_no_free_slot_touches_a_busy_time(raw: list[tuple], minutes: int, buffer_minutes: int) -> None:
    schedule = [o for o in build(raw) if not o.all_day and o.status != "cancelled"]
    busy = [(o.start, o.end) for o in schedule]
    buffer = timedelta(minutes=buffer_minutes)
    whole_day = WorkHours(time(0), time(23, 59), frozenset(range(1, 8)))
    slots = [
        slot
        for day in (*DST_DAYS, DAY)
        for slot in find_free_slots(
            busy, timedelta(minutes=minutes), day, day + timedelta(days=1), buffer=buffer, work=whole_day
        )
    ]
    assert slots, "a day with at most 14 bookings always has some free time"
    proposals = [occ(f"s{n}", s.replace(tzinfo=None), minutes) for n, (s, _) in enumerate(slots)]
    assert not [(p, o) for p in proposals for o in schedule if brute_clash(p, o, buffer)]


def test_work_hours_parse_and_errors() -> None:
    assert WorkHours.parse("09:00-17:30", "1,2,3") == WorkHours(time(9), time(17, 30), frozenset({1, 2, 3}))
    with pytest.raises(ValidationError) as bad_hours:
        WorkHours.parse("18:00-08:00")
    assert bad_hours.value.field == "work_hours"
    with pytest.raises(ValidationError) as bad_days:
        WorkHours.parse("08:00-18:00", "0,8")
    assert bad_days.value.field == "work_days"


def test_at_least_hides_milder_conflicts() -> None:
    found = find_conflicts(
        [occ("a", at(10), 60, ("IntB", "Int2"), leads=("IntB",)), occ("b", at(10, 30))], vacancies={"Int2": Vacancy()}
    )
    assert {c.kind for c in at_least(found, None)} == {"lead_missing", "overlap", "vacancy"}
    assert {c.kind for c in at_least(found, "warning")} == {"lead_missing", "overlap"}
    assert {c.kind for c in at_least(found, "critical")} == {"lead_missing"}
    with pytest.raises(ValidationError) as bad:
        at_least(found, "egal")
    assert bad.value.field == "severity"
