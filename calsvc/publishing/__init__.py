"""What goes into the calendar feeds, and the cached feeds themselves.

``content`` maps the engine's specs to the pure ``feeds`` library's events (what each VEVENT
says), ``service`` renders a feed from the database and caches it per data version, and
``cli`` holds ``calsvc feed-token`` and ``calsvc export-feeds``. The HTTP endpoints are in
:mod:`calsvc.web.feeds`.
"""

from .content import FeedContext
from .service import FeedRequest, RenderedFeed, render_feed

__all__ = ["FeedContext", "FeedRequest", "RenderedFeed", "render_feed"]
