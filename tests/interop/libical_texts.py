#!/usr/bin/python3
"""Read the text properties of every VEVENT with libical (Evolution's parser).

Run with Debian's /usr/bin/python3 (python3-gi + gir1.2-ical-3.0). Usage::

    libical_texts.py [FILE]      # default: stdin

Prints JSON ``{"errors": [...], "events": [{"uid", "recurrence_id", "properties",
"summary", "location", "description", "status", "transp"}]}``: every X-LIC-ERROR, and per
VEVENT the names of all its properties (to spot injected ones), the unescaped
SUMMARY/LOCATION/DESCRIPTION and STATUS/TRANSP as written (None when absent).
"""

from __future__ import annotations

import json
import sys

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as I  # noqa: E402
from libical_expand import lic_errors  # noqa: E402


def texts(vevent: I.Component) -> dict[str, object]:
    names = []
    prop = vevent.get_first_property(I.PropertyKind.ANY_PROPERTY)
    while prop is not None:
        names.append(prop.get_property_name())
        prop = vevent.get_next_property(I.PropertyKind.ANY_PROPERTY)
    rid = vevent.get_first_property(I.PropertyKind.RECURRENCEID_PROPERTY)
    return {
        "uid": vevent.get_uid(),
        "recurrence_id": rid.get_value_as_string() if rid is not None else None,
        "properties": names,
        "summary": vevent.get_summary(),
        "location": vevent.get_location(),
        "description": vevent.get_description(),
        "status": _value(vevent, I.PropertyKind.STATUS_PROPERTY),
        "transp": _value(vevent, I.PropertyKind.TRANSP_PROPERTY),
    }


def _value(vevent: I.Component, kind: I.PropertyKind) -> str | None:
    """A property's value as written (STATUS, TRANSP), None when absent."""
    prop = vevent.get_first_property(kind)
    return None if prop is None else prop.get_value_as_string()


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        with open(argv[1], encoding="utf-8") as file:
            text = file.read()
    else:
        text = sys.stdin.read()
    calendar = I.Component.new_from_string(text)
    if calendar is None:
        print(json.dumps({"errors": ["libical could not parse the calendar at all"], "events": []}))
        return 0
    events = []
    vevent = calendar.get_first_component(I.ComponentKind.VEVENT_COMPONENT)
    while vevent is not None:
        events.append(texts(vevent))
        vevent = calendar.get_next_component(I.ComponentKind.VEVENT_COMPONENT)
    print(json.dumps({"errors": list(lic_errors(calendar)), "events": events}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
