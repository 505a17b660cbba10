"""Login rate limiting: a sliding window of attempts per (client IP, user name), in memory.

``CALSVC_LOGIN_ATTEMPTS`` attempts (default 5) per ``CALSVC_LOGIN_WINDOW_SECONDS`` (default
900 = 15 minutes); the next one gets 429 with ``Retry-After`` and a German message. Each
gunicorn worker counts on its own, so the effective limit is at most workers × attempts —
still far too few for guessing. Behind a reverse proxy, configure ``ProxyFix`` so
``request.remote_addr`` is the client's address.

Wiring into a login view (one call before checking the password, one after success)::

    limit_login(username)            # raises 429 when over the limit, else counts this attempt
    ...check the password...
    login_succeeded(username)        # forget the attempts of this (IP, user)
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

from flask import current_app, request
from werkzeug.exceptions import TooManyRequests

__all__ = ["SlidingWindowLimiter", "limit_login", "login_limiter", "login_succeeded"]

Key = tuple[str, str]


class SlidingWindowLimiter:
    """At most ``attempts`` hits per key within any ``window`` seconds; thread-safe, bounded memory."""

    def __init__(
        self,
        attempts: int,
        window: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if attempts < 1 or window <= 0:
            raise ValueError("attempts must be >= 1 and window > 0")
        self.attempts = attempts
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._hits: OrderedDict[Key, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, key: Key) -> int | None:
        """Count an attempt; returns None when allowed, else the seconds until the next one is."""
        with self._lock:
            now = self._clock()
            hits = self._recent(key, now)
            if len(hits) >= self.attempts:
                return max(1, math.ceil(hits[0] + self.window - now))
            hits.append(now)
            self._hits[key] = hits
            self._hits.move_to_end(key)
            while len(self._hits) > self._max_keys:  # many random names must not fill the memory
                self._hits.popitem(last=False)
            return None

    def reset(self, key: Key) -> None:
        """Forget a key's attempts (after a successful login)."""
        with self._lock:
            self._hits.pop(key, None)

    def _recent(self, key: Key, now: float) -> deque[float]:
        hits = self._hits.get(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        return hits


def login_limiter() -> SlidingWindowLimiter:
    """The app's limiter, made from its config on first use."""
    limiter = current_app.extensions.get("calsvc.login_limiter")
    if limiter is None:
        config = current_app.config
        limiter = SlidingWindowLimiter(
            int(config.get("CALSVC_LOGIN_ATTEMPTS", 5)), float(config.get("CALSVC_LOGIN_WINDOW_SECONDS", 900))
        )
        current_app.extensions["calsvc.login_limiter"] = limiter
    return limiter


def _key(username: str) -> Key:
    return (request.remote_addr or "-", username.strip().casefold()[:200])


def limit_login(username: str) -> None:
    """Count this login attempt; 429 (German, with Retry-After) when there were too many."""
    wait = login_limiter().hit(_key(username))
    if wait is not None:
        minutes = max(1, math.ceil(wait / 60))
        raise TooManyRequests(
            f"Zu viele Anmeldeversuche. Bitte in {minutes} {'Minute' if minutes == 1 else 'Minuten'} erneut versuchen.",
            retry_after=wait,
        )


def login_succeeded(username: str) -> None:
    """A correct password: start counting from zero again."""
    login_limiter().reset(_key(username))
