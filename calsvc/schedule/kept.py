"""Work kept per version of an item: an LRU that answers only for an equal snapshot.

Rendering a series' calendar components and expanding its dates are pure functions of its
snapshot (:class:`~calsvc.schedule.specs.SeriesSpec`, which carries everything read with it). So
the result of the last snapshot is kept per item and handed out again while the snapshot is
equal; an edited item misses and replaces its entry, so an entry never stands for what a fresh
computation would give differently. Bounded by a size the caller measures (bytes, occurrences).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from .budget import counting, spend

__all__ = ["Kept", "kept_work"]

S = TypeVar("S")
V = TypeVar("V")
T = TypeVar("T")


class Kept(Generic[S, V]):
    """Per key, the snapshot last computed and its value; least recently used go first past ``capacity``."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.size = 0
        self.misses = 0  # values computed again (tests and the benchmarks count them)
        self._items: OrderedDict[Hashable, tuple[S, V, int]] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn's threads share it

    def get(self, key: Hashable, snapshot: S) -> V | None:
        """The value computed from ``snapshot`` under ``key``, if it is kept."""
        with self._lock:
            found = self._items.get(key)
            if found is None or found[0] != snapshot:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            return found[1]

    def put(self, key: Hashable, snapshot: S, value: V, size: int) -> None:
        """Keep ``value`` for ``snapshot`` (replacing an older snapshot of the same key).

        A value larger than a quarter of the capacity is not kept: it would evict everything else.
        """
        if size > self.capacity // 4:
            return
        with self._lock:
            old = self._items.pop(key, None)
            self.size += size - (old[2] if old else 0)
            self._items[key] = (snapshot, value, size)
            while self.size > self.capacity:
                _, (_, _, evicted) = self._items.popitem(last=False)
                self.size -= evicted

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        """Forget everything (benchmarks measure a cold start with this)."""
        with self._lock:
            self._items.clear()
            self.size = 0


def kept_work(
    kept: Kept[S, tuple[T, int]],
    key: Hashable,
    snapshot: S,
    compute: Callable[[], T],
    size: Callable[[T], int],
    field: str | None = None,
) -> T:
    """``compute()``, kept per ``snapshot``; kept or not, it costs the work budget what it counted
    when it ran (counted in a command too), so that no request gets work for free."""
    found = kept.get(key, snapshot)
    if found is not None:
        spend(found[1], field)
        return found[0]
    with counting() as work:
        value = compute()
    kept.put(key, snapshot, (value, work.used), size(value))
    return value
