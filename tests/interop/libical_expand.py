#!/usr/bin/python3
"""Parse an .ics with libical (Evolution's parser) and expand its events in a window.

Run with Debian's /usr/bin/python3 (python3-gi + gir1.2-ical-3.0); calsvc's venv cannot
load the system GObject bindings. Usage::

    libical_expand.py FROM TO [FILE]      # FROM/TO: YYYY-MM-DD, FILE default: stdin

Prints JSON ``{"errors": [...], "occurrences": [{"uid", "start", "end"}]}``: every
X-LIC-ERROR libical attached while parsing, and the occurrences whose start lies in
[FROM, TO): UTC ``YYYY-MM-DDTHH:MM:SSZ`` for timed events, ``YYYY-MM-DD`` for all-day ones
(DTEND exclusive, as written). RRULEs are expanded with ICalGLib.RecurIterator; EXDATEs
and RECURRENCE-ID overrides are applied the way a client shows them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as I  # noqa: E402

UTC = I.Timezone.get_utc_timezone()
MAX_STEPS = 20000


def main(argv: list[str]) -> int:
    window = (argv[1], argv[2])
    text = Path(argv[3]).read_text(encoding="utf-8") if len(argv) > 3 else sys.stdin.read()
    calendar = I.Component.new_from_string(text)
    if calendar is None:
        print(json.dumps({"errors": ["libical could not parse the calendar at all"], "occurrences": []}))
        return 0
    errors = list(lic_errors(calendar))
    occurrences: list[dict[str, str]] = []
    if not errors:  # after an X-LIC-ERROR the property it replaced is gone: nothing to expand
        try:
            masters, overrides = events_by_uid(calendar, errors)
            for uid, master in sorted(masters.items()):
                occurrences.extend(expand(uid, master, overrides.pop(uid, {}), window, errors))
            for uid, rest in sorted(overrides.items()):  # overrides without a master
                occurrences.extend(in_window([occurrence(uid, comp, errors) for comp in rest.values()], window))
        except Exception as exc:  # a missing DTSTART and the like: report, do not crash
            errors.append(f"expansion failed: {type(exc).__name__}: {exc}")
    print(json.dumps({"errors": errors, "occurrences": occurrences}, ensure_ascii=False))
    return 0


def lic_errors(comp: I.Component):
    """Every X-LIC-ERROR in the tree: libical's way of saying "I dropped/mangled this"."""
    prop = comp.get_first_property(I.PropertyKind.XLICERROR_PROPERTY)
    while prop is not None:
        line = prop.as_ical_string().replace("\r\n ", "").strip()
        yield f"{I.Component.kind_to_string(comp.isa())}: {line}"
        prop = comp.get_next_property(I.PropertyKind.XLICERROR_PROPERTY)
    child = comp.get_first_component(I.ComponentKind.ANY_COMPONENT)
    while child is not None:
        yield from lic_errors(child)
        child = comp.get_next_component(I.ComponentKind.ANY_COMPONENT)


def events_by_uid(calendar: I.Component, errors: list[str]):
    masters: dict[str, I.Component] = {}
    overrides: dict[str, dict[str, I.Component]] = {}
    vevent = calendar.get_first_component(I.ComponentKind.VEVENT_COMPONENT)
    while vevent is not None:
        uid = vevent.get_uid()
        rid_prop = vevent.get_first_property(I.PropertyKind.RECURRENCEID_PROPERTY)
        if rid_prop is None:
            if uid in masters:
                errors.append(f"duplicate master VEVENT for UID {uid}")
            masters[uid] = vevent
        else:
            overrides.setdefault(uid, {})[stamp(prop_time(rid_prop, vevent, errors))] = vevent
        vevent = calendar.get_next_component(I.ComponentKind.VEVENT_COMPONENT)
    return masters, overrides


def prop_time(prop: I.Property, comp: I.Component, errors: list[str]) -> I.Time:
    """A DATE/DATE-TIME property value with its TZID resolved against the calendar's VTIMEZONEs."""
    value = I.Property.get_datetime_with_component(prop, comp)
    tzid = prop.get_parameter_as_string("TZID")
    if tzid and (value.get_timezone() is None or value.is_floating()):
        errors.append(f"{prop.as_ical_string().strip()}: TZID {tzid} not resolved")
    return value


def stamp(value: I.Time) -> str:
    """UTC ISO for a date-time, ISO date for a date."""
    if value.is_date():
        return f"{value.get_year():04d}-{value.get_month():02d}-{value.get_day():02d}"
    utc = value.convert_to_zone(UTC) if not value.is_utc() else value
    return (
        f"{utc.get_year():04d}-{utc.get_month():02d}-{utc.get_day():02d}"
        f"T{utc.get_hour():02d}:{utc.get_minute():02d}:{utc.get_second():02d}Z"
    )


def seconds(value: I.Time) -> int:
    return value.as_timet_with_zone(value.get_timezone() or UTC)


def occurrence(uid: str, comp: I.Component, errors: list[str]) -> dict[str, str]:
    start = prop_time(comp.get_first_property(I.PropertyKind.DTSTART_PROPERTY), comp, errors)
    end = prop_time(comp.get_first_property(I.PropertyKind.DTEND_PROPERTY), comp, errors)
    return {"uid": uid, "start": stamp(start), "end": stamp(end)}


def expand(uid: str, master: I.Component, overrides: dict[str, I.Component], window, errors: list[str]):
    rrule = master.get_first_property(I.PropertyKind.RRULE_PROPERTY)
    if rrule is None:
        return in_window([occurrence(uid, master, errors)], window)
    dtstart = prop_time(master.get_first_property(I.PropertyKind.DTSTART_PROPERTY), master, errors)
    dtend = prop_time(master.get_first_property(I.PropertyKind.DTEND_PROPERTY), master, errors)
    excluded = set()
    exdate = master.get_first_property(I.PropertyKind.EXDATE_PROPERTY)
    while exdate is not None:
        excluded.add(stamp(prop_time(exdate, master, errors)))
        exdate = master.get_next_property(I.PropertyKind.EXDATE_PROPERTY)
    iterator = I.RecurIterator.new(rrule.get_rrule(), dtstart)
    result = []
    for _ in range(MAX_STEPS):
        start = iterator.next()
        if start is None or start.is_null_time():
            break
        if not start.is_date() and start.get_timezone() is None:
            start.set_timezone(dtstart.get_timezone())
        key = stamp(start)
        if key >= window[1]:
            break
        if key in excluded:
            continue
        if key in overrides:
            result.append(occurrence(uid, overrides.pop(key), errors))
            continue
        if start.is_date():
            end = start.clone()
            end.adjust((I.Time.as_timet(dtend) - I.Time.as_timet(dtstart)) // 86400, 0, 0, 0)
        else:
            end = I.Time.new_from_timet_with_zone(seconds(start) + seconds(dtend) - seconds(dtstart), 0, UTC)
        result.append({"uid": uid, "start": key, "end": stamp(end)})
    else:
        errors.append(f"{uid}: more than {MAX_STEPS} occurrences before {window[1]}")
    result.extend(occurrence(uid, comp, errors) for comp in overrides.values())  # moved beyond the loop
    overrides.clear()
    return in_window(result, window)


def in_window(occurrences, window):
    return [o for o in occurrences if window[0] <= o["start"] < window[1]]


if __name__ == "__main__":
    sys.exit(main(sys.argv))
