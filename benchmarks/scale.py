"""One scale's in-process measurements, run in a subprocess of its own so its peak RSS is its own.

``python -m benchmarks.scale build <scale> <db>`` writes the database;
``python -m benchmarks.scale measure <scale> <db> <out.json>`` measures it. calsvc's own work runs
first and the peak RSS is read right after it, before the baselines inflate the process.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from calsvc import create_app
from calsvc.conflicts.incremental import clear_kept_conflicts
from calsvc.conflicts.proposals import Proposal
from calsvc.conflicts.service import check_proposal, conflicts_in_window, one_pass_conflicts
from calsvc.conflicts.sweep import overlapping_pairs
from calsvc.db import session_scope
from calsvc.models import Gremium, MeetingSeries
from calsvc.publishing.components import COMPONENTS
from calsvc.publishing.service import CACHE, FeedRequest, render_feed
from calsvc.schedule.engine import clear_engine_caches, expand, occurrences
from calsvc.schedule.store import clear_kept_specs, read_series, series_spec
from calsvc.schedule.walltime import BERLIN

from .baseline import brute_force_pairs, engine_set, naive_calendar, naive_expand, naive_set
from .data import build
from .timing import timed

__all__ = ["main", "measure"]

LO, HI = datetime(2024, 1, 1, tzinfo=BERLIN), datetime(2025, 1, 1, tzinfo=BERLIN)
NOW = datetime(2024, 6, 15, 8, tzinfo=BERLIN)  # feeds keep six months back: the whole year is in them
PAIR_SAMPLE = 1500  # brute force beyond this many occurrences is extrapolated (n² pairs)


def _rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def measure(scale: str, db: Path, repeats: int) -> dict[str, Any]:
    """Everything measurable without a server, for one scale."""
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{db}",
            "SECRET_KEY": "bench",
            "CALSVC_UID_HOST": "bench.calsvc",
            "SERVER_NAME": "calsvc.bench",
        }
    )
    engine = app.extensions["calsvc.engine"]
    out: dict[str, Any] = {"scale": scale}
    baseline_repeats = 2 if scale == "national" else repeats

    def load() -> list[Any]:  # the row loader itself (load_series keeps its answer per data version)
        with Session(engine) as session:
            return read_series(session)

    out["load_series"] = timed(load, repeats)

    def load_mapped() -> list[Any]:
        with Session(engine) as session:
            return [series_spec(row) for row in session.scalars(_EAGER_SERIES)]

    out["load_series_orm"] = timed(load_mapped, baseline_repeats)
    specs = load()
    found: list[Any] = []

    def run_engine() -> None:
        found[:] = expand(specs, [], LO, HI)

    out["expand_cold"] = timed(run_engine, repeats, setup=clear_engine_caches)
    out["expand_warm"] = timed(run_engine, repeats)
    out["occurrences"] = len(found)
    out["series"] = len(specs)
    with app.app_context():
        out["feeds"] = _feeds(app, repeats)
        out["conflicts"] = _conflicts(app, repeats, found)
        out["agenda"] = _agenda(app, repeats)
        out["scoped"] = _scoped(app, repeats)
    out["peak_rss_mb"] = _rss_mb()

    # The naive baseline: same data, one VCALENDAR, recurring-ical-events. Same occurrences first.
    text = naive_calendar(specs)
    cal = icalendar.Calendar.from_ical(text)
    expanded: list[Any] = []

    def run_naive() -> None:
        expanded[:] = naive_expand(cal, LO, HI)

    first = timed(run_naive, 1)
    mine, theirs = Counter(engine_set(found)), Counter(naive_set(expanded))
    if mine != theirs:
        raise AssertionError(
            f"{scale}: engine and baseline differ: {sorted(mine - theirs)[:3]} {sorted(theirs - mine)[:3]}"
        )
    more = timed(run_naive, baseline_repeats - 1) if baseline_repeats > 1 else {"runs_ms": []}
    runs = first["runs_ms"] + more["runs_ms"]
    out["expand_naive"] = {"median_ms": round(statistics.median(runs), 3), "runs_ms": runs}
    out["naive_ics_bytes"] = len(text)
    out["same_occurrences"] = len(mine)
    out["conflicts"].update(_brute_force(found, out["conflicts"]))
    out["peak_rss_with_baselines_mb"] = _rss_mb()
    return out


def _clear_feed_caches() -> None:
    """A cold render: no rendered feeds and no kept components."""
    CACHE.clear()
    COMPONENTS.clear()


def _feeds(app: Any, repeats: int) -> dict[str, Any]:
    """render_feed cold (caches cleared) and warm for one Gremium, one person and the whole office;
    for the whole office also the render right after one edit (components of the other items kept)."""
    engine = app.extensions["calsvc.engine"]
    results: dict[str, Any] = {}
    for scope, key in (("gremium", "beirat-fuer-partizipation-und-integration"), ("person", "IntB"), ("all", None)):
        request = FeedRequest(
            scope=scope,
            key=key,
            content="meetings",
            uid_host="bench.calsvc",  # type: ignore[arg-type]
            base_url="https://calsvc.bench",
        )
        size = 0

        def render(request: FeedRequest = request) -> None:
            nonlocal size
            with Session(engine) as session:
                size = len(render_feed(session, request, now=NOW).body)

        cold = timed(render, repeats, setup=_clear_feed_caches)
        warm = timed(render, max(repeats, 10))
        results[scope] = {"cold": cold, "warm": warm, "bytes": size}
    edit = _editor(app)
    before = COMPONENTS.misses
    after_edit = timed(render, max(repeats, 10), setup=edit)  # render: the last loop's, the office feed
    results["all"]["after_edit"] = after_edit | {"rendered_items": (COMPONENTS.misses - before) / max(repeats, 10)}
    return results


def _editor(app: Any, *, moved: bool = False) -> Callable[[], None]:
    """A setup for :func:`timed`: each call commits one edit (:func:`_edit_one_series`), a new one each round."""
    rounds = iter(range(10**6))

    def edit() -> None:
        with app.app_context(), session_scope(app) as session:
            _edit_one_series(session, next(rounds), moved=moved)

    return edit


def _edit_one_series(session: Session, round_: int, *, moved: bool = False) -> None:
    """One edit as an editor makes it: a series (a different one each round) gets a new title,
    or (``moved``) starts a quarter of an hour later or earlier, so that its dates change."""
    ids = session.scalars(select(MeetingSeries.id).order_by(MeetingSeries.id)).all()
    series = session.get(MeetingSeries, ids[(round_ * 37) % len(ids)])
    assert series is not None
    if moved:
        series.dtstart += timedelta(minutes=15 if series.dtstart.minute < 30 else -15)
    else:
        series.title = (
            series.title.removesuffix(" (geändert)")
            if series.title.endswith(" (geändert)")
            else f"{series.title} (geändert)"
        )
    series.sequence += 1


def _conflicts(app: Any, repeats: int, found: list[Any]) -> dict[str, Any]:
    """Whole-year conflict check (cold, data unchanged, right after one edit) and one proposal check."""
    engine = app.extensions["calsvc.engine"]
    count = 0

    def whole_year() -> None:
        nonlocal count
        with Session(engine) as session:
            count = len(conflicts_in_window(session, LO, HI))

    edit = _editor(app, moved=True)

    proposal = Proposal(
        start=datetime(2024, 3, 12, 10),
        duration=timedelta(minutes=90),
        rrule="FREQ=MONTHLY;BYDAY=2TU",
        participants=("IntB", "Int1"),
        title="Vorschlag",
    )

    def propose() -> None:
        with Session(engine) as session:
            check_proposal(session, proposal)

    def one_pass() -> None:
        with Session(engine) as session:
            one_pass_conflicts(session, LO, HI)

    results = {
        "whole_year_cold": timed(whole_year, 1, setup=_forget_kept_work),
        "whole_year": timed(whole_year, repeats),
        "whole_year_one_pass": timed(one_pass, repeats),
        "conflicts": count,
    }
    with Session(engine) as session:  # the kept check is the plain one's answer, or its numbers mean nothing
        if conflicts_in_window(session, LO, HI) != one_pass_conflicts(session, LO, HI):
            raise AssertionError("the kept conflict check and the one-pass check disagree")
    return results | {
        "whole_year_after_edit": timed(whole_year, repeats, setup=edit),
        "whole_year_one_pass_after_edit": timed(one_pass, repeats, setup=edit),
        "proposal": timed(propose, repeats),
    }


def _forget_kept_work() -> None:
    """A cold start: no kept specs, expansions or conflicts, no parsed rules."""
    clear_engine_caches()
    clear_kept_specs()
    clear_kept_conflicts()


def _brute_force(found: list[Any], conflicts: dict[str, Any]) -> dict[str, Any]:
    """All-pairs double-booking check vs the sweep (same pairs on a sample; n² extrapolated)."""
    booked = [o for o in found if not o.all_day and not o.cancelled]
    sample = booked[:PAIR_SAMPLE]
    brute: set[Any] = set()

    def run() -> None:
        brute.clear()
        brute.update(brute_force_pairs(sample))

    timing = timed(run, 1)
    sweep = {(code, *sorted((a.key, b.key))) for code, a, b in overlapping_pairs(sample)}
    if sweep != brute:
        raise AssertionError(f"sweep and brute force disagree: {len(sweep)} vs {len(brute)} pairs")
    factor = (len(booked) / len(sample)) ** 2 if sample else 1.0
    return {
        "brute_force": {
            "median_ms": round(timing["median_ms"] * factor, 1),
            "sample": len(sample),
            "booked": len(booked),
            "extrapolated": len(sample) < len(booked),
        }
    }


def _agenda(app: Any, repeats: int) -> dict[str, Any]:
    """GET /agenda/2024/03 through the Flask test client, once the agenda branch has landed."""
    if not any(rule.rule.startswith("/agenda/<") for rule in app.url_map.iter_rules()):
        return {"pending": "the agenda pages are not on main yet"}
    client = app.test_client()
    assert client.get("/agenda/2024/03").status_code == 200

    def page() -> None:
        answer = client.get("/agenda/2024/03")
        assert answer.status_code == 200

    return {"month_page": timed(page, repeats)}


_EAGER_SERIES = (
    select(MeetingSeries)
    .order_by(MeetingSeries.id)
    .options(
        selectinload(MeetingSeries.gremium).selectinload(Gremium.memberships),
        selectinload(MeetingSeries.participants),
        selectinload(MeetingSeries.exceptions),
        selectinload(MeetingSeries.extra_dates),
    )
)  # the plain ORM way to the same specs: what the row loader load_series has to beat


def _scoped(app: Any, repeats: int) -> dict[str, Any]:
    """What one person or office looks at: their agenda month and the conflicts of a quarter.

    The data have no office filter: one office's view is its Integrationsbeauftragte's (IntB),
    whose Gremien are the office's own."""
    engine = app.extensions["calsvc.engine"]
    client = app.test_client()
    pages = {
        "agenda_person_page": "/agenda/2024/03?person=IntB",
        "conflicts_quarter_page": "/konflikte?von=2024-04-01&bis=2024-06-30&person=IntB",
    }
    out: dict[str, Any] = {}
    for name, url in pages.items():
        assert client.get(url).status_code == 200

        def page(url: str = url) -> None:
            assert client.get(url).status_code == 200

        out[name] = timed(page, repeats)

    def quarter() -> None:
        with Session(engine) as session:
            conflicts_in_window(session, datetime(2024, 4, 1), datetime(2024, 7, 1), person="IntB")

    def month() -> None:
        with Session(engine) as session:
            occurrences(session, datetime(2024, 2, 26), datetime(2024, 4, 8), person="IntB", include_cancelled=True)
            conflicts_in_window(session, datetime(2024, 2, 26), datetime(2024, 4, 8), person="IntB")

    out["conflicts_quarter"] = timed(quarter, repeats)
    out["agenda_person_data"] = timed(month, repeats)
    return out


def main(argv: list[str]) -> None:
    """Entry point of the subprocess (see the module docstring)."""
    command, scale, db = argv[0], argv[1], Path(argv[2])
    if command == "build":
        start = time.perf_counter()
        info = build(scale, db)
        info["seconds"] = round(time.perf_counter() - start, 2)
        print(json.dumps(info))
        return
    result = measure(scale, db, int(argv[4]) if len(argv) > 4 else 5)
    Path(argv[3]).write_text(json.dumps(result, default=str, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
