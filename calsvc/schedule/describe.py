"""A recurrence in plain German: "jeden 1. Mittwoch im Monat außer Januar, Juli und August, 18:00–20:00, bis 31.10.2020".

Pure. Every rule the form's picker builds reads as a sentence; other valid RRULEs are described
part by part where the words exist, and otherwise quoted ("nach der Regel FREQ=…"), never guessed.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from calsvc.german import MONTHS, WEEKDAYS

from .rrule import parse_until

__all__ = ["describe_rule", "month_list"]

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINAL_WORDS = {2: "zweiten", 3: "dritten", 4: "vierten"}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_DESCRIBED = {"FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS", "UNTIL", "COUNT", "WKST"}


def describe_rule(rule: str | None, dtstart: datetime, duration: timedelta) -> str:
    """The whole recurrence of a series starting at ``dtstart`` (local) as one German phrase."""
    clock = _clock(dtstart, duration)
    if not rule:
        return f"einmalig am {WEEKDAYS[dtstart.weekday()]}, {dtstart:%d.%m.%Y}, {clock}"
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    pattern = _pattern(parts, dtstart)
    if pattern is None:
        body = ";".join(f"{k}={v}" for k, v in parts.items() if k not in ("UNTIL", "COUNT"))
        pattern = f"nach der Regel {body}"
    else:
        pattern += _months(parts)
    return ", ".join(x for x in (pattern, clock, _end(parts)) if x)


def month_list(numbers: list[int]) -> str:
    """``Januar, Juli und August``."""
    names = [MONTHS[n - 1] for n in sorted(set(numbers))]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]


def _clock(start: datetime, duration: timedelta) -> str:
    """``18:00–20:00``; a meeting past midnight says so."""
    end = start + duration
    days = (end.date() - start.date()).days
    suffix = "" if days == 0 else " (am Folgetag)" if days == 1 else f" ({days} Tage später)"
    return f"{start:%H:%M}–{end:%H:%M}{suffix}"


def _end(parts: dict[str, str]) -> str:
    if "UNTIL" in parts:
        return f"bis {parse_until(parts['UNTIL']):%d.%m.%Y}"
    if "COUNT" in parts:
        count = int(parts["COUNT"])
        return "1 Termin" if count == 1 else f"{count} Termine"
    return ""


def _months(parts: dict[str, str]) -> str:
    """`` außer Juli und August`` or `` nur im März und April``; the shorter way of saying it."""
    if "BYMONTH" not in parts or parts.get("FREQ") == "YEARLY":
        return ""
    chosen = {int(m) for m in parts["BYMONTH"].split(",")}
    missing = sorted(set(range(1, 13)) - chosen)
    if not missing:
        return ""
    if len(missing) <= len(chosen):
        return f" außer {month_list(missing)}"
    return f" nur im {month_list(sorted(chosen))}"


def _every(interval: int, one: str, other: str, plural: str) -> str:
    """``jeden Dienstag`` / ``jeden zweiten Dienstag`` / ``alle 5 Wochen``-style words."""
    if interval == 1:
        return one
    if interval in ORDINAL_WORDS:
        return other.format(nth=ORDINAL_WORDS[interval])
    return plural.format(n=interval)


def _weekdays(codes: list[str]) -> str:
    names = [WEEKDAYS[DAY_CODES.index(c)] for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " und " + names[-1]


def _ordinal(n: int) -> str:
    return "letzten" if n == -1 else "vorletzten" if n == -2 else f"{n}."


def _monthly(what: str, month: str) -> str:
    """``jeden 1. Mittwoch im Monat``; with "alle n Monate" first: ``alle 6 Monate am 1. Mittwoch``."""
    if month.startswith("alle"):
        return f"{month} " + (what.replace("jeden ", "am ", 1) if what.startswith("jeden ") else what)
    return f"{what} {month}"


def _pattern(parts: dict[str, str], dtstart: datetime) -> str | None:
    """The repeating part ("jeden 1. Mittwoch im Monat"), or ``None`` when German words would guess."""
    if set(parts) - _DESCRIBED or ("WKST" in parts and parts["WKST"] != "MO"):
        return None
    freq, interval = parts["FREQ"], int(parts.get("INTERVAL", "1"))
    days = [_BYDAY.match(d) for d in parts["BYDAY"].split(",")] if "BYDAY" in parts else []
    if any(m is None for m in days):
        return None
    plain = [m[2] for m in days if m is not None and m[1] is None]
    numbered = [(int(m[1]), m[2]) for m in days if m is not None and m[1] is not None]
    setpos = parts.get("BYSETPOS")
    if setpos is not None:  # "BYDAY=WE;BYSETPOS=1" is the first Wednesday, said the usual way
        if freq != "MONTHLY" or numbered or len(plain) != 1 or "," in setpos:
            return None
        numbered, plain = [(int(setpos), plain[0])], []
    if freq == "DAILY":
        if days or "BYMONTHDAY" in parts:
            return None
        return _every(interval, "täglich", "jeden {nth} Tag", "alle {n} Tage")
    if freq == "WEEKLY":
        if numbered or "BYMONTHDAY" in parts:
            return None
        names = _weekdays(plain or [DAY_CODES[dtstart.weekday()]])
        return _every(interval, f"jeden {names}", f"jeden {{nth}} {names}", f"alle {{n}} Wochen am {names}")
    if freq == "MONTHLY":
        month = _every(interval, "im Monat", "jedes {nth} Monats", "alle {n} Monate")
        if "BYMONTHDAY" in parts:
            if days:
                return None
            values = [int(d) for d in parts["BYMONTHDAY"].split(",")]
            if any(v < -1 for v in values):
                return None
            words = [f"{v}." if v > 0 else "letzten Tag" for v in values]
            said = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " und " + words[-1]
            return _monthly(f"am {said}", month)
        if plain:
            return None if numbered else _monthly(f"jeden {_weekdays(plain)}", month)
        if numbered:
            ordinals = " und ".join(f"{_ordinal(n)} {WEEKDAYS[DAY_CODES.index(c)]}" for n, c in numbered)
            return _monthly(f"jeden {ordinals}", month)
        return _monthly(f"am {dtstart.day}.", month)
    if freq == "YEARLY":
        if days or "BYMONTHDAY" in parts:
            return None
        months = [int(m) for m in parts.get("BYMONTH", str(dtstart.month)).split(",")]
        year = _every(interval, "jährlich", "jedes {nth} Jahr", "alle {n} Jahre")
        return f"{year} am {dtstart.day}. {month_list(months)}"
    return None
