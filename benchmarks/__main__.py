"""``python -m benchmarks`` (``make bench``): build the three scales, measure, write results/latest.md.

Each scale is built and measured in subprocesses of its own (a clean peak RSS per scale); the
HTTP runs start gunicorn on 127.0.0.1 against the Berlin database. Options: ``--quick`` (fewer
repeats, shorter wrk runs) and ``--scales office,berlin``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .hostile import hostile_burst
from .http import http_benchmarks
from .notes import notes_for
from .report import write_results
from .timing import machine

RESULTS = Path(__file__).resolve().parent / "results"


def _run(*args: str) -> str:
    """``python -m benchmarks.scale ...`` in a fresh interpreter; its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale", *args],
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"benchmarks.scale {' '.join(args)} failed")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    """Run everything; print the path of the Markdown results."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--quick", action="store_true", help="3 repeats, 2-second wrk runs")
    parser.add_argument("--scales", default="office,berlin,national")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 5
    started = time.perf_counter()
    results: dict[str, Any] = {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
        "machine": machine(),
        "repeats": repeats,
        "scales": {},
    }
    with tempfile.TemporaryDirectory(prefix="calsvc-bench-") as tmp:
        work = Path(tmp)
        for scale in args.scales.split(","):
            db = work / f"{scale}.sqlite3"
            print(f"[bench] {scale}: building", flush=True)
            info = json.loads(_run("build", scale, str(db)))
            print(f"[bench] {scale}: {info['series']} series, {info['persons']} persons; measuring", flush=True)
            out = work / f"{scale}.json"
            _run("measure", scale, str(db), str(out), str(repeats))
            results["scales"][scale] = {"info": info, **json.loads(out.read_text(encoding="utf-8"))}
        if not args.no_http and (work / "berlin.sqlite3").exists():
            print("[bench] HTTP: gunicorn + wrk on the Berlin data", flush=True)
            results["http"] = http_benchmarks(work / "berlin.sqlite3", work, seconds=2 if args.quick else 5, runs=3)
            print("[bench] hostile burst: /healthz while 8 clients send 200 hostile requests", flush=True)
            results["hostile"] = hostile_burst(work / "berlin.sqlite3")
    results["seconds"] = time.perf_counter() - started
    path = write_results(results, args.out, notes_for(results))
    print(path.read_text(encoding="utf-8"))
    print(f"[bench] done in {results['seconds']:.0f} s: {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
