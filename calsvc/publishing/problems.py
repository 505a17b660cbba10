"""Items a feed had to leave out, kept for ``/healthz`` and the log (per process, bounded).

Defence in depth: input is validated when it is saved, but data from older versions or a
restored backup may still hold an item the feed library refuses. Such an item is left out of
its feed (every other item is still published), logged, and listed here until that feed
renders without it.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict

from feeds import InvalidEvent

__all__ = ["ProblemLog", "left_out"]

log = logging.getLogger("calsvc.publishing")


class ProblemLog:
    """Per feed, the items its last render left out; the newest ``capacity`` feeds are kept."""

    def __init__(self, capacity: int = 50) -> None:
        self.capacity = capacity
        self._feeds: OrderedDict[str, tuple[tuple[str, str], ...]] = OrderedDict()
        self._lock = threading.Lock()

    def record(self, feed: str, refused: list[InvalidEvent]) -> None:
        """What the last render of ``feed`` left out (nothing: the feed is fine again)."""
        items = tuple((exc.uid or "?", exc.message) for exc in refused)
        for uid, message in items:
            log.warning("Feed %s ohne %s: %s", feed, uid, message)
        with self._lock:
            self._feeds.pop(feed, None)
            if items:
                self._feeds[feed] = items
                while len(self._feeds) > self.capacity:
                    self._feeds.popitem(last=False)

    def listed(self) -> list[dict[str, str]]:
        """The problems as ``/healthz`` shows them."""
        with self._lock:
            return [
                {"feed": feed, "uid": uid, "message": message}
                for feed, items in self._feeds.items()
                for uid, message in items
            ]

    def clear(self) -> None:
        """Forget everything (tests)."""
        with self._lock:
            self._feeds.clear()


left_out = ProblemLog()
