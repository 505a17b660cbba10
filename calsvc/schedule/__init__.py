"""The one occurrence engine: what a meeting or activity is, and when it happens.

``specs`` holds the plain data (series, activities, occurrences), ``rrule`` validates and
expands recurrence rules in Berlin wall time, ``engine`` turns specs into occurrences,
``store`` loads specs from the database, and ``holidays`` knows Berlin's public holidays and
the office's closure days. Feeds, agenda, reports, API and conflicts all read ``engine``.
"""

from .engine import expand, occurrences
from .holidays import berlin_holidays, closure_days
from .rrule import expand_rule, normalize_rrule
from .specs import ActivitySpec, ExceptionSpec, ExtraSpec, Occurrence, PeriodSpec, SeriesSpec
from .store import load_activities, load_series, require_gremium, require_person
from .walltime import BERLIN, as_local_naive, localize

__all__ = [
    "BERLIN",
    "ActivitySpec",
    "ExceptionSpec",
    "ExtraSpec",
    "Occurrence",
    "PeriodSpec",
    "SeriesSpec",
    "as_local_naive",
    "berlin_holidays",
    "closure_days",
    "expand",
    "expand_rule",
    "load_activities",
    "load_series",
    "localize",
    "normalize_rrule",
    "occurrences",
    "require_gremium",
    "require_person",
]
