"""RRULE validation and expansion in local wall time (pure; no I/O).

Series are stored with a naive local ``DTSTART`` in Europe/Berlin and an RRULE whose
``UNTIL`` is local too; expanding in wall time keeps a 10:00 meeting at 10:00 across the
DST switch, as RFC 5545 §3.3.10 requires for a DTSTART with TZID. Built on dateutil.

Every rule is checked against the work budget (:mod:`calsvc.schedule.budget`) before it is
stored or expanded: values in their RFC ranges, INTERVAL from 1 to 100, an end (UNTIL or
COUNT) within ten years, and at least one date in the ten years from DTSTART — found with a
search bounded to those ten years, so a rule that can never occur is refused at once.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

from calsvc.errors import RecurrenceError

from .budget import MAX_COUNT, MAX_INTERVAL, MAX_RULE_SPAN, spend
from .reach import starts_within_horizon
from .walltime import BERLIN, as_local_naive, localize

__all__ = [
    "BERLIN",
    "as_local_naive",
    "clear_rule_caches",
    "expand_rule",
    "last_start",
    "localize",
    "normalize_rrule",
]

ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}
_WEEKDAY = r"(?:MO|TU|WE|TH|FR|SA|SU)"
_NUMBER_LISTS = {  # part: (smallest, largest absolute value); 0 is never allowed
    "BYMONTH": (1, 12),
    "BYMONTHDAY": (1, 31),
    "BYYEARDAY": (1, 366),
    "BYWEEKNO": (1, 53),
    "BYSETPOS": (1, 366),
}
_PART_ORDER = ["FREQ", "INTERVAL", "BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYSETPOS", "WKST"]


def normalize_rrule(text: str, dtstart: datetime) -> str:
    """Validate an RRULE for a series starting at ``dtstart``; return its canonical stored form.

    The canonical form has no ``RRULE:`` prefix, upper-case parts in a stable order, and an
    ``UNTIL`` in local wall time (a UTC ``…Z`` value is converted). Raises
    :class:`RecurrenceError` naming the field ``rrule`` for anything we would not publish.
    """
    parts = _parts(text)
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise RecurrenceError("FREQ muss DAILY, WEEKLY, MONTHLY oder YEARLY sein.", field="rrule")
    if "UNTIL" in parts and "COUNT" in parts:
        raise RecurrenceError("UNTIL und COUNT schließen einander aus (RFC 5545).", field="rrule")
    _check_values(parts)
    if "UNTIL" in parts:
        parts["UNTIL"] = _local_until(parts["UNTIL"])
        if parse_until(parts["UNTIL"]) > dtstart + MAX_RULE_SPAN:
            raise RecurrenceError("Das Ende (UNTIL) darf höchstens zehn Jahre nach dem Beginn liegen.", field="rrule")
    canonical = ";".join(f"{k}={parts[k]}" for k in sorted(parts, key=_part_order))
    found, _last = _reach(canonical, dtstart)
    spend(found, field="rrule")  # the search is work too: at most ten years of dates
    if not found:
        raise RecurrenceError(
            "Die Regel ergibt in den zehn Jahren ab dem Beginn keinen einzigen Termin.", field="rrule"
        )
    if "COUNT" in parts and found < int(parts["COUNT"]):
        raise RecurrenceError(
            f"Mit COUNT={parts['COUNT']} reicht die Serie über zehn Jahre hinaus; bitte weniger Termine.",
            field="rrule",
        )
    return canonical


def _parts(text: str) -> dict[str, str]:
    """``NAME=VALUE`` pairs of the rule, each name once, names and values upper case."""
    body = text.strip()
    if body.upper().startswith("RRULE:"):
        body = body[6:]
    if not body:
        raise RecurrenceError("Die Wiederholungsregel ist leer.", field="rrule")
    parts: dict[str, str] = {}
    for chunk in body.split(";"):
        key, sep, value = chunk.partition("=")
        key, value = key.strip().upper(), value.strip().upper()
        if not sep or not value:
            raise RecurrenceError(f"RRULE-Teil „{chunk}“ ist kein NAME=WERT-Paar.", field="rrule")
        if key not in {*_PART_ORDER, "UNTIL", "COUNT"}:
            raise RecurrenceError(f"RRULE-Teil „{key}“ wird nicht unterstützt.", field="rrule")
        if key in parts:
            raise RecurrenceError(f"RRULE-Teil „{key}“ steht doppelt.", field="rrule")
        parts[key] = value
    return parts


def _check_values(parts: dict[str, str]) -> None:
    """Every value in its RFC 5545 range and INTERVAL/COUNT within the work budget."""
    if "INTERVAL" in parts:
        _whole(parts["INTERVAL"], "INTERVAL", 1, MAX_INTERVAL)
    if "COUNT" in parts:
        _whole(parts["COUNT"], "COUNT", 1, MAX_COUNT)
    for name, (low, high) in _NUMBER_LISTS.items():
        for item in parts.get(name, "").split(",") if name in parts else ():
            sign = item[:1] in "+-" and name != "BYMONTH"
            _whole(item[1:] if sign else item, name, low, high)
    largest = {"MONTHLY": 5, "YEARLY": 53}.get(parts["FREQ"], 0)  # RFC 5545: ordinals only there
    for day in parts.get("BYDAY", "").split(",") if "BYDAY" in parts else ():
        match = re.fullmatch(rf"([+-]?)(\d{{1,2}})?({_WEEKDAY})", day)
        if match is None or (match.group(2) is not None and not 1 <= int(match.group(2)) <= largest):
            raise RecurrenceError(
                f"BYDAY „{day}“ ist kein Wochentag wie MO, 2TU oder -1FR (Zahlen nur monatlich bis 5, jährlich bis 53).",
                field="rrule",
            )
    if "WKST" in parts and not re.fullmatch(_WEEKDAY, parts["WKST"]):
        raise RecurrenceError(f"WKST „{parts['WKST']}“ ist kein Wochentag (MO…SU).", field="rrule")


def _whole(raw: str, name: str, low: int, high: int) -> int:
    """A whole number of ASCII digits in ``[low, high]``, else a 422 saying the range."""
    if not (raw.isascii() and raw.isdigit() and len(raw) <= 6 and low <= int(raw) <= high):
        raise RecurrenceError(f"{name} muss eine ganze Zahl von {low} bis {high} sein, nicht „{raw}“.", field="rrule")
    return int(raw)


@lru_cache(maxsize=4096)
def _reach(rule_text: str, dtstart: datetime) -> tuple[int, datetime | None]:
    """How many starts lie within ten years (at most MAX_COUNT + 1), and the series' last one.

    The last start is the COUNT-th one for a counted rule (None when it lies beyond ten years),
    else the last found. Only these two are kept, so the cache stays small whatever the rules.
    """
    parts, until = _parts_and_until(rule_text)
    starts = starts_within_horizon(_build(rule_text, dtstart), parts, dtstart, until)
    if parts.get("COUNT", "").isdigit():
        count = int(parts["COUNT"])
        return len(starts), starts[count - 1] if 0 < count <= len(starts) else None
    return len(starts), starts[-1] if starts else None


@lru_cache(maxsize=8192)
def _occurs(rule_text: str, dtstart: datetime) -> bool:
    """Whether the rule has a start within ten years: found at its first date (a rule that never
    matches costs the bounded search), not by listing ten years of dates as :func:`_reach` does."""
    parts, until = _parts_and_until(rule_text)
    return bool(starts_within_horizon(_build(rule_text, dtstart), parts, dtstart, until, limit=1))


def _parts_and_until(rule_text: str) -> tuple[dict[str, str], datetime | None]:
    """A canonical rule's parts by name, and its UNTIL as a local moment."""
    parts = dict(chunk.partition("=")[::2] for chunk in rule_text.split(";"))
    return parts, parse_until(parts["UNTIL"]) if "UNTIL" in parts else None


