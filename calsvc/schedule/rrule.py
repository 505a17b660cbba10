"""RRULE validation and expansion in local wall time (pure; no I/O).

Series are stored with a naive local ``DTSTART`` in Europe/Berlin and an RRULE whose
``UNTIL`` is local too; expanding in wall time keeps a 10:00 meeting at 10:00 across the
DST switch, as RFC 5545 §3.3.10 requires for a DTSTART with TZID. Built on dateutil.
"""

from __future__ import annotations

from calendar import monthrange
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from calsvc.errors import RecurrenceError

__all__ = ["BERLIN", "as_local_naive", "clear_rule_caches", "expand_rule", "last_start", "localize", "normalize_rrule"]

BERLIN = ZoneInfo("Europe/Berlin")
ALLOWED_PARTS = {
    "FREQ", "INTERVAL", "UNTIL", "COUNT", "BYDAY", "BYMONTHDAY", "BYMONTH",
    "BYSETPOS", "BYWEEKNO", "BYYEARDAY", "WKST",
}  # fmt: skip
ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}


def localize(naive: datetime) -> datetime:
    """Attach Europe/Berlin to a naive local wall time."""
    return naive.replace(tzinfo=BERLIN)


def as_local_naive(value: date | datetime) -> datetime:
    """A date (midnight), naive local or aware datetime as naive Berlin wall time."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value
        return value.astimezone(BERLIN).replace(tzinfo=None)
    return datetime.combine(value, time())


def normalize_rrule(text: str, dtstart: datetime) -> str:
    """Validate an RRULE for a series starting at ``dtstart``; return its canonical stored form.

    The canonical form has no ``RRULE:`` prefix, upper-case parts in a stable order, and an
    ``UNTIL`` in local wall time (a UTC ``…Z`` value is converted). Raises
    :class:`RecurrenceError` naming the field ``rrule`` for anything we would not publish.
    """
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
        if key not in ALLOWED_PARTS:
            raise RecurrenceError(f"RRULE-Teil „{key}“ wird nicht unterstützt.", field="rrule")
        if key in parts:
            raise RecurrenceError(f"RRULE-Teil „{key}“ steht doppelt.", field="rrule")
        parts[key] = value
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise RecurrenceError("FREQ muss DAILY, WEEKLY, MONTHLY oder YEARLY sein.", field="rrule")
    if "UNTIL" in parts and "COUNT" in parts:
        raise RecurrenceError("UNTIL und COUNT schließen einander aus (RFC 5545).", field="rrule")
    if "UNTIL" in parts:
        parts["UNTIL"] = _local_until(parts["UNTIL"])
    canonical = ";".join(f"{k}={parts[k]}" for k in sorted(parts, key=_part_order))
    rule = _build(canonical, dtstart)
    if rule.after(dtstart - timedelta(seconds=1), inc=True) is None:
        raise RecurrenceError("Die Regel ergibt keinen einzigen Termin ab dem Beginn.", field="rrule")
    return canonical


def expand_rule(rule_text: str | None, dtstart: datetime, after: datetime, before: datetime) -> list[datetime]:
    """Local starts of the series in ``[after, before]`` (both naive local, inclusive)."""
    if rule_text is None:
        return [dtstart] if after <= dtstart <= before else []
    starts = _direct_between(rule_text, dtstart, after, before)
    if starts is not None:
        return list(starts)
    return _build(rule_text, dtstart).between(after, before, inc=True)


@lru_cache(maxsize=16384)
def _direct_between(
    rule_text: str, dtstart: datetime, after: datetime, before: datetime
) -> tuple[datetime, ...] | None:
    """Starts of a common rule, computed once per window (feeds, agenda and checks repeat windows)."""
    simple = _simple_rule(rule_text)
    if simple is None or dtstart.microsecond:
        return None
    starts = simple.between(dtstart, after, before)
    return None if starts is None else tuple(starts)


@dataclass(frozen=True, slots=True)
class _SimpleRule:
    """The rules nearly every meeting has, computed directly (dateutil iterates them ~20x slower).

    Weekly on DTSTART's weekday, daily, monthly on the n-th weekday or a month day; each with
    INTERVAL, BYMONTH and UNTIL. Anything else (COUNT, several days, BYSETPOS...) goes to dateutil;
    ``tests/test_recurrence.py`` proves both give the same starts.
    """

    freq: str
    interval: int
    weekday: int | None  # BYDAY's day (MO=0)
    nth: int | None  # BYDAY's ordinal (monthly)
    monthday: int | None
    months: frozenset[int] | None
    until: datetime | None

    def between(self, dtstart: datetime, after: datetime, before: datetime) -> list[datetime] | None:
        """Starts in ``[after, before]``; None when this rule and DTSTART need dateutil after all."""
        if self.until is not None and self.until < before:
            before = self.until
        if before < dtstart or before < after:
            return []
        if self.freq == "MONTHLY":
            return self._monthly(dtstart, max(after, dtstart), before)
        if self.freq == "WEEKLY" and self.weekday not in (None, dtstart.weekday()):
            return None
        step = timedelta(days=self.interval * (7 if self.freq == "WEEKLY" else 1))
        skip = 0 if after <= dtstart else -((dtstart - after) // step)  # ceil((after - dtstart) / step)
        moment, found = dtstart + skip * step, []
        while moment <= before:
            found.append(moment)
            moment += step
        return found

    def _monthly(self, dtstart: datetime, after: datetime, before: datetime) -> list[datetime]:
        first = dtstart.year * 12 + dtstart.month - 1
        index = after.year * 12 + after.month - 1
        index += (first - index) % self.interval  # the first month of the rhythm at or after ``after``
        found = []
        while index <= before.year * 12 + before.month - 1:
            year, month = divmod(index, 12)
            index += self.interval
            if self.months is not None and month + 1 not in self.months:
                continue
            day = self._day(year, month + 1)
            if day is None:
                continue
            moment = dtstart.replace(year=year, month=month + 1, day=day)
            if after <= moment <= before:
                found.append(moment)
        return found

    def _day(self, year: int, month: int) -> int | None:
        length = monthrange(year, month)[1]
        if self.monthday is not None:
            return self.monthday if self.monthday <= length else None
        assert self.weekday is not None and self.nth is not None
        if self.nth > 0:
            day = 1 + (self.weekday - monthrange(year, month)[0]) % 7 + (self.nth - 1) * 7
            return day if day <= length else None
        last_weekday = (monthrange(year, month)[0] + length - 1) % 7
        day = length - (last_weekday - self.weekday) % 7 + (self.nth + 1) * 7
        return day if day >= 1 else None


_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@lru_cache(maxsize=4096)
def _simple_rule(rule_text: str) -> _SimpleRule | None:
    """The rule as a :class:`_SimpleRule`, or None when it needs dateutil's general iteration."""
    parts = dict(chunk.partition("=")[::2] for chunk in rule_text.split(";"))
    if not set(parts) <= {"FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "UNTIL", "WKST"}:
        return None
    try:
        freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
        months = frozenset(int(m) for m in parts["BYMONTH"].split(",")) if "BYMONTH" in parts else None
        until = _until(parts["UNTIL"]) if "UNTIL" in parts else None
        byday = parts.get("BYDAY")
        weekday = nth = monthday = None
        if byday is not None:
            if "," in byday or byday[-2:] not in _WEEKDAYS:
                return None
            weekday, ordinal = _WEEKDAYS.index(byday[-2:]), byday[:-2]
            nth = int(ordinal) if ordinal else None
        if "BYMONTHDAY" in parts:
            monthday = int(parts["BYMONTHDAY"])
    except (KeyError, ValueError):
        return None
    if interval < 1 or (months is not None and not months <= set(range(1, 13))):
        return None
    if freq in ("WEEKLY", "DAILY"):
        ok = nth is None and monthday is None and months is None and (freq == "WEEKLY" or weekday is None)
    elif freq == "MONTHLY":
        by_weekday = weekday is not None and nth is not None and monthday is None and 1 <= abs(nth) <= 4
        ok = by_weekday or (weekday is None and monthday is not None and 1 <= monthday <= 31)
    else:
        ok = False
    return _SimpleRule(freq, interval, weekday, nth, monthday, months, until) if ok else None


def _until(value: str) -> datetime:
    """UNTIL as :func:`_build` reads it: a date includes that whole local day."""
    if len(value) == 8:
        return datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)
    return datetime.strptime(value, "%Y%m%dT%H%M%S")


