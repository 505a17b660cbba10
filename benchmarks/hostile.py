"""A burst of hostile anonymous requests against gunicorn, and /healthz's latency meanwhile.

The work-budget issue found single requests that held a worker for a minute (``INTERVAL=0``)
or for seconds (``COUNT=10^9``, never-matching rules, a week-long daily proposal over five
years, the report PDF). Here 8 clients send 200 such requests to 2 gunicorn workers on
127.0.0.1 while a prober asks ``/healthz`` every 50 ms; the naive baseline is ``/healthz``
with no burst. Every hostile request must be answered (422, 413, 400 or 429), none with 5xx.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .http import _gunicorn

__all__ = ["hostile_burst"]

CLIENTS = 8
REQUESTS = 200
PEOPLE = ["IntB", "Int1", "Int2", "BA", "SozL"]


def _proposal(**fields: Any) -> bytes:
    return json.dumps({"start": "2024-05-14T10:00", "duration": 60, "participants": ["IntB"], **fields}).encode()


HOSTILE: list[tuple[str, str, bytes | None]] = [
    ("POST", "/api/v1/conflicts/check", _proposal(rrule="FREQ=DAILY;INTERVAL=0")),
    ("POST", "/api/v1/conflicts/check", _proposal(rrule="FREQ=DAILY;COUNT=1000000000")),
    ("POST", "/api/v1/conflicts/check", _proposal(rrule="FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6")),
    ("POST", "/api/v1/conflicts/check", _proposal(rrule="FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30")),
    (
        "POST",
        "/api/v1/conflicts/check",
        _proposal(duration=7 * 24 * 60, rrule="FREQ=DAILY", window_end="2028-12-31", participants=PEOPLE),
    ),
    ("POST", "/api/v1/conflicts/check", b"[" * 100_000 + b"]" * 100_000),
    ("POST", "/api/v1/conflicts/check", b'{"start": "' + b"x" * 2_000_000 + b'"}'),
    ("GET", "/api/v1/occurrences?from=1990-01-01&to=2099-12-31", None),
    ("GET", "/api/v1/conflicts?from=2024-01-01&to=2028-12-31", None),
    ("GET", "/bericht/2024/Q2.pdf", None),
]


def _call(base: str, method: str, path: str, body: bytes | None) -> tuple[int, float]:
    """Status and seconds of one request (connection errors count as status 0)."""
    request = urllib.request.Request(base + path, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", "application/json")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=70) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as exc:
        exc.read()
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - started


def _probe(base: str, stop: threading.Event, seconds: list[float]) -> None:
    while not stop.is_set():
        status, took = _call(base, "GET", "/healthz", None)
        seconds.append(took if status == 200 else 60.0)
        time.sleep(0.05)


def _summary(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    return {
        "count": len(ordered),
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 2),
        "max_ms": round(1000 * ordered[-1], 2),
    }


def hostile_burst(db: Path) -> dict[str, Any]:
    """/healthz latency alone and during the burst, and how the hostile requests were answered."""
    env = {"DATABASE_URL": f"sqlite:///{db}", "CALSVC_SECRET_KEY": "bench", "CALSVC_UID_HOST": "bench.calsvc"}
    with _gunicorn("wsgi:app", env) as base:
        alone = [_call(base, "GET", "/healthz", None)[1] for _ in range(60)]
        stop, during = threading.Event(), []
        prober = threading.Thread(target=_probe, args=(base, stop, during))
        prober.start()
        started = time.perf_counter()
        jobs = [HOSTILE[n % len(HOSTILE)] for n in range(REQUESTS)]
        with ThreadPoolExecutor(CLIENTS) as pool:
            answers = list(pool.map(lambda job: _call(base, *job), jobs))
        burst_seconds = time.perf_counter() - started
        stop.set()
        prober.join()
    statuses = Counter(status for status, _ in answers)
    return {
        "clients": CLIENTS,
        "requests": REQUESTS,
        "burst_seconds": round(burst_seconds, 2),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_errors": sum(v for k, v in statuses.items() if k >= 500 or k == 0),
        "slowest_hostile_ms": round(1000 * max(took for _, took in answers), 1),
        "healthz_alone": _summary(alone),
        "healthz_during_burst": _summary(during),
    }
