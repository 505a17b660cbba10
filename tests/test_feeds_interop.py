"""Feeds read the same in six parsers, and expand to the same 2024 occurrences in three clients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest

from .interop import parsers
from .interop.office_calendar import CANCEL_REASON, TEXT, office_feed

pytestmark = pytest.mark.interop

YEAR = (date(2024, 1, 1), date(2025, 1, 1))
EXPANDERS: dict[str, Callable[[bytes, date, date], set[parsers.Occurrence]]] = {
    "recurring-ical-events": parsers.expand_recurring_ical_events,
    "libical": parsers.expand_libical,
    "ical.js": parsers.expand_icaljs,
}
PARSERS: dict[str, Callable[[bytes], set[parsers.Occurrence]]] = {
    "icalendar": parsers.parse_icalendar,
    "vobject": parsers.parse_vobject,
    "ical": parsers.parse_ical_strict,
}


@pytest.fixture(scope="module")
def feed() -> bytes:
    return office_feed()


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_parser_accepts_the_feed_and_reads_the_same_components(feed: bytes, name: str) -> None:
    assert PARSERS[name](feed) == parsers.parse_icalendar(feed)


@pytest.mark.parametrize("name", sorted(EXPANDERS))
def test_expander_accepts_the_feed(feed: bytes, name: str) -> None:
    assert EXPANDERS[name](feed, *YEAR)


def test_2024_occurrences_are_identical_in_recurring_ical_events_libical_and_icaljs(feed: bytes) -> None:
    expansions = {name: expand(feed, *YEAR) for name, expand in EXPANDERS.items()}
    reference = expansions["recurring-ical-events"]
    for name, found in expansions.items():
        assert found == reference, f"{name}: only there {found - reference}, missing {reference - found}"


def test_expansion_has_the_office_facts(feed: bytes) -> None:
    """Spot checks, so that three parsers agreeing on something wrong still fails."""
    found = parsers.expand_recurring_ical_events(feed, *YEAR)
    series = sorted(o for o in found if o[0] == "series-1@test.calsvc")
    assert ("series-1@test.calsvc", "2024-01-09T09:00:00Z", "2024-01-09T10:30:00Z") in series  # CET
    assert ("series-1@test.calsvc", "2024-04-16T08:00:00Z", "2024-04-16T09:30:00Z") in series  # CEST
    assert ("series-1@test.calsvc", "2024-04-03T12:00:00Z", "2024-04-03T13:30:00Z") in series  # moved
    assert not any(o[1].startswith(("2024-04-02", "2024-05-14")) for o in series)  # moved away, EXDATE
    assert series[-1][1] == "2024-12-24T09:00:00Z" and len(series) == 25  # UNTIL date honoured
    beirat = sorted(o[1][:10] for o in found if o[0] == "series-3@test.calsvc")
    assert len(beirat) == 10 and not any(day[5:7] in ("07", "08") for day in beirat)
    assert beirat[:2] == ["2024-01-03", "2024-02-07"]
    assert len([o for o in found if o[0] == "series-4@test.calsvc"]) == 5  # COUNT=8 from Oct 2023
    assert ("activity-7@test.calsvc", "2024-04-01", "2024-07-01") in found
    assert ("activity-3@test.calsvc", "2024-09-23", "2024-09-24") in found


@pytest.mark.parametrize("reader", ["icalendar", "libical", "ical.js"])
def test_a_cancelled_date_reads_as_abgesagt_with_its_reason_in_every_client(feed: bytes, reader: str) -> None:
    """STATUS:CANCELLED alone is shown differently by each client; the title and reason say it in words."""
    read = {"icalendar": parsers.texts_icalendar, "libical": parsers.texts_libical, "ical.js": parsers.texts_icaljs}
    (called_off,) = [e for e in read[reader](feed) if e["status"] == "CANCELLED"]
    assert called_off["uid"] == "series-1@test.calsvc"
    assert called_off["recurrence_id"].replace("-", "").replace(":", "").startswith("20241112T100000")
    assert called_off["summary"] == "Abgesagt: Dienstberatung IntB, Int1; Int2"
    assert called_off["description"] == CANCEL_REASON and called_off["transp"] == "TRANSPARENT"
    assert called_off["location"] == "Rathaus Hellersdorf, Raum 1"  # copied: an override replaces the instance


def test_the_cancelled_date_keeps_its_slot_in_every_expansion(feed: bytes) -> None:
    slot = ("series-1@test.calsvc", "2024-11-12T09:00:00Z", "2024-11-12T10:30:00Z")
    for name, expand in EXPANDERS.items():
        assert slot in expand(feed, *YEAR), name


def test_unchanged_data_gives_identical_bytes() -> None:
    assert office_feed() == office_feed()


def test_cancelling_one_occurrence_removes_it_in_all_three_expansions(feed: bytes) -> None:
    cancelled = ("series-1@test.calsvc", "2024-10-29T09:00:00Z", "2024-10-29T10:30:00Z")  # after the switch
    changed = office_feed(cancel=datetime(2024, 10, 29, 10, 0))
    for name, expand in EXPANDERS.items():
        before, after = expand(feed, *YEAR), expand(changed, *YEAR)
        assert before - after == {cancelled}, name
        assert after - before == set(), name


def test_awkward_text_survives_every_python_parser(feed: bytes) -> None:
    import icalendar
    import vobject
    from ical.calendar_stream import IcsCalendarStream

    # Masters only: the cancelled date's override carries its reason instead.
    by_icalendar = {
        str(e["UID"]): str(e.get("DESCRIPTION"))
        for e in icalendar.Calendar.from_ical(feed).walk("VEVENT")
        if "RECURRENCE-ID" not in e
    }
    by_vobject = {
        e.uid.value: e.description.value
        for e in vobject.readOne(feed.decode()).vevent_list
        if "description" in e.contents and "recurrence-id" not in e.contents
    }
    by_ical = {
        e.uid: e.description
        for e in IcsCalendarStream.calendar_from_ics(feed.decode()).events
        if e.description and e.recurrence_id is None
    }
    assert (
        by_icalendar["series-1@test.calsvc"]
        == by_vobject["series-1@test.calsvc"]
        == by_ical["series-1@test.calsvc"]
        == TEXT
    )


MUTATIONS = {
    # floating UNTIL: libical ends the series one occurrence earlier than the others
    "local UNTIL": (b"UNTIL=20241231T225959Z", b"UNTIL=20241224T090000"),
    # DTSTART off its RRULE: recurring-ical-events counts it, libical and ical.js do not
    "DTSTART not an occurrence": (b"TZID=Europe/Berlin:20240103T170000", b"TZID=Europe/Berlin:20240102T170000"),
    # floating EXDATE: recurring-ical-events applies it, libical and ical.js do not
    "EXDATE without TZID": (b"EXDATE;TZID=Europe/Berlin:20240514T100000", b"EXDATE:20240514T100000"),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_harness_sees_the_divergences_the_library_prevents(feed: bytes, mutation: str) -> None:
    """The rules in feeds/ exist because clients differ here; the comparison must notice."""
    old, new = MUTATIONS[mutation]
    assert old in feed
    mutated = feed.replace(old, new)
    expansions = [expand(mutated, *YEAR) for expand in EXPANDERS.values()]
    assert not expansions[0] == expansions[1] == expansions[2]


def test_harness_rejects_a_feed_without_vtimezone(feed: bytes) -> None:
    """libical and recurring-ical-events fall back to built-in zones; ical.js reads floating time."""
    start, end = feed.index(b"BEGIN:VTIMEZONE"), feed.index(b"END:VTIMEZONE\r\n") + len(b"END:VTIMEZONE\r\n")
    with pytest.raises(parsers.ParserRejected, match="unknown TZID Europe/Berlin"):
        parsers.expand_icaljs(feed[:start] + feed[end:], *YEAR)
