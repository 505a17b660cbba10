"""Outside calendars: a person's other appointments (Outlook/Exchange links, .ics files) as busy times.

``fetch`` gets an ICS address with bounded size and time, ``parse`` turns a calendar into busy
intervals only (pure: no titles, no attendees survive it), ``sync`` stores them per source and
records what went wrong for its owner, and ``cli`` is ``calsvc sync-busy``.
"""

from .fetch import FetchError, fetch_calendar
from .parse import BusyParseError, busy_intervals
from .sync import SyncLimits, SyncResult, store_upload, sync_source

__all__ = [
    "BusyParseError",
    "FetchError",
    "SyncLimits",
    "SyncResult",
    "busy_intervals",
    "fetch_calendar",
    "store_upload",
    "sync_source",
]
