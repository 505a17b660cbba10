"""The German description of recurrences: every shape the picker builds, plus raw RRULEs."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from calsvc.editing.recurrence_picker import Recurrence, build_rrule
from calsvc.schedule.describe import describe_rule, month_list

WED = datetime(2020, 1, 1, 18)  # the first Wednesday of January 2020
TWO_HOURS = timedelta(hours=2)


def test_the_beirat_rule_of_2020_reads_as_the_office_says_it() -> None:
    rule = "FREQ=MONTHLY;BYMONTH=2,3,4,5,6,9,10,11,12;BYDAY=1WE;UNTIL=20201031"
    assert describe_rule(rule, datetime(2020, 2, 5, 18), TWO_HOURS) == (
        "jeden 1. Mittwoch im Monat außer Januar, Juli und August, 18:00–20:00, bis 31.10.2020"
    )


@pytest.mark.parametrize(
    ("recurrence", "text"),
    [
        (Recurrence("once"), "einmalig am Mittwoch, 01.01.2020, 18:00–20:00"),
        (Recurrence("weekly"), "jeden Mittwoch, 18:00–20:00"),
        (Recurrence("weekly", count=10), "jeden Mittwoch, 18:00–20:00, 10 Termine"),
        (Recurrence("weekly", count=1), "jeden Mittwoch, 18:00–20:00, 1 Termin"),
        (
            Recurrence("biweekly", until=datetime(2020, 6, 30).date()),
            "jeden zweiten Mittwoch, 18:00–20:00, bis 30.06.2020",
        ),
        (Recurrence("monthly"), "jeden 1. Mittwoch im Monat, 18:00–20:00"),
        (
            Recurrence("bimonthly", skip_summer=True),
            "jeden 1. Mittwoch jedes zweiten Monats außer Juli und August, 18:00–20:00",
        ),
        (
            Recurrence("monthly", months=(2, 3, 4, 5, 6, 9, 10, 11, 12)),
            "jeden 1. Mittwoch im Monat außer Januar, Juli und August, 18:00–20:00",
        ),
        (Recurrence("monthly", months=(1, 3)), "jeden 1. Mittwoch im Monat nur im Januar und März, 18:00–20:00"),
        (
            Recurrence("weekly", months=(1, 2, 3, 4, 5, 6, 9, 10, 11, 12), count=5),
            "jeden Mittwoch außer Juli und August, 18:00–20:00, 5 Termine",
        ),
        (Recurrence("custom", rrule="FREQ=DAILY"), "täglich, 18:00–20:00"),
    ],
)
def test_every_picker_shape_reads_as_german(recurrence: Recurrence, text: str) -> None:
    assert describe_rule(build_rrule(recurrence, WED), WED, TWO_HOURS) == text


def test_the_last_weekday_of_the_month() -> None:
    last = datetime(2020, 1, 29, 18)
    rule = build_rrule(Recurrence("monthly", nth=-1), last)
    assert describe_rule(rule, last, TWO_HOURS) == "jeden letzten Mittwoch im Monat, 18:00–20:00"


@pytest.mark.parametrize(
    ("rule", "text"),
    [
        ("FREQ=DAILY;INTERVAL=3", "jeden dritten Tag"),
        ("FREQ=DAILY;INTERVAL=5", "alle 5 Tage"),
        ("FREQ=DAILY;INTERVAL=2", "jeden zweiten Tag"),
        ("FREQ=WEEKLY;BYDAY=MO,WE", "jeden Montag und Mittwoch"),
        ("FREQ=WEEKLY;INTERVAL=3;BYDAY=WE", "jeden dritten Mittwoch"),
        ("FREQ=WEEKLY;INTERVAL=6;BYDAY=WE", "alle 6 Wochen am Mittwoch"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "jeden letzten Freitag im Monat"),
        ("FREQ=MONTHLY;BYDAY=WE;BYSETPOS=1", "jeden 1. Mittwoch im Monat"),
        ("FREQ=MONTHLY;BYDAY=1MO,3MO", "jeden 1. Montag und 3. Montag im Monat"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "am 15. im Monat"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "am letzten Tag im Monat"),
        ("FREQ=MONTHLY;INTERVAL=3", "am 1. jedes dritten Monats"),
        ("FREQ=MONTHLY;INTERVAL=6", "alle 6 Monate am 1."),
        ("FREQ=MONTHLY;INTERVAL=6;BYDAY=1WE", "alle 6 Monate am 1. Mittwoch"),
        ("FREQ=YEARLY", "jährlich am 1. Januar"),
        ("FREQ=YEARLY;BYMONTH=3,9", "jährlich am 1. März und September"),
        ("FREQ=MONTHLY;BYDAY=MO,TU", "jeden Montag und Dienstag im Monat"),
    ],
)
def test_raw_rules_are_described_part_by_part(rule: str, text: str) -> None:
    assert describe_rule(rule, WED, TWO_HOURS) == f"{text}, 18:00–20:00"


@pytest.mark.parametrize(
    "rule", ["FREQ=YEARLY;BYWEEKNO=20", "FREQ=MONTHLY;BYMONTHDAY=-3", "FREQ=WEEKLY;WKST=SU;BYDAY=WE"]
)
def test_rules_without_words_are_quoted_not_guessed(rule: str) -> None:
    assert describe_rule(rule, WED, TWO_HOURS) == f"nach der Regel {rule}, 18:00–20:00"


def test_times_past_midnight_and_month_lists() -> None:
    assert describe_rule(None, datetime(2020, 1, 1, 23), TWO_HOURS).endswith("23:00–01:00 (am Folgetag)")
    assert month_list([8, 1, 7]) == "Januar, Juli und August"
    assert month_list([5]) == "Mai"
