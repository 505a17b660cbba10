"""The iCalendar rules Outlook needs (DESIGN.md), one test each, on the feeds library."""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.tz import tzical

from feeds import CalendarMeta, Override, render_calendar
from feeds.timezones import VTIMEZONES

from .feeds_examples import CHANGED, META, NOW, all_day, lines, render, timed, vevent_lines

BERLIN = ZoneInfo("Europe/Berlin")


def test_feeds_library_imports_no_web_or_database_code() -> None:
    code = "import sys, feeds; print(sorted({m.split('.')[0] for m in sys.modules}))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    for forbidden in ("flask", "sqlalchemy", "calsvc"):
        assert f"'{forbidden}'" not in loaded


def test_calendar_header_has_publish_method_prodid_version_and_names() -> None:
    head = lines(render())[: lines(render()).index("BEGIN:VTIMEZONE")]
    assert head[0] == "BEGIN:VCALENDAR"
    for line in (
        "VERSION:2.0",
        "METHOD:PUBLISH",
        "CALSCALE:GREGORIAN",
        "NAME:Integrationsbüro",
        "X-WR-CALNAME:Integrationsbüro",
        "X-WR-TIMEZONE:Europe/Berlin",
        "DESCRIPTION:Alle Termine des Büros",
        "X-WR-CALDESC:Alle Termine des Büros",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
    ):
        assert line in head
    assert any(line.startswith("PRODID:-//") for line in head)
    assert not any(line.startswith("UID:") for line in head), "Calendar.new's random UID breaks determinism"


def test_refresh_interval_follows_meta_and_empty_description_is_left_out() -> None:
    head = lines(render(meta=CalendarMeta(name="G", refresh=timedelta(hours=6), url="https://x.test/g.ics")))
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in head
    assert "X-PUBLISHED-TTL:PT6H" in head
    assert "URL:https://x.test/g.ics" in head
    assert not any(line.startswith(("X-WR-CALDESC", "DESCRIPTION")) for line in head)


def test_calendar_name_and_description_are_escaped_text() -> None:
    """icalendar 7.3 writes NAME/X-WR-* unescaped via Calendar.new; the library must not."""
    head = lines(render(meta=CalendarMeta(name="Beirat, AG; Wohnen", description="Sitzungen,\nAGs; mehr")))
    assert "NAME:Beirat\\, AG\\; Wohnen" in head
    assert "X-WR-CALNAME:Beirat\\, AG\\; Wohnen" in head
    assert "DESCRIPTION:Sitzungen\\,\\nAGs\\; mehr" in head
    assert "X-WR-CALDESC:Sitzungen\\,\\nAGs\\; mehr" in head


def test_empty_calendar_still_has_the_vtimezone() -> None:
    calendar = icalendar.Calendar.from_ical(render())
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert calendar.walk("VEVENT") == []


