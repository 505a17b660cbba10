"""Berlin wall time: naive local times as the office writes them, and the moments they mean.

Meetings are stored as naive Europe/Berlin wall times. Twice a year a wall time does not
map to one moment: in spring 02:00–02:59 does not exist (the gap), in autumn 02:00–02:59
happens twice (the fold). Typed times there are refused (:mod:`calsvc.inputs`, with the
reason and the nearest valid time from :func:`wall_time_problem`); a computed occurrence that
lands in the gap is read with the offset before the gap, as RFC 5545 §3.3.5 says
(:func:`localize`).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

__all__ = ["BERLIN", "as_local_naive", "localize", "wall_time_problem"]

BERLIN = ZoneInfo("Europe/Berlin")


def localize(naive: datetime) -> datetime:
    """The moment of a naive Berlin wall time; a time in the spring gap moves forward by the gap."""
    aware = naive.replace(tzinfo=BERLIN)
    if naive.hour != 2:  # Berlin's gap is 02:00–02:59 (EU rules, 1981 on): every other time exists
        return aware
    real = aware.astimezone(UTC).astimezone(BERLIN)
    return aware if real.replace(tzinfo=None) == naive else real


def as_local_naive(value: date | datetime) -> datetime:
    """A date (midnight), naive local or aware datetime as naive Berlin wall time."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value
        return value.astimezone(BERLIN).replace(tzinfo=None)
    return datetime.combine(value, time())


def wall_time_problem(naive: datetime) -> str | None:
    """Why ``naive`` is not one moment in Berlin (German, with the nearest valid time), or None."""
    kind = _transition(naive)
    if kind is None:
        return None
    day = f"{naive:%d.%m.%Y}"
    minute = naive.replace(second=0, microsecond=0)
    after = _step_out(minute, timedelta(minutes=1))
    if kind == "gap":
        return (
            f"{naive:%H:%M} Uhr gibt es am {day} nicht (Umstellung auf Sommerzeit). "
            f"Nächste gültige Zeit: {after:%H:%M} Uhr."
        )
    before = _step_out(minute, timedelta(minutes=-1))
    return (
        f"{naive:%H:%M} Uhr gibt es am {day} zweimal (Umstellung auf Winterzeit). "
        f"Bitte {before:%H:%M} Uhr oder {after:%H:%M} Uhr wählen."
    )


def _transition(naive: datetime) -> str | None:
    """``"gap"`` (the wall time is skipped), ``"fold"`` (it happens twice) or None."""
    earlier, later = naive.replace(tzinfo=BERLIN, fold=0), naive.replace(tzinfo=BERLIN, fold=1)
    if earlier.utcoffset() == later.utcoffset():
        return None
    return "gap" if localize(naive).replace(tzinfo=None) != naive else "fold"


def _step_out(minute: datetime, step: timedelta) -> datetime:
    """The first minute from ``minute`` in direction ``step`` that is one moment (an hour at most)."""
    while _transition(minute) is not None:
        minute += step
    return minute
