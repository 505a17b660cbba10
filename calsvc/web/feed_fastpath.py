"""Answer polls of unchanged feeds below Flask: one query, a dict lookup, the cached bytes.

Subscribers' clients poll every feed forever; almost every poll finds the data unchanged. This
WSGI middleware answers exactly those polls — a GET of a known feed whose rendering is already
in this worker's cache (200) or whose ETag the client sends back (304) — with the headers the
Flask view would send. Everything else (first render, unknown feed, wrong token, HEAD,
If-Modified-Since, odd If-None-Match lists) falls through to the views in
:mod:`calsvc.web.feeds`, which stay the reference; ``tests/test_feed_cache.py`` compares both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from flask import Flask
from werkzeug.wsgi import get_host

from calsvc.admin.secrets import token_matches
from calsvc.publishing.content import FeedContent
from calsvc.publishing.service import (
    CACHE,
    KEYS,
    FeedRequest,
    Scope,
    cache_key,
    connection_state,
    database_name,
    etag_for,
)

from .feeds import feed_headers, http_date
from .security import security_headers

__all__ = ["FeedFastPath", "install"]

StartResponse = Callable[..., Any]


def install(app: Flask) -> None:
    """Wrap ``app.wsgi_app`` (off with ``CALSVC_FEED_FAST_PATH = False``)."""
    if app.config.get("CALSVC_FEED_FAST_PATH", True):
        app.wsgi_app = FeedFastPath(app, app.wsgi_app)  # type: ignore[method-assign]  # Flask documents wrapping wsgi_app so


class FeedFastPath:
    """The middleware; ``inner`` is Flask's own WSGI app."""

    def __init__(self, app: Flask, inner: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]) -> None:
        self.app = app
        self.inner = inner

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith("/feeds/") and environ.get("REQUEST_METHOD") == "GET":
            answer = self._answer(environ, path)
            if answer is not None:
                status, headers, body = answer
                start_response(status, headers)
                return [body]
        return self.inner(environ, start_response)

    def _answer(self, environ: dict[str, Any], path: str) -> tuple[str, list[tuple[str, str]], bytes] | None:
        config = self.app.config
        target = _target(path)
        if target is None or "HTTP_IF_MODIFIED_SINCE" in environ or config.get("TRUSTED_HOSTS"):
            return None
        content, scope, key = target
        if scope == "gremium" and not config["CALSVC_PUBLIC_GREMIUM_FEEDS"]:
            return None
        args = dict(reversed(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)))  # first wins
        engine = self.app.extensions["calsvc.engine"]
        with engine.connect() as connection:  # returned to the pool at once: ends the read transaction
            state = connection_state(connection)
        database = database_name(engine.url)
        if scope != "all":
            keys = KEYS.keys
            if keys is None or not keys.valid_for(database, state):
                return None  # the view refreshes the keys
            if scope == "gremium" and key not in keys.slugs:
                return None
            hashes = keys.token_hashes
            if scope == "person" and not (key in hashes and token_matches(args.get("token"), hashes[key or ""])):
                return None
        base = config.get("CALSVC_PUBLIC_BASE_URL") or f"{environ['wsgi.url_scheme']}://{get_host(environ)}/"
        feed = FeedRequest.configured(config, scope, key, content=content, base_url=base)
        etag = etag_for(feed, state, datetime.now(UTC))
        headers = list(feed_headers(feed, etag).items())
        match = environ.get("HTTP_IF_NONE_MATCH")
        if match is not None:
            if match.strip() != etag:
                return None  # lists, weak tags, "*": werkzeug's parser decides in the view
            return "304 NOT MODIFIED", headers + security_headers(config), b""
        rendered = CACHE.get(cache_key(database, etag))
        if rendered is None:
            return None
        headers += [
            ("Last-Modified", http_date(rendered.last_modified)),
            ("Content-Type", "text/calendar; charset=utf-8"),
            ("Content-Length", str(len(rendered.body))),
        ]
        return "200 OK", headers + security_headers(config), rendered.body


def _target(path: str) -> tuple[FeedContent, Scope, str | None] | None:
    """``/feeds/all.ics`` → ("meetings", "all", None); gremium and person feeds → (content, scope, key);
    the same names below ``/feeds/vorhaben/`` (no Gremium there) → ("vorhaben", ...); else None."""
    content: FeedContent = "meetings"
    if path.startswith("/feeds/vorhaben/"):
        content, path = "vorhaben", "/feeds/" + path[len("/feeds/vorhaben/") :]
    if path == "/feeds/all.ics":
        return content, "all", None
    scopes: tuple[Scope, ...] = ("person",) if content == "vorhaben" else ("gremium", "person")
    for scope in scopes:
        prefix = f"/feeds/{scope}/"
        if path.startswith(prefix) and path.endswith(".ics"):
            key = path[len(prefix) : -4]
            if key and "/" not in key and key.isascii():
                return content, scope, key
    return None
