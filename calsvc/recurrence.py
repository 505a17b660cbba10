"""RRULE validation and expansion in local wall time (pure; no I/O).

Series are stored with a naive local ``DTSTART`` in Europe/Berlin and an RRULE whose
``UNTIL`` is local too; expanding in wall time keeps a 10:00 meeting at 10:00 across the
DST switch, as RFC 5545 §3.3.10 requires for a DTSTART with TZID. Built on dateutil.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from .errors import RecurrenceError

__all__ = ["BERLIN", "as_local_naive", "expand_rule", "last_start", "localize", "normalize_rrule"]

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
    return _build(rule_text, dtstart).between(after, before, inc=True)


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
        return rrulestr(f"RRULE:{text}", dtstart=dtstart, cache=True)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"Ungültige Wiederholungsregel: {exc}", field="rrule") from None


def last_start(rule_text: str | None, dtstart: datetime) -> datetime | None:
    """The last local start of a bounded series; ``None`` when it recurs forever."""
    if rule_text is None:
        return dtstart
    if "UNTIL=" not in rule_text and "COUNT=" not in rule_text:
        return None
    starts = list(_build(rule_text, dtstart))
    return starts[-1] if starts else dtstart
