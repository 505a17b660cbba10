"""Median-of-N timing with ``time.perf_counter`` and the machine description for the results."""

from __future__ import annotations

import importlib.metadata
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

__all__ = ["machine", "timed"]


def timed(fn: Callable[[], Any], repeats: int, *, setup: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Run ``fn`` ``repeats`` times (``setup`` before each, untimed); median and all runs in ms."""
    runs = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(runs), 3), "runs_ms": [round(r, 3) for r in runs]}


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _commit() -> str:
    """The measured source: the git commit (plus ``+dirty`` with uncommitted changes)."""
    import subprocess

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def machine() -> dict[str, Any]:
    """CPU, cores, OS, Python and the versions of the packages that matter for the numbers."""
    packages = ["SQLAlchemy", "Flask", "icalendar", "recurring-ical-events", "python-dateutil", "gunicorn"]
    versions = {}
    for name in packages:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "–"
    import sqlite3

    versions["SQLite"] = sqlite3.sqlite_version
    return {
        "commit": _commit(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "os": platform.platform(),
        "python": sys.version.split()[0],
        "packages": versions,
    }
