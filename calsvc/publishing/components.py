"""Each item's calendar components, rendered once per version of the item and kept (bounded).

A feed is its header, the VTIMEZONE and the components of its items
(:func:`feeds.assemble_calendar`). An item's components depend only on its snapshot (the spec:
id, sequence, times, exceptions, extra dates, and what was read with it — the Gremium's name,
the people's codes) and on the feed context (host, base URL, retention and the day of the
render). Entries are kept per (kind, id, context, zone) and answer only for an equal snapshot,
so after an edit the next render of a feed renders the changed item only, and an entry can
never stand for bytes that a full render would write differently.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

from calsvc.schedule.kept import Kept
from calsvc.schedule.specs import ActivitySpec, SeriesSpec
from feeds import FeedEvent, RenderedEvent, render_event

from .content import FeedContext, activity_events, series_events

__all__ = ["CACHED_BYTES", "COMPONENTS", "ComponentCache", "rendered_events"]

CACHED_BYTES = 32 * 2**20
"""Component bytes kept per process at most: the national office feed is ~2.3 MB."""


Snapshot = SeriesSpec | ActivitySpec
Key = tuple[str, int, FeedContext, str, str]  # kind, id, context, time zone, view (a person, or "")


class ComponentCache(Kept[Snapshot, tuple[RenderedEvent, ...]]):
    """Per item and context, the snapshot last rendered and its events; bounded by their bytes."""

    def __init__(self, capacity: int = CACHED_BYTES) -> None:
        super().__init__(capacity)

    def put(self, key: Hashable, snapshot: Snapshot, value: tuple[RenderedEvent, ...], size: int | None = None) -> None:
        """Keep an item's rendered events, sized by their bytes (+ the snapshot's share)."""
        if size is None:
            size = sum(len(c.ical) for r in value for c in r.components) + 1000
        super().put(key, snapshot, value, size)


COMPONENTS = ComponentCache()


def rendered_events(
    series: Iterable[SeriesSpec],
    activities: Iterable[ActivitySpec],
    ctx: FeedContext,
    *,
    timezone: str,
    views: Mapping[int, str] | None = None,
    cache: ComponentCache = COMPONENTS,
) -> list[RenderedEvent]:
    """The rendered events of a feed's items, in feed order: from the cache, rendering only the misses.

    ``views`` names the series a person sees differently (:func:`calsvc.schedule.attendance.person_view`):
    their components are kept apart, so the office's and that person's feeds do not evict each other.
    """
    views = views or {}
    found: list[RenderedEvent] = []
    for spec in series:
        key = ("series", spec.id, ctx, timezone, views.get(spec.id, ""))
        found.extend(_item(cache, key, spec, series_events(spec, ctx)))
    for activity in activities:
        key = ("activity", activity.id, ctx, timezone, "")
        found.extend(_item(cache, key, activity, activity_events(activity, ctx)))
    return found


def _item(
    cache: ComponentCache, key: Key, snapshot: Snapshot, events: Iterable[FeedEvent]
) -> tuple[RenderedEvent, ...]:
    """One item's rendered events (``events`` is a generator: mapped only on a miss)."""
    rendered = cache.get(key, snapshot)
    if rendered is None:
        rendered = tuple(render_event(event, key[3]) for event in events)
        cache.put(key, snapshot, rendered)
    return rendered