def test_vtimezone_is_classic_two_rule_form() -> None:
    (vtimezone,) = icalendar.Calendar.from_ical(render()).walk("VTIMEZONE")
    observances = {sub.name: sub for sub in vtimezone.subcomponents}
    assert len(vtimezone.subcomponents) == 2
    assert sorted(observances) == ["DAYLIGHT", "STANDARD"]
    daylight, standard = observances["DAYLIGHT"], observances["STANDARD"]
    assert daylight["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert standard["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
    # vUTCOffset.to_ical() returns str, not bytes as the other types do: compare offsets.
    assert (daylight["TZOFFSETFROM"].td, daylight["TZOFFSETTO"].td) == (timedelta(hours=1), timedelta(hours=2))
    assert (standard["TZOFFSETFROM"].td, standard["TZOFFSETTO"].td) == (timedelta(hours=2), timedelta(hours=1))
    assert "RDATE" not in daylight and "RDATE" not in standard


def test_vtimezone_agrees_with_tz_database_1996_to_2040() -> None:
    """Read by dateutil's independent VTIMEZONE implementation, hour by hour around each switch."""
    published = tzical(io.StringIO(VTIMEZONES["Europe/Berlin"])).get()
    for year in range(1996, 2041):
        for month in (3, 10):
            day = datetime(year, month, 20, tzinfo=UTC)
            for hour in range(0, 14 * 24):
                instant = day + timedelta(hours=hour)
                assert instant.astimezone(published).utcoffset() == instant.astimezone(BERLIN).utcoffset(), instant


def test_every_vevent_has_dtstamp_now_sequence_last_modified() -> None:
    ics = render(timed(sequence=3), all_day())
    for index in (0, 1):
        event = vevent_lines(ics, index)
        assert "DTSTAMP:20240115T083000Z" in event
        assert "LAST-MODIFIED:20240110T120000Z" in event
        assert any(line.startswith("SEQUENCE:") for line in event)
    assert "SEQUENCE:3" in vevent_lines(ics, 1)


def test_created_only_when_given_and_instants_are_whole_seconds_utc() -> None:
    plus_one = datetime(2024, 1, 2, 13, 0, 0, 999, tzinfo=ZoneInfo("Europe/Berlin"))
    assert not any(line.startswith("CREATED") for line in vevent_lines(render(timed())))
    assert "CREATED:20240102T120000Z" in vevent_lines(render(timed(created=plus_one)))


def test_timed_event_has_tzid_start_and_end() -> None:
    event = vevent_lines(render(timed()))
    assert "DTSTART;TZID=Europe/Berlin:20240109T100000" in event
    assert "DTEND;TZID=Europe/Berlin:20240109T110000" in event


@pytest.mark.parametrize(
    ("until", "written"),
    [
        ("20241231T235959", "20241231T225959Z"),  # winter: CET = UTC+1
        ("20240630T120000", "20240630T100000Z"),  # summer: CEST = UTC+2
        ("20241231", "20241231T225959Z"),  # a date means "through that local day"
        ("20240701", "20240701T215959Z"),
        ("20241231T120000Z", "20241231T120000Z"),  # already UTC stays
    ],
)
def test_rrule_until_is_written_in_utc(until: str, written: str) -> None:
    event = vevent_lines(render(timed(rrule=f"FREQ=WEEKLY;INTERVAL=2;UNTIL={until}")))
    assert f"RRULE:FREQ=WEEKLY;UNTIL={written};INTERVAL=2" in event


def test_rrule_with_count_is_kept() -> None:
    assert "RRULE:FREQ=WEEKLY;COUNT=5" in vevent_lines(render(timed(rrule="FREQ=WEEKLY;COUNT=5")))


def test_exdates_carry_the_dtstart_tzid_one_per_line_sorted() -> None:
    later, earlier = datetime(2024, 4, 2, 10), datetime(2024, 1, 23, 10)
    event = vevent_lines(render(timed(rrule="FREQ=WEEKLY;INTERVAL=2", exdates=(later, earlier, later))))
    assert [line for line in event if line.startswith("EXDATE")] == [
        "EXDATE;TZID=Europe/Berlin:20240123T100000",
        "EXDATE;TZID=Europe/Berlin:20240402T100000",
    ]


def test_override_is_own_vevent_with_same_uid_and_recurrence_id() -> None:
    moved = Override(
        recurrence_id=datetime(2024, 4, 2, 10),
        start=datetime(2024, 4, 3, 14),
        end=datetime(2024, 4, 3, 15, 30),
        last_modified=CHANGED,
        sequence=2,
        location="Raum 4",
    )
    series = timed(rrule="FREQ=WEEKLY;INTERVAL=2", overrides=(moved,), location="Raum 1", description="Tagesordnung")
    ics = render(series)
    master, override = vevent_lines(ics, 0), vevent_lines(ics, 1)
    assert not any(line.startswith("RECURRENCE-ID") for line in master)
    assert "UID:meeting-1@test.calsvc" in override
    assert "RECURRENCE-ID;TZID=Europe/Berlin:20240402T100000" in override
    assert "DTSTART;TZID=Europe/Berlin:20240403T140000" in override
    assert "DTEND;TZID=Europe/Berlin:20240403T153000" in override
    assert {"SEQUENCE:2", "LOCATION:Raum 4", "SUMMARY:Dienstberatung", "DESCRIPTION:Tagesordnung"} <= set(override)
    assert not any(line.startswith(("RRULE", "EXDATE")) for line in override)


def test_all_day_span_is_value_date_with_exclusive_end_and_transparent() -> None:
    event = vevent_lines(render(all_day()))
    assert "DTSTART;VALUE=DATE:20240401" in event
    assert "DTEND;VALUE=DATE:20240701" in event
    assert "TRANSP:TRANSPARENT" in event


def test_single_all_day_ends_next_day() -> None:
    event = vevent_lines(render(all_day(first_day=date(2024, 12, 31), last_day=date(2024, 12, 31))))
    assert "DTEND;VALUE=DATE:20250101" in event


def test_tentative_items_have_status_tentative() -> None:
    ics = render(timed(status="TENTATIVE"), all_day(status="TENTATIVE"))
    assert "STATUS:TENTATIVE" in vevent_lines(ics, 0)
    assert "STATUS:TENTATIVE" in vevent_lines(ics, 1)
    assert "STATUS:CONFIRMED" in vevent_lines(render(timed()))


def test_categories_url_and_location_are_written() -> None:
    event = vevent_lines(
        render(timed(categories=("Gremium", "AG Wohnen, Arbeit"), url="https://x.test/a", location="Rathaus"))
    )
    assert "CATEGORIES:Gremium,AG Wohnen\\, Arbeit" in event
    assert "URL:https://x.test/a" in event
    assert "LOCATION:Rathaus" in event
    assert not any(line.startswith("CATEGORIES") for line in vevent_lines(render(timed())))


def test_dtstamp_defaults_to_now_in_utc() -> None:
    before = datetime.now(UTC).replace(microsecond=0)
    calendar = icalendar.Calendar.from_ical(render_calendar(META, [timed()]))
    assert before <= calendar.walk("VEVENT")[0].DTSTAMP <= datetime.now(UTC)
    assert NOW.tzinfo is UTC