def expand_rule(rule_text: str | None, dtstart: datetime, after: datetime, before: datetime) -> list[datetime]:
    """Local starts of the series in ``[after, before]`` (both naive local, inclusive).

    Each start counts against the work budget of the current request.
    """
    if rule_text is None:
        return [dtstart] if after <= dtstart <= before else []
    if not _occurs(rule_text, dtstart):
        return []  # a stored rule that never matches: dateutil would search until 9999
    starts = _build(rule_text, dtstart).between(after, before, inc=True)
    spend(len(starts), field="rrule")
    return starts


def parse_until(value: str) -> datetime:
    """UNTIL as dateutil reads it here: a date includes that whole local day."""
    if len(value) == 8:
        return datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)
    return datetime.strptime(value, "%Y%m%dT%H%M%S")


def _part_order(key: str) -> int:
    return _PART_ORDER.index(key) if key in _PART_ORDER else len(_PART_ORDER) + (key == "UNTIL")


def _local_until(value: str) -> str:
    """UNTIL as local wall time: ``YYYYMMDD`` stays a date, ``…Z`` converts from UTC."""
    try:
        if len(value) == 8:
            datetime.strptime(value, "%Y%m%d")
            return value
        if value.endswith("Z"):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            return moment.astimezone(BERLIN).strftime("%Y%m%dT%H%M%S")
        datetime.strptime(value, "%Y%m%dT%H%M%S")
        return value
    except ValueError:
        raise RecurrenceError(f"UNTIL „{value}“ ist kein Datum (JJJJMMTT[THHMMSS[Z]]).", field="rrule") from None


@lru_cache(maxsize=8192)
def _build(rule_text: str, dtstart: datetime) -> rrule:
    """Parse once per (rule, start): series are expanded on every request.

    dateutil's own cache (``cache=True``) would keep every start it ever produced; it stays off.
    """
    text = rule_text
    if ";UNTIL=" in f";{text}":
        until = text.split("UNTIL=", 1)[1].split(";", 1)[0]
        if len(until) == 8:  # a date UNTIL includes that whole local day
            text = text.replace(f"UNTIL={until}", f"UNTIL={until}T235959")
    try:
        rule = rrulestr(f"RRULE:{text}", dtstart=dtstart)
    except (ValueError, TypeError, OverflowError) as exc:
        raise RecurrenceError(f"Ungültige Wiederholungsregel: {exc}", field="rrule") from None
    if not isinstance(rule, rrule):  # one RRULE line never makes a set; say so if dateutil ever does
        raise RecurrenceError("Bitte genau eine Wiederholungsregel angeben.", field="rrule")
    return rule


def clear_rule_caches() -> None:
    """Forget parsed rules (benchmarks measure a cold start with this)."""
    _build.cache_clear()
    _reach.cache_clear()
    _occurs.cache_clear()


def last_start(rule_text: str | None, dtstart: datetime) -> datetime | None:
    """The last local start of a bounded series; ``None`` when it recurs forever (or past the budget)."""
    if rule_text is None:
        return dtstart
    if "UNTIL=" not in rule_text and "COUNT=" not in rule_text:
        return None
    found, last = _reach(rule_text, dtstart)  # bounded: rules stored before the budget never list more
    if "COUNT=" in rule_text:
        return last  # None when the COUNT-th date lies beyond ten years: as if endless
    return last if found else dtstart
