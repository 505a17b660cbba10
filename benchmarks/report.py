"""Turn the measurements into ``latest.md`` (one table, targets met/missed) and ``latest.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["targets", "write_results"]

PENDING = "pending"


def _get(data: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target of issues 10 and 18 with the measured value, met/missed/pending and the margin."""
    scales, http = results["scales"], results.get("http", {})
    rows: list[dict[str, Any]] = []

    def add(
        name: str,
        value: float | None,
        limit: float,
        unit: str,
        *,
        higher_is_better: bool = False,
        pending: str | None = None,
    ) -> None:
        if value is None:
            rows.append(
                {
                    "target": name,
                    "value": None,
                    "limit": limit,
                    "unit": unit,
                    "status": PENDING,
                    "note": pending or "not measured",
                }
            )
            return
        met = value >= limit if higher_is_better else value <= limit
        ratio = value / limit if limit else 0
        margin = f"{ratio:.1f}x of the limit" if higher_is_better else f"{ratio:.2f}x the limit"
        rows.append(
            {
                "target": name,
                "value": round(value, 3),
                "limit": limit,
                "unit": unit,
                "status": "met" if met else "missed",
                "note": margin,
            }
        )

    national = scales.get("national", {})
    naive, cold = _get(national, "expand_naive", "median_ms"), _get(national, "expand_cold", "median_ms")
    warm = _get(national, "expand_warm", "median_ms")
    add(
        "national year expansion, speed-up over recurring-ical-events (cold: nothing kept, rules unparsed)",
        naive / cold if naive and cold else None,
        10,
        "x",
        higher_is_better=True,
    )
    add(
        "national year expansion, speed-up over recurring-ical-events (warm: dates kept per series version, as in a running server)",
        naive / warm if naive and warm else None,
        10,
        "x",
        higher_is_better=True,
    )
    rps, upper = _get(http, "all", "rps"), _get(http, "prerendered", "rps")
    add(
        "cached feed endpoint throughput, share of pre-rendered bytes (Berlin /feeds/all.ics)",
        100 * rps / upper if rps and upper else None,
        50,
        "%",
        higher_is_better=True,
    )
    person = _get(http, "person_token", "rps")
    add(
        "cached person feed with token check (a smaller feed), share of the pre-rendered all.ics bytes",
        100 * person / upper if person and upper else None,
        50,
        "%",
        higher_is_better=True,
    )
    add(
        "render of the Berlin office feed right after one edit (360 series + 300 activities; one re-rendered)",
        _get(scales, "berlin", "feeds", "all", "after_edit", "median_ms"),
        50,
        "ms",
    )
    pending = _get(scales, "berlin", "conflicts", "pending")
    add(
        "whole-year conflict check, Berlin",
        _get(scales, "berlin", "conflicts", "whole_year", "median_ms"),
        100,
        "ms",
        pending=pending,
    )
    add(
        "whole-year conflict check, national (data unchanged since the last check)",
        _get(national, "conflicts", "whole_year", "median_ms"),
        1000,
        "ms",
        pending=pending,
    )
    add(
        "whole-year conflict check, national, right after one edit (a series moved by 15 minutes)",
        _get(national, "conflicts", "whole_year_after_edit", "median_ms"),
        1000,
        "ms",
        pending=pending,
    )
    add(
        "proposal check, Berlin",
        _get(scales, "berlin", "conflicts", "proposal", "median_ms"),
        20,
        "ms",
        pending=pending,
    )
    add(
        "agenda month page, Berlin",
        _get(scales, "berlin", "agenda", "month_page", "median_ms"),
        50,
        "ms",
        pending=_get(scales, "berlin", "agenda", "pending"),
    )
    add(
        "conflict page of one office's quarter, national (/konflikte, Q2, person=IntB)",
        _get(national, "scoped", "conflicts_quarter_page", "median_ms"),
        50,
        "ms",
    )
    add(
        "  the conflicts behind it (conflicts_in_window, Q2, person=IntB)",
        _get(national, "scoped", "conflicts_quarter", "median_ms"),
        50,
        "ms",
    )
    add(
        "agenda month of one person, national (/agenda/2024/03?person=IntB)",
        _get(national, "scoped", "agenda_person_page", "median_ms"),
        50,
        "ms",
    )
    add(
        "  the occurrences and conflicts behind it (the grid's six weeks, person=IntB)",
        _get(national, "scoped", "agenda_person_data", "median_ms"),
        50,
        "ms",
    )
    add("peak RSS, national (calsvc's work, before the baselines run)", national.get("peak_rss_mb"), 300, "MB")
    hostile = results.get("hostile", {})
    add(
        "/healthz p95 during a burst of 200 hostile anonymous requests (Berlin, 2 workers × 4 threads)",
        _get(hostile, "healthz_during_burst", "p95_ms"),
        100,
        "ms",
    )
    add("hostile requests answered with a server error (5xx or no answer)", hostile.get("server_errors"), 0, "")
    return rows


