"""Byte-level rules (CRLF, folding, escaping, control characters), determinism, rejected input."""

from __future__ import annotations

import re
from datetime import date, datetime

import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds import CalendarMeta, FeedError, InvalidEvent, Override, UnsupportedTimezone
from feeds.text import clean_line, clean_text

from .feeds_examples import CHANGED, META, all_day, render, timed, vevent_lines

TRICKY = "Beirat PartInt, AG Wohnen; Raum 3\nBitte Unterlagen\\Anlagen mitbringen: Übersicht 2024 🎉, € 5"
ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n)|(?<!\r)\n")


def description_of(ics: bytes) -> tuple[str, str]:
    """DESCRIPTION as icalendar and as vobject read it back."""
    by_icalendar = str(icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]["DESCRIPTION"])
    by_vobject = vobject.readOne(ics.decode("utf-8")).vevent.description.value
    return by_icalendar, by_vobject


def test_lines_end_in_crlf_only() -> None:
    ics = render(timed(description=TRICKY), all_day())
    assert ics.endswith(b"END:VCALENDAR\r\n")
    assert ILLEGAL.search(ics) is None


def test_text_escaping_in_raw_output() -> None:
    (line,) = [raw for raw in vevent_lines(render(timed(description=TRICKY))) if raw.startswith("DESCRIPTION")]
    assert line.startswith("DESCRIPTION:Beirat PartInt\\, AG Wohnen\\; Raum 3\\nBitte Unterlagen\\\\Anlagen")


def test_description_with_commas_semicolons_newlines_round_trips_in_icalendar_and_vobject() -> None:
    assert description_of(render(timed(description=TRICKY))) == (TRICKY, TRICKY)


def test_control_characters_are_removed_not_escaped() -> None:
    dirty = "A\x00B\x07C\x1bD\x7fE\x85F\r\nG\rH\tI"
    ics = render(timed(summary="Sitzung\x00\nzwei\x0bZeilen", description=dirty))
    assert ILLEGAL.search(ics) is None
    assert description_of(ics) == ("ABCDEF\nG\nH\tI", "ABCDEF\nG\nH\tI")
    assert str(icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]["SUMMARY"]) == "Sitzung zweiZeilen"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list('aZ ü€🎉👩‍👩‍👧,;:\\\n"ß')), min_size=60, max_size=400))
def test_folding_at_75_octets_never_splits_a_utf8_character(text: str) -> None:
    ics = render(timed(description=text, location=text.replace("\n", " ")))
    for raw in ics.split(b"\r\n"):
        assert len(raw) <= 75
        raw.decode("utf-8")  # raises if a fold cut a multi-byte character
    assert description_of(ics) == (text, text)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_any_text_renders_into_a_feed_both_parsers_read(text: str) -> None:
    ics = render(timed(description=text, summary=f"S {text}", location=text))
    assert ILLEGAL.search(ics) is None
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == clean_line(f"S {text}")
    if clean_text(text):
        assert description_of(ics) == (clean_text(text),) * 2
    else:
        assert "DESCRIPTION" not in event


def test_summary_that_is_blank_after_cleaning_is_rejected() -> None:
    with pytest.raises(InvalidEvent) as caught:
        render(timed(summary=" \x00\n"))
    assert caught.value.field == "summary"


def test_same_input_gives_identical_bytes_whatever_the_order() -> None:
    a = timed(uid="b@test", rrule="FREQ=WEEKLY", exdates=(datetime(2024, 1, 23, 10), datetime(2024, 1, 16, 10)))
    b = all_day(uid="a@test")
    c = timed(uid="c@test")
    assert render(a, b, c) == render(c, b, a) == render(c, a, b)


def test_vevents_sorted_by_uid_then_recurrence_id_master_first() -> None:
    def moved(day: int) -> Override:
        return Override(
            recurrence_id=datetime(2024, 1, day, 10),
            start=datetime(2024, 1, day, 12),
            end=datetime(2024, 1, day, 13),
            last_modified=CHANGED,
        )

    series = timed(uid="b@test", rrule="FREQ=WEEKLY", overrides=(moved(30), moved(16)))
    calendar = icalendar.Calendar.from_ical(render(series, all_day(uid="z@test"), timed(uid="a@test")))
    order = [(str(e["UID"]), e.get("RECURRENCE-ID") and e["RECURRENCE-ID"].dt.day) for e in calendar.walk("VEVENT")]
    assert order == [("a@test", None), ("b@test", None), ("b@test", 16), ("b@test", 30), ("z@test", None)]


@pytest.mark.parametrize(
    ("events", "field"),
    [
        ((timed(), timed()), "uid"),
        ((timed(uid=" \x00"),), "uid"),
        ((timed(end=datetime(2024, 1, 9, 9)),), "end"),
        ((timed(rrule="FREQ=MONTHLY;BYDAY=1WE"),), "rrule"),  # DTSTART is a Tuesday
        ((timed(rrule="FREQ=WEEKLY;COUNT=3;UNTIL=20241231"),), "rrule"),
        ((timed(rrule="INTERVAL=2"),), "rrule"),
        ((timed(rrule="FREQ=SOMETIMES"),), "rrule"),
        ((timed(exdates=(datetime(2024, 1, 16, 10),)),), "rrule"),
        ((timed(start=datetime(2024, 3, 31, 2, 30), end=datetime(2024, 3, 31, 4)),), "start"),
        ((timed(last_modified=datetime(2024, 1, 1)),), "last_modified"),
        ((all_day(last_day=date(2024, 3, 31)),), "last_day"),
    ],
)
def test_input_clients_would_read_differently_is_rejected(events: tuple, field: str) -> None:
    with pytest.raises(InvalidEvent) as caught:
        render(*events)
    assert caught.value.field == field
    assert caught.value.to_dict()["code"] == "invalid_event"


@pytest.mark.parametrize("rid", [datetime(2024, 1, 10, 10), datetime(2024, 1, 23, 10)])
def test_override_must_replace_a_remaining_occurrence(rid: datetime) -> None:
    override = Override(recurrence_id=rid, start=rid, end=rid.replace(hour=11), last_modified=CHANGED)
    series = timed(rrule="FREQ=WEEKLY", exdates=(datetime(2024, 1, 23, 10),), overrides=(override,))
    with pytest.raises(InvalidEvent, match="no \\(remaining\\) occurrence"):
        render(series)


def test_only_zones_with_a_classic_vtimezone_and_aware_now_are_accepted() -> None:
    with pytest.raises(UnsupportedTimezone):
        render(meta=CalendarMeta(name="x", timezone="America/New_York"))
    with pytest.raises(FeedError):
        from feeds import render_calendar

        render_calendar(META, [], now=datetime(2024, 1, 1))


def test_ambiguous_autumn_time_is_accepted_as_the_first_one() -> None:
    ics = render(timed(start=datetime(2024, 10, 27, 2, 30), end=datetime(2024, 10, 27, 3, 30)))
    event = icalendar.Calendar.from_ical(ics).walk("VEVENT")[0]
    assert event.start.utcoffset().total_seconds() == 7200
