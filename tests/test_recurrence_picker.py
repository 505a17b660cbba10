"""The recurrence picker: the office's patterns to RRULE and back."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from calsvc.editing.recurrence_picker import Recurrence, build_rrule, nth_of_month, picker_from_rrule
from calsvc.errors import ValidationError

JOUR_FIXE = datetime(2024, 1, 11, 14)  # 2nd Thursday
BEIRAT = datetime(2024, 1, 3, 17)  # 1st Wednesday
DIENSTBERATUNG = datetime(2024, 1, 9, 10)


@pytest.mark.parametrize(
    ("rec", "start", "expected"),
    [
        (Recurrence("once"), BEIRAT, None),
        (Recurrence("weekly"), DIENSTBERATUNG, "FREQ=WEEKLY;BYDAY=TU"),
        (Recurrence("biweekly"), DIENSTBERATUNG, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"),
        (Recurrence("bimonthly"), JOUR_FIXE, "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH"),
        (Recurrence("monthly", 1, skip_summer=True), BEIRAT, "FREQ=MONTHLY;BYMONTH=1,2,3,4,5,6,9,10,11,12;BYDAY=1WE"),
        (Recurrence("monthly", -1), datetime(2024, 1, 25, 9), "FREQ=MONTHLY;BYDAY=-1TH"),
        (Recurrence("weekly", until=date(2024, 6, 30)), DIENSTBERATUNG, "FREQ=WEEKLY;BYDAY=TU;UNTIL=20240630"),
        (Recurrence("monthly", count=5), BEIRAT, "FREQ=MONTHLY;BYDAY=1WE;COUNT=5"),
        (Recurrence("custom", rrule="RRULE:freq=yearly"), BEIRAT, "FREQ=YEARLY"),
    ],
)
def test_patterns_become_canonical_rrules_and_come_back(rec: Recurrence, start: datetime, expected: str | None) -> None:
    rule = build_rrule(rec, start)
    assert rule == expected
    back = picker_from_rrule(rule, start)
    assert build_rrule(back, start) == rule
    if rec.pattern != "custom":
        assert back.pattern == rec.pattern


@pytest.mark.parametrize(
    ("rec", "field"),
    [
        (Recurrence("sometimes"), "pattern"),
        (Recurrence("custom"), "rrule"),
        (Recurrence("custom", rrule="FREQ=HOURLY"), "rrule"),
        (Recurrence("monthly", 5), "nth"),
        (Recurrence("weekly", until=date(2023, 1, 1)), "until"),
        (Recurrence("weekly", until=date(2025, 1, 1), count=3), "count"),
        (Recurrence("weekly", count=0), "count"),
    ],
)
def test_invalid_choices_name_their_field(rec: Recurrence, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        build_rrule(rec, BEIRAT)
    assert err.value.field == field


def test_nth_of_month_and_unusual_rules_stay_custom() -> None:
    assert [nth_of_month(date(2024, 1, d)) for d in (1, 8, 15, 22, 29)] == [1, 2, 3, 4, -1]
    assert picker_from_rrule("FREQ=MONTHLY;BYMONTHDAY=15", BEIRAT).pattern == "custom"
    assert picker_from_rrule("FREQ=WEEKLY;BYDAY=MO", BEIRAT).pattern == "custom"  # not the start's weekday
