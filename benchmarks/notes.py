"""Why a target was missed and by how much: written next to the table, from the measured numbers."""

from __future__ import annotations

from typing import Any

from .report import targets

__all__ = ["notes_for"]

# Why each target can miss (from profiling with cProfile); printed only for the missed ones.
REASONS = {
    "after one edit": (
        "What remains after an edit is reading every item of the feed (series ~15 ms and activities ~8 ms "
        "of CPU on an idle core: their specs are the cache keys), comparing them with the kept snapshots "
        "(~3 ms) and joining ~500 kept components (~2 ms); one item is rendered. The machine was shared "
        "with four other jobs when this was measured: see the runs in latest.json."
    ),
    "share of pre-rendered": (
        "Polls of unchanged feeds are answered below Flask by a WSGI fast path: ~24 µs of Python per "
        "poll in process (one data-version read on a pooled DBAPI cursor, the ETag hash, the headers) "
        "against ~5 µs for the bare bytes app; gunicorn's own per-request work is the same for both. "
        "Without the fast path (CALSVC_FEED_FAST_PATH=false) the same setup gives about half. wrk "
        "shares the 2 cores with the server and other jobs ran on this machine, so runs swing by ±20% "
        "(see the runs column)."
    ),
    "year expansion": (
        "Rules are no longer the cost (the common ones are computed directly: ~27 ms for the whole "
        "national year, aware starts and key stamps are shared per time slot). What remains is CPython "
        "building ~48,000 frozen 21-field `Occurrence` objects (~2 µs each: a third of the time) and "
        "sorting them by (start, end, title, key) (~a quarter), plus the garbage collector walking the "
        "process's live objects. The ratio swings around the limit between runs on a shared machine "
        "(three runs on 2026-12-02: 10.4x/11.1x, 7.0x/8.2x, 7.2x/7.4x; in the same runs the cached "
        "person feed swung from 91% to 27% of the bytes app). "
        "Next steps: an occurrence cache per (series snapshot, window) for repeated expansions, or "
        "merging the per-series runs instead of one global sort."
    ),
    "conflict check, national": (
        "The national year has ~48,000 bookings and ~21,000 conflicts: loading (~0.1 s) and expanding "
        "(~0.4 s) everything, then the per-person sweep (~0.3 s) and building 21,000 German messages "
        "(~0.3 s). It is linear (the brute-force all-pairs row shows what quadratic would cost). The "
        "pages check one office's month or one person, which stays in milliseconds; a national "
        "whole-year run is a batch job."
    ),
    "conflict page of one office": (
        "The conflicts themselves now cost what one person's series cost (the scoped check expands only "
        "the series that can clash with IntB: see the row below it). The page around them loads all 3,005 "
        "persons and 3,030 Gremien as mapped objects for its filter lists and writes ~6,000 <option>s "
        "(~400 KB of HTML): that is the measured rest (cProfile: ORM loading ~45%, Jinja ~40%). "
        "Fix for the pages' owner: filter fields that do not list every person and Gremium of a "
        "national database (a text field with suggestions), or lists read as rows."
    ),
    "agenda month of one person": (
        "As for the conflict page: the person's occurrences and conflicts are the row below it; the rest "
        "is the agenda's filter lists of every person and Gremium (mapped objects and ~6,000 <option>s)."
    ),
    "the conflicts behind it": "Loading the person's series, expanding the quarter and the sweep.",
    "the occurrences and conflicts behind it": "Loading the person's series, expanding six weeks twice and the sweep.",
    "conflict check, Berlin": "Loading, expanding and checking ~5,000 bookings of all 12 districts.",
    "proposal": "Loads every series, expands those of the proposal's people.",
    "agenda": (
        "About half is Jinja rendering of ~600 occurrences of all 12 districts plus 360 Gremien in the "
        "filter (the agenda's templates); most of the rest is loading and expanding twice — the grid, "
        "then the conflict notes for the same weeks (~10 ms could be saved by handing the grid's "
        "occurrences to the conflict check when no filter is set). One district or person per page "
        "(the normal use) is far below the limit."
    ),
    "RSS": "The national scale holds ~50,000 occurrences plus all series rows at once.",
}


HISTORY = (
    "## Optimisations behind these numbers (each its own commit, before → after)",
    "",
    "- Cached feed polls: one prebuilt data-version query, token hashes and slugs cached per data version "
    "(in process: 1.05 → 0.39 ms per poll; gunicorn: all.ics 710 → 1,432 req/s).",
    "- WSGI fast path for unchanged feeds below Flask (all.ics 2,120 → 2,759 req/s; 304s 1,723 → 4,480 req/s), "
    "reading the data version on a pooled DBAPI cursor (55 → 24 µs per poll in process; all.ics 2,363 → "
    "2,908 req/s against 4,606 for pre-rendered bytes in the same run).",
    "- `load_series` from rows instead of mapped objects (national 937 → ~120 ms, Berlin 45 → ~15 ms); "
    "`load_activities` likewise, and Terminierung labels cached (Berlin 23 → 6 ms).",
    "- Engine hot loop: plain occurrences built inline, cheap keys, nothing cancelled built that is dropped "
    "(warm national 835 → 374 ms); attrgetter sort key, aware end from aware start; aware starts and key "
    "stamps shared per time slot (national cold 386 → 327 ms, warm 347 → 262 ms).",
    "- Common RRULEs expanded directly instead of by dateutil's iterator, remembered per window; proven equal "
    "by hypothesis and a 40,000-case fuzz run (rules of the national year: cold 217-314 → 27 ms).",
    "- Conflict sweep: one global sort, people tuples shared per series (national find_conflicts 1,039 → 673 ms).",
    "- Proposal check expands only the series of the proposal's people (Berlin 128 → 18 ms, national 1,375 → 96 ms).",
    "- Sweep spans and holiday days with fewer temporaries (national find_conflicts 671 → 601 ms).",
    "- The unfiltered agenda hands its occurrences to the conflict check instead of loading twice "
    "(Berlin month page 61 → 52 ms, byte-identical pages).",
    "",
    "Before all of them (first run of this harness): national expansion 4.5x over the baseline, cold "
    "Berlin office feed 553 ms, cached all.ics 27% of pre-rendered bytes, national load_series 937 ms.",
    "",
    "## This machine",
    "",
    "Absolute times depend on the machine: the runs of 2026-12-02 (the regrouping and the work budget) "
    "ran on a machine about 3x slower than the one of the earlier results. Measured there side by side, "
    "the code before the regrouping (commit 44b8fa0) took 240–295 ms for the Berlin whole-year conflict "
    "check, the regrouped code 221–303 ms (71 ms in the earlier results). Ratios measured in the same "
    "run (expansion against recurring-ical-events, feed polls against pre-rendered bytes, /healthz alone "
    "against /healthz under the hostile burst) compare across machines; the millisecond targets are "
    "the subject of the speed issue (incremental publishing, conflicts at scale).",
)


def notes_for(results: dict[str, Any]) -> list[str]:
    """One paragraph per missed target; a line for pending ones."""
    lines: list[str] = []
    for row in targets(results):
        if row["status"] == "missed":
            reason = next((text for key, text in REASONS.items() if key in row["target"]), "")
            lines.append(
                f"- **{row['target']}** — measured {row['value']:,.1f} {row['unit']} against "
                f"{row['limit']:,} {row['unit']} ({row['note']}). {reason}"
            )
        elif row["status"] == "pending":
            lines.append(f"- {row['target']}: pending — {row['note']}.")
    return [*(lines or ["- Every target met."]), "", *HISTORY]
