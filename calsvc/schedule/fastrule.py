"""Direct expansion of the rules nearly every meeting has (dateutil iterates them ~20x slower).

Weekly on DTSTART's weekday, daily, monthly on the n-th weekday or a month day; each with
INTERVAL, BYMONTH and UNTIL. Anything else goes to dateutil; ``tests/test_recurrence.py``
proves both give the same starts. Results are cached per window in a cache bounded by the
number of starts it holds, so no rule can pin memory.
"""

from __future__ import annotations

import threading
from calendar import monthrange
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

__all__ = ["clear_fast_caches", "direct_between", "parse_until"]

CACHED_STARTS = 200_000
"""Starts the window cache holds at most (a few MB), however the windows are shaped."""


class _WindowCache:
    """An LRU of start tuples bounded by their total length, not by their number."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.size = 0
        self._entries: OrderedDict[tuple[str, datetime, datetime, datetime], tuple[datetime, ...]] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn's threads share it

    def get(self, key: tuple[str, datetime, datetime, datetime]) -> tuple[datetime, ...] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[str, datetime, datetime, datetime], starts: tuple[datetime, ...]) -> None:
        if len(starts) > self.capacity // 4:
            return  # one huge window would evict everything else
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = starts
            self.size += len(starts)
            while self.size > self.capacity:
                _, evicted = self._entries.popitem(last=False)
                self.size -= len(evicted)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0


_WINDOWS = _WindowCache(CACHED_STARTS)


def direct_between(rule_text: str, dtstart: datetime, after: datetime, before: datetime) -> tuple[datetime, ...] | None:
    """Starts of a common rule in ``[after, before]``; None when the rule needs dateutil."""
    key = (rule_text, dtstart, after, before)
    cached = _WINDOWS.get(key)
    if cached is not None:
        return cached
    simple = _simple_rule(rule_text)
    if simple is None or dtstart.microsecond:
        return None
    starts = simple.between(dtstart, after, before)
    if starts is None:
        return None
    found = tuple(starts)
    _WINDOWS.put(key, found)
    return found


def clear_fast_caches() -> None:
    """Forget parsed rules and cached windows (benchmarks measure a cold start)."""
    _WINDOWS.clear()
    _simple_rule.cache_clear()


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
        until = parse_until(parts["UNTIL"]) if "UNTIL" in parts else None
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


def parse_until(value: str) -> datetime:
    """UNTIL as dateutil reads it here: a date includes that whole local day."""
    if len(value) == 8:
        return datetime.strptime(value, "%Y%m%d").replace(hour=23, minute=59, second=59)
    return datetime.strptime(value, "%Y%m%dT%H%M%S")
