"""Who is at which date (pure): the engine, a person's view of a series, everybody involved."""

from __future__ import annotations

from datetime import datetime, timedelta

from calsvc.schedule.attendance import attends, date_people, involved, person_view
from calsvc.schedule.engine import expand
from calsvc.schedule.specs import AttendanceSpec, ExceptionSpec, ExtraSpec, SeriesSpec

START = datetime(2027, 3, 2, 10)
WEEK = timedelta(days=7)
SPEC = SeriesSpec(
    id=7,
    title="Dienstberatung",
    dtstart=START,
    duration=timedelta(hours=1),
    rrule="FREQ=WEEKLY;COUNT=4",
    lead_codes=("IntB",),
    participant_codes=("IntB", "Int1"),
    exceptions=(ExceptionSpec(START + 2 * WEEK, new_start=START + 2 * WEEK + timedelta(hours=3)),),
    extras=(ExtraSpec(id=3, start=datetime(2027, 4, 20, 10)),),
    attendance=(
        AttendanceSpec(START + WEEK, "Int2"),  # Int2 comes to the second date
        AttendanceSpec(START + 2 * WEEK, "Int2"),  # … and to the moved third one
        AttendanceSpec(START + WEEK, "IntB", present=False),  # the lead misses the second
        AttendanceSpec(datetime(2027, 4, 20, 10), "Int1", present=False),  # Int1 misses the extra date
    ),
)


def _dates(spec: SeriesSpec, code: str | None = None) -> list[tuple[datetime, str]]:
    found = expand([spec], [], START, START + 10 * WEEK)
    return [(o.start.replace(tzinfo=None), o.uid) for o in found if code is None or code in o.participant_codes]


def test_the_engine_applies_changes_to_each_date_and_a_missing_lead_does_not_lead() -> None:
    found = {o.start.replace(tzinfo=None): o for o in expand([SPEC], [], START, START + 10 * WEEK)}
    assert found[START].participant_codes == ("IntB", "Int1")
    assert found[START + WEEK].participant_codes == ("Int1", "Int2") and found[START + WEEK].lead_codes == ()
    assert found[START + 2 * WEEK + timedelta(hours=3)].participant_codes == ("IntB", "Int1", "Int2")
    assert found[datetime(2027, 4, 20, 10)].participant_codes == ("IntB",)
    assert date_people(SPEC)[START + WEEK] == ((), ("Int1", "Int2"))
    assert involved(SPEC) == {"IntB", "Int1", "Int2"} and attends(SPEC, "Int2") and not attends(SPEC, "BA")


def test_a_persons_view_has_exactly_their_dates() -> None:
    for code in ("IntB", "Int1", "Int2"):
        view = person_view(SPEC, code)
        assert view is not None
        mine = [start for start, _ in _dates(SPEC, code)]
        assert [start for start, _ in _dates(view)] == mine, code
    only = person_view(SPEC, "Int2")
    assert only is not None and not only.master
    assert [uid for _, uid in _dates(only)] == ["series-7-20270309T1000", "series-7-20270316T1000"]
    assert person_view(SPEC, "BA") is None


def test_a_single_meeting_missed_is_not_in_the_view() -> None:
    single = SeriesSpec(
        id=8,
        title="Runde",
        dtstart=START,
        duration=timedelta(hours=1),
        participant_codes=("IntB", "Int1"),
        attendance=(AttendanceSpec(START, "Int1", present=False),),
    )
    assert person_view(single, "Int1") is None
    assert person_view(single, "IntB") is single