def _part_order(key: str) -> int:
    order = ["FREQ", "INTERVAL", "BYMONTH", "BYWEEKNO", "BYYEARDAY", "BYMONTHDAY", "BYDAY", "BYSETPOS", "WKST"]
    return order.index(key) if key in order else len(order) + (key == "UNTIL")


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
    """Parse once per (rule, start): series are expanded on every request."""
    text = rule_text
    if ";UNTIL=" in f";{text}":
        until = text.split("UNTIL=", 1)[1].split(";", 1)[0]
        if len(until) == 8:  # a date UNTIL includes that whole local day
            text = text.replace(f"UNTIL={until}", f"UNTIL={until}T235959")
    try:
        rule = rrulestr(f"RRULE:{text}", dtstart=dtstart, cache=True)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"Ungültige Wiederholungsregel: {exc}", field="rrule") from None
    if not isinstance(rule, rrule):  # one RRULE line never makes a set; say so if dateutil ever does
        raise RecurrenceError("Bitte genau eine Wiederholungsregel angeben.", field="rrule")
    return rule


def clear_rule_caches() -> None:
    """Forget parsed rules (benchmarks measure a cold start with this)."""
    _build.cache_clear()
    _simple_rule.cache_clear()
    _direct_between.cache_clear()


def last_start(rule_text: str | None, dtstart: datetime) -> datetime | None:
    """The last local start of a bounded series; ``None`` when it recurs forever."""
    if rule_text is None:
        return dtstart
    if "UNTIL=" not in rule_text and "COUNT=" not in rule_text:
        return None
    starts = list(_build(rule_text, dtstart))
    return starts[-1] if starts else dtstart
