"""RRULE checks and the UNTIL rewrite, so every client expands a series the same way."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr
from icalendar import vRecur

from .errors import InvalidEvent

__all__ = ["OccurrenceSet", "utc_until_rule"]


def utc_until_rule(text: str, *, tz: ZoneInfo, uid: str) -> vRecur:
    """Parse an RRULE value and rewrite its UNTIL in UTC.

    RFC 5545 3.3.10: "If the "DTSTART" property is specified as a date with local time ...
    the UNTIL rule part MUST be specified as a date with UTC time." A date-only UNTIL is
    read as "through that local day", i.e. its last second in ``tz``.
    """
    try:
        rule = vRecur.from_ical(text.removeprefix("RRULE:"))
    except (ValueError, TypeError) as exc:
        raise InvalidEvent(f"unreadable RRULE {text!r}: {exc}", field="rrule", uid=uid) from exc
    if "FREQ" not in rule:
        raise InvalidEvent(f"RRULE without FREQ: {text!r}", field="rrule", uid=uid)
    if "UNTIL" in rule and "COUNT" in rule:
        raise InvalidEvent("RRULE with both UNTIL and COUNT (RFC 5545 3.3.10)", field="rrule", uid=uid)
    if "UNTIL" in rule:
        rule["UNTIL"] = [_until_utc(rule["UNTIL"][0], tz)]
    return rule


def _until_utc(until: date | datetime, tz: ZoneInfo) -> datetime:
    if not isinstance(until, datetime):
        until = datetime.combine(until, time(23, 59, 59))
    if until.tzinfo is None:
        until = until.replace(tzinfo=tz)
    return until.astimezone(UTC)


class OccurrenceSet:
    """The local start times a series produces, for checking DTSTART, overrides and EXDATEs."""

    def __init__(self, rule: vRecur, start: datetime, tz: ZoneInfo) -> None:
        self._tz = tz
        text = rule.to_ical().decode()
        parsed = rrulestr(text, dtstart=start.replace(tzinfo=tz))
        if not isinstance(parsed, rrule):  # one RRULE line never makes a set
            raise TypeError(f"expected one RRULE, got {text!r}")
        self._rule = parsed

    def __contains__(self, local: datetime) -> bool:
        return local.replace(tzinfo=self._tz) in self._rule
