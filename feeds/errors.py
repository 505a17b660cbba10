"""The feeds library's errors: data the caller can act on, not just text.

Mirrors the calsvc hierarchy (``code``, ``message``, ``field``) without importing it, so the
web layer can turn either into the same JSON error body.
"""

from __future__ import annotations

__all__ = ["FeedError", "InvalidEvent", "UnsupportedTimezone"]


class FeedError(ValueError):
    """Base of all errors raised while rendering a feed."""

    code: str = "feed_error"

    def __init__(self, message: str, *, field: str | None = None, uid: str | None = None) -> None:
        super().__init__(f"{uid}: {message}" if uid else message)
        self.message = message
        self.field = field
        self.uid = uid

    def to_dict(self) -> dict[str, str | None]:
        """The API's error body: ``{"code", "message", "field"}``."""
        return {"code": self.code, "message": str(self), "field": self.field}


class InvalidEvent(FeedError):
    """An event that would render into something clients disagree on or reject."""

    code = "invalid_event"


class UnsupportedTimezone(FeedError):
    """A calendar time zone for which the library has no classic VTIMEZONE."""

    code = "unsupported_timezone"
