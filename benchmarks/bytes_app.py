"""The upper bound for feed serving: a WSGI app that returns pre-rendered bytes and does nothing else.

``BENCH_BYTES_FILE`` names the file (the same feed calsvc served); ``gunicorn benchmarks.bytes_app:app``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["app"]

_BODY = open(os.environ.get("BENCH_BYTES_FILE", os.devnull), "rb").read()  # noqa: SIM115 (read once at import)
_HEADERS = [
    ("Content-Type", "text/calendar; charset=utf-8"),
    ("Content-Length", str(len(_BODY))),
    ("ETag", '"static"'),
]


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """Every request gets the same bytes."""
    start_response("200 OK", _HEADERS)
    return [_BODY]