def _ms(value: Any) -> str:
    if value is None:
        return "–"
    return f"{value:,.1f}" if value >= 10 else f"{value:.2f}"


def _scale_table(scales: dict[str, Any]) -> list[str]:
    names = [s for s in ("office", "berlin", "national") if s in scales]
    lines = ["| measurement (median) | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]

    def row(label: str, *path: str, fmt: Any = _ms) -> None:
        lines.append(f"| {label} | " + " | ".join(fmt(_get(scales[n], *path)) for n in names) + " |")

    def count(value: Any) -> str:
        return "–" if value is None else f"{value:,}"

    row("series", "info", "series", fmt=count)
    row("persons", "info", "persons", fmt=count)
    row("exceptions (cancelled + moved) / extra dates", "info", "exceptions", fmt=count)
    row("occurrences in 2024 (engine = baseline, asserted)", "same_occurrences", fmt=count)
    row("generate database (s)", "info", "seconds", fmt=lambda v: "–" if v is None else f"{v:.1f}")
    row("read_series, the row loader (ms)", "load_series", "median_ms")
    row("  the same specs through the ORM: eager loading + series_spec (ms)", "load_series_orm", "median_ms")
    row("year expansion, calsvc engine, cold: nothing kept (ms)", "expand_cold", "median_ms")
    row("year expansion, calsvc engine, warm: dates kept (ms)", "expand_warm", "median_ms")
    row("year expansion, naive: icalendar + recurring-ical-events (ms)", "expand_naive", "median_ms")
    lines.append("| speed-up cold / warm | " + " | ".join(_speedup(scales[n]) for n in names) + " |")
    for scope, label in (("gremium", "one Gremium"), ("person", "one person"), ("all", "whole office")):
        row(f"feed render cold, {label} (ms)", "feeds", scope, "cold", "median_ms")
        row(f"feed render warm (cached), {label} (ms)", "feeds", scope, "warm", "median_ms")
        row(f"feed size, {label} (KB)", "feeds", scope, "bytes", fmt=lambda v: "–" if v is None else f"{v / 1024:,.0f}")
    row(
        "feed render right after one edit, whole office (ms; baseline: the cold render above)",
        "feeds",
        "all",
        "after_edit",
        "median_ms",
    )
    row(
        "items rendered again per edit, whole office",
        "feeds",
        "all",
        "after_edit",
        "rendered_items",
        fmt=lambda v: "–" if v is None else f"{v:g}",
    )
    lines.append(
        "| speed-up of the render after an edit over a full render | "
        + " | ".join(_incremental(scales[n]) for n in names)
        + " |"
    )
    row(
        "whole-year conflict check, cold: nothing kept, rules unparsed (ms)",
        "conflicts",
        "whole_year_cold",
        "median_ms",
    )
    row("whole-year conflict check, data unchanged (ms)", "conflicts", "whole_year", "median_ms")
    row("whole-year conflict check right after one edit (ms)", "conflicts", "whole_year_after_edit", "median_ms")
    row("conflicts found in 2024", "conflicts", "conflicts", fmt=count)
    row(
        "brute-force all-pairs double bookings (ms, n² extrapolated from a sample)",
        "conflicts",
        "brute_force",
        "median_ms",
    )
    row("one proposal check (ms)", "conflicts", "proposal", "median_ms")
    row("agenda month page /agenda/2024/03 (ms)", "agenda", "month_page", "median_ms")
    row(
        "agenda month of one person, page /agenda/2024/03?person=IntB (ms)", "scoped", "agenda_person_page", "median_ms"
    )
    row("  its occurrences and conflicts (ms)", "scoped", "agenda_person_data", "median_ms")
    row(
        "conflict page of IntB's quarter /konflikte?…&person=IntB (ms)", "scoped", "conflicts_quarter_page", "median_ms"
    )
    row("  its conflicts, conflicts_in_window (ms)", "scoped", "conflicts_quarter", "median_ms")
    row("peak RSS, calsvc's work (MB)", "peak_rss_mb")
    row("peak RSS incl. the baselines (MB)", "peak_rss_with_baselines_mb")
    return lines


def _incremental(scale: dict[str, Any]) -> str:
    cold = _get(scale, "feeds", "all", "cold", "median_ms")
    after = _get(scale, "feeds", "all", "after_edit", "median_ms")
    return f"{cold / after:.1f}x" if cold and after else "–"


def _speedup(scale: dict[str, Any]) -> str:
    naive = _get(scale, "expand_naive", "median_ms")
    cold, warm = _get(scale, "expand_cold", "median_ms"), _get(scale, "expand_warm", "median_ms")
    if not (naive and cold and warm):
        return "–"
    return f"{naive / cold:.1f}x / {naive / warm:.1f}x"


def _fast_path_table(results: dict[str, Any]) -> list[str]:
    """Each hand-written speed-up beside the plain library way, on the targets users wait for."""
    scales, http = results["scales"], results.get("http", {})
    lines = [
        "| fast path | user target | scale | fast (median) | library (median) | gain |",
        "|---|---|---|---:|---:|---:|",
    ]

    def add(path: str, target: str, scale: str, fast: Any, plain: Any, unit: str, *, rate: bool = False) -> None:
        if fast is None or plain is None:
            return
        gain = fast / plain if rate else plain / fast
        lines.append(f"| {path} | {target} | {scale} | {fast:,.1f} {unit} | {plain:,.1f} {unit} | {gain:.1f}x |")

    for key, views, label in (
        ("all", "views_all", "poll of /feeds/all.ics"),
        ("revalidate_304", "views_304", "revalidation (304) of all.ics"),
        ("person_token", "views_person", "poll of a person feed"),
    ):
        add(
            "WSGI feed fast path (vs the Flask views)",
            label,
            "berlin",
            _get(http, key, "rps"),
            _get(http, views, "rps"),
            "req/s",
            rate=True,
        )
    for scale in ("berlin", "national"):
        data = scales.get(scale, {})
        add(
            "row loader read_series (vs ORM + series_spec)",
            "loading every series (feeds, agenda, conflicts)",
            scale,
            _get(data, "load_series", "median_ms"),
            _get(data, "load_series_orm", "median_ms"),
            "ms",
        )
    for scale in ("berlin", "national"):
        data = scales.get(scale, {})
        for fast, plain, label in (
            ("whole_year", "whole_year_one_pass", "whole-year check, data unchanged"),
            ("whole_year_after_edit", "whole_year_one_pass_after_edit", "whole-year check right after one edit"),
        ):
            add(
                "conflicts kept per person (vs one pass over everybody's dates)",
                label,
                scale,
                _get(data, "conflicts", fast, "median_ms"),
                _get(data, "conflicts", plain, "median_ms"),
                "ms",
            )
    return lines


def _hostile_table(hostile: dict[str, Any]) -> list[str]:
    """``/healthz`` alone (the naive baseline) and during the burst, and how the burst was answered."""
    if not hostile:
        return ["(not run)"]
    lines = ["| /healthz | probes | p50 (ms) | p95 (ms) | max (ms) |", "|---|---:|---:|---:|---:|"]
    for key, label in (("healthz_alone", "alone (baseline)"), ("healthz_during_burst", "during the burst")):
        row = hostile[key]
        lines.append(f"| {label} | {row['count']} | {row['p50_ms']} | {row['p95_ms']} | {row['max_ms']} |")
    statuses = ", ".join(f"{code}: {n}" for code, n in hostile["statuses"].items())
    lines += [
        "",
        f"{hostile['requests']} hostile requests from {hostile['clients']} clients in {hostile['burst_seconds']} s "
        f"(INTERVAL=0, COUNT=10^9, never-matching rules, a week-long daily proposal over five years, "
        f"nesting 100,000 deep, a 2 MB body, a century of occurrences, five years of conflicts, the report "
        f"PDF), all from one address: answered {statuses}; slowest {hostile['slowest_hostile_ms']} ms.",
    ]
    return lines


def _http_table(http: dict[str, Any]) -> list[str]:
    if not http:
        return ["(not run)"]
    lines = [
        "| endpoint (gunicorn, 2 workers) | req/s | p50 (ms) | p99 (ms) | runs (req/s) |",
        "|---|---:|---:|---:|---|",
    ]
    for key, label in (
        ("prerendered", "pre-rendered bytes, bare WSGI app (upper bound)"),
        ("all", "/feeds/all.ics, cached (ETag computed, 200 with body)"),
        ("revalidate_304", "/feeds/all.ics with If-None-Match (304)"),
        ("person_token", "/feeds/person/IntB.ics?token=… (token check)"),
        ("gremium", "/feeds/gremium/<slug>.ics"),
        ("views_all", "/feeds/all.ics, Flask views only (CALSVC_FEED_FAST_PATH=false)"),
        ("views_304", "/feeds/all.ics with If-None-Match (304), Flask views only"),
        ("views_person", "/feeds/person/IntB.ics?token=…, Flask views only"),
    ):
        item = http.get(key)
        if item:
            lines.append(
                f"| {label} | {item['rps']:,.0f} | {_ms(item['p50_ms'])} | {_ms(item['p99_ms'])} | "
                f"{', '.join(f'{r:,.0f}' for r in item['runs_rps'])} |"
            )
    return lines


def write_results(results: dict[str, Any], directory: Path, notes: list[str]) -> Path:
    """Write latest.json and latest.md; returns the Markdown path."""
    directory.mkdir(parents=True, exist_ok=True)
    rows = targets(results)
    results["targets"] = rows
    (directory / "latest.json").write_text(json.dumps(results, indent=1, default=str) + "\n", encoding="utf-8")
    m = results["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    lines = [
        "# calsvc benchmarks: latest results",
        "",
        f"Run {results['started']} UTC in {results['seconds']:.0f} s (`make bench`) on commit {m['commit']}. "
        f"Machine: {m['cpu']}, "
        f"{m['cores']} cores, {m['os']}, Python {m['python']}; {packages}.",
        "",
        "Data: deterministic (seeded) — *office* is the demo; *Berlin* is 12 districts × the demo's posts "
        "and Gremien (the plan imported through the importer's sync, one series per Gremium); *national* is "
        "100 offices × 30 posts × 30 Gremien with cancelled, moved and extra dates. Window: the year 2024. "
        f"Each number is the median of {results['repeats']} runs (`time.perf_counter`); SQLite in a temp dir.",
        "",
        "## Targets (issues 10 and 18)",
        "",
        "| target | measured | limit | status |",
        "|---|---:|---:|---|",
    ]
    for row in rows:
        value = "–" if row["value"] is None else f"{row['value']:,.1f} {row['unit']}"
        status = {"met": "**met**", "missed": "**MISSED**", PENDING: "pending"}[row["status"]]
        lines.append(f"| {row['target']} | {value} | {row['limit']:,} {row['unit']} | {status} ({row['note']}) |")
    lines += ["", "## Per scale", "", *_scale_table(results["scales"]), "", "## HTTP (Berlin data)", ""]
    lines += [
        f"wrk {results.get('http', {}).get('wrk', '')}, bound to 127.0.0.1; wrk shares the 2 cores with the "
        f"server. Feed size served: {results.get('http', {}).get('feed_bytes', 0) / 1024:,.0f} KB "
        "(items that ended more than six months before today are left out).",
        "",
    ]
    lines += _http_table(results.get("http", {}))
    lines += ["", "## Fast paths against the plain library", "", *_fast_path_table(results)]
    lines += ["", "## Hostile burst (work budget, rate limits)", "", *_hostile_table(results.get("hostile", {}))]
    lines += ["", "## Notes: misses, their size and their reasons", "", *notes, ""]
    path = directory / "latest.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
