"""Feed endpoints under gunicorn (2 workers, 127.0.0.1 only) driven by wrk, vs pre-rendered bytes.

Each endpoint gets a warm-up request (so the measured path is the cached one, as for a subscriber
polling an unchanged calendar), then ``wrk -t2 -c16 --latency`` runs; the median run counts.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .data import BENCH_TOKEN

__all__ = ["http_benchmarks"]

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def _gunicorn(target: str, env: dict[str, str], workers: int = 2) -> Iterator[str]:
    """A gunicorn on a free loopback port serving ``target``; yields its base URL."""
    port = _free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "-c", "python:calsvc.serve", "--workers", str(workers), "--bind", f"{HOST}:{port}"]
    command += ["--log-level", "warning", "--access-logfile", "/dev/null", target]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    base = f"http://{HOST}:{port}"
    try:
        for _ in range(200):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError as exc:
                if getattr(exc, "code", None) is not None:
                    break  # the server answers (the bytes app has no /healthz route)
                time.sleep(0.1)
        else:
            raise RuntimeError(f"gunicorn {target} did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(url: str, *, headers: dict[str, str], seconds: int, runs: int) -> dict[str, Any]:
    """Median req/s of ``runs`` wrk runs, with that run's p50/p99 latency in ms."""
    results = []
    for _ in range(runs):
        command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "--timeout", "10s"]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(
            [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
        ).stdout
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
        latency = {p: _ms(re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)) for p in ("50", "99")}
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        results.append(
            {
                "rps": rate,
                "p50_ms": latency["50"],
                "p99_ms": latency["99"],
                "non_2xx_3xx": int(errors.group(1)) if errors else 0,
            }
        )
    median = statistics.median(r["rps"] for r in results)
    chosen = min(results, key=lambda r: abs(r["rps"] - median))
    return {**chosen, "runs_rps": [round(r["rps"], 1) for r in results]}


def _ms(match: re.Match[str] | None) -> float | None:
    return round(float(match.group(1)) * _UNITS[match.group(2)], 3) if match else None


def http_benchmarks(db: Path, work: Path, *, seconds: int = 5, runs: int = 3) -> dict[str, Any]:
    """Throughput and latency of the cached feed paths and of the pre-rendered upper bound."""
    env = {
        "DATABASE_URL": f"sqlite:///{db}",
        "CALSVC_SECRET_KEY": "bench",
        "CALSVC_UID_HOST": "bench.calsvc",
        "CALSVC_PUBLIC_BASE_URL": "https://calsvc.bench",
    }
    out: dict[str, Any] = {"wrk": f"-t2 -c16 -d{seconds}s --latency, median of {runs}", "workers": 2}
    paths = {
        "all": "/feeds/all.ics",
        "gremium": "/feeds/gremium/beirat-fuer-partizipation-und-integration.ics",
        "person": f"/feeds/person/IntB.ics?token={BENCH_TOKEN}",
    }
    with _gunicorn("wsgi:app", env) as base:
        with urllib.request.urlopen(base + paths["all"], timeout=120) as answer:
            body, etag = answer.read(), answer.headers["ETag"]
        for path in paths.values():  # warm both workers' caches (several requests each)
            for _ in range(8):
                urllib.request.urlopen(base + path, timeout=120).read()
        out["feed_bytes"] = len(body)
        out["all"] = _wrk(base + paths["all"], headers={}, seconds=seconds, runs=runs)
        out["revalidate_304"] = _wrk(base + paths["all"], headers={"If-None-Match": etag}, seconds=seconds, runs=runs)
        out["person_token"] = _wrk(base + paths["person"], headers={}, seconds=seconds, runs=runs)
        out["gremium"] = _wrk(base + paths["gremium"], headers={}, seconds=seconds, runs=runs)
    # The same polls answered by the Flask views alone: what the WSGI fast path has to earn (2x).
    with _gunicorn("wsgi:app", {**env, "CALSVC_FEED_FAST_PATH": "false"}) as base:
        for path in paths.values():
            for _ in range(8):
                urllib.request.urlopen(base + path, timeout=120).read()
        out["views_all"] = _wrk(base + paths["all"], headers={}, seconds=seconds, runs=runs)
        out["views_304"] = _wrk(base + paths["all"], headers={"If-None-Match": etag}, seconds=seconds, runs=runs)
        out["views_person"] = _wrk(base + paths["person"], headers={}, seconds=seconds, runs=runs)
    static = work / "all.ics"
    static.write_bytes(body)
    with _gunicorn("benchmarks.bytes_app:app", {"BENCH_BYTES_FILE": str(static)}) as base:
        urllib.request.urlopen(base + "/", timeout=10).read()
        out["prerendered"] = _wrk(base + "/", headers={}, seconds=seconds, runs=runs)
    return out
