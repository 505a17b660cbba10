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

import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from calsvc.schedule.specs import ActivitySpec, SeriesSpec
from feeds import FeedEvent, RenderedEvent, render_event

from .content import FeedContext, activity_events, series_events

__all__ = ["CACHED_BYTES", "COMPONENTS", "ComponentCache", "rendered_events"]

CACHED_BYTES = 32 * 2**20
"""Component bytes kept per process at most: the national office feed is ~2.3 MB."""


Snapshot = SeriesSpec | ActivitySpec
Key = tuple[str, int, FeedContext, str, str]  # kind, id, context, time zone, view (a person, or "")


class ComponentCache:
    """Per item and context, the snapshot last rendered and its events; an LRU bounded by bytes.

    An entry answers only for an equal snapshot: an edited item misses and replaces its entry.
    """

    def __init__(self, capacity: int = CACHED_BYTES) -> None:
        self.capacity = capacity
        self.size = 0
        self.misses = 0  # items rendered (a test and the benchmarks count them)
        self._items: OrderedDict[Key, tuple[Snapshot, tuple[RenderedEvent, ...], int]] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn's threads share it

    def get(self, key: Key, snapshot: Snapshot) -> tuple[RenderedEvent, ...] | None:
        """The events rendered from ``snapshot`` under ``key``, if these are kept."""
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] != snapshot:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            return found[1]

    def put(self, key: Key, snapshot: Snapshot, rendered: tuple[RenderedEvent, ...]) -> None:
        """Keep ``rendered`` for ``snapshot`` (replacing an older snapshot of the same item)."""
        size = sum(len(c.ical) for r in rendered for c in r.components) + 1000  # + the snapshot's share
        if size > self.capacity // 4:
            return  # one huge item would evict everything else
        with self._lock:
            old = self._items.pop(key, None)
            self.size += size - (old[2] if old else 0)
            self._items[key] = (snapshot, rendered, size)
            while self.size > self.capacity:
                _, (_, _, evicted) = self._items.popitem(last=False)
                self.size -= evicted

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget everything (benchmarks measure a cold render with this)."""
        with self._lock:
            self._items.clear()
            self.size = 0


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
