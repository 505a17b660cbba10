"""Why a target was missed and by how much: written next to the table, from the measured numbers."""

from __future__ import annotations

from typing import Any

from .report import targets

__all__ = ["notes_for"]

# Why each target can miss (from profiling with cProfile); printed only for the missed ones.
REASONS = {
    # The first key contained in a target's name gives its reason: specific keys come first.
    "conflict check, national, right after one edit": (
        "After an edit the data version changes, so the specs of all ~3,000 series are read again "
        "(~250 ms: the read_series row below) and compared with the kept snapshots; the edited series "
        "expands again and only its people and its own holiday dates are checked again (conflicts kept "
        "per person). Reading only the changed series is the next step."
    ),
    "conflict check, national": (
        "The national year has ~48,000 bookings and ~21,000 conflicts. With specs, dates and each "
        "person's conflicts kept, what remains is looking up ~6,000 kept entries, charging their work "
        "and sorting the ~21,000 conflicts. Cold (a fresh process) it is ~3 s: every rule parsed, "
        "every person swept."
    ),
    "after one edit": (
        "The render after an edit re-renders one item (see the rows per scale). What remains is reading "
        "every item of the feed (their specs are the cache keys), comparing them with the kept snapshots "
        "and joining ~500 kept components."
    ),
    "share of pre-rendered": (
        "Polls of unchanged feeds are answered below Flask by a WSGI fast path: ~55 µs of Python per "
        "poll in process (one data-version read through SQLAlchemy Core, the ETag hash, the headers) "
        "against ~5 µs for the bare bytes app; gunicorn's own per-request work is the same for both. "
        "wrk shares the 2 cores with the server, so runs swing by ±20% (see the runs column)."
    ),
    "year expansion": (
        "Cold, every rule is parsed and iterated by dateutil (the direct RRULE expander went in issue 18: "
        "it gained less than 2x on the targets users wait for; so did the engine's inlined hot path, "
        "1.15-1.25x cold). Issue 18 also stopped listing ten years "
        "of dates per rule only to learn that it occurs (`schedule/rrule._occurs`: the national cold "
        "expansion fell from 4.4 s to ~1.3 s). recurring-ical-events also parses the VCALENDAR and "
        "builds a component per occurrence."
    ),
    "conflict page of one office": (
        "The page's filters are text fields above 400 persons or Gremien (web/filter_choices.py); the "
        "row below it is the conflict work."
    ),
    "agenda month of one person": (
        "The page's filters are text fields above 400 persons or Gremien; the row below it is the "
        "occurrence and conflict work."
    ),
    "the conflicts behind it": (
        "Loading the person's series (filtered in SQL, kept per data version), expanding the quarter "
        "(kept per series version) and the sweep."
    ),
    "the occurrences and conflicts behind it": "Loading the person's series, expanding six weeks twice and the sweep.",
    "conflict check, Berlin": (
        "Each person's conflicts are kept per snapshot of their series, vacancy and away times; what "
        "remains is looking up ~400 kept entries and sorting ~3,300 conflicts."
    ),
    "proposal": "Loads the series of the proposal's people (kept per data version), expands them and sweeps.",
    "/healthz p95": (
        "The heavy hostile requests (a century of occurrences, five years of conflicts, a daily "
        "week-long proposal over five years, the report PDF) hold the worker threads while they run."
    ),
    "server error": "Hostile requests held the workers past the client's timeout (see the /healthz row).",
    "agenda": (
        "The unfiltered Berlin month is ~950 KB of HTML: ~600 occurrences of all 12 districts with their "
        "details, so about two thirds is Jinja rendering; loading and expanding are kept. One district "
        "or person per page (the normal use) is far below the limit."
    ),
    "RSS": "The national scale holds ~50,000 occurrences plus all series rows at once, and now keeps them.",
}


SPEED_CODE = (
    "## This run",
    "",
    "Measured on the same 2-core machine as the first run of issue 18 (about 3x slower than the one of "
    "the earliest results), nothing else running. Work is kept per version: specs per data version, "
    "a series' dates per series version and window, each person's conflicts per snapshot of their "
    "series, vacancy and away times (and each series' holiday and closure conflicts per version). "
    "Whole-year conflict checks are therefore measured three ways: cold (nothing kept, rules unparsed), "
    "with the data unchanged since the last check, and right after one edit (a series moved by 15 "
    "minutes, committed, between the runs); each beside the one-pass check of everybody's dates "
    "(`one_pass_conflicts`, asserted equal in the same run).",
    "",
    "Exceptions and extra dates are read as mapped objects (4390b49): read as column rows they crashed "
    "CPython in a national session of pages (cause unknown, see that commit).",
    "",
    "## Hand-written speed code (issue 18): each fast path against the plain library",
    "",
    "Kept only where it gains 2x or more on a target users wait for and is tested answer for answer "
    "against the library (or, for kept work, against a fresh computation). Measured 2026-12-02 side by "
    "side in one process, alternating (min of 2 × median of 5); the table above repeats the ones "
    "measured in every run.",
    "",
    "| fast path | measured on | with it | library way | verdict |",
    "|---|---|---:|---:|---|",
    "| WSGI feed fast path (`web/feed_fastpath.py`) | gunicorn, Berlin all.ics / 304 / person feed, "
    "req/s | 1,261 / 1,894 / 1,067 | 676 / 494 / 207 (views) | kept: 1.9-5x on feed polls side by "
    "side (and in the table above); `test_feed_fastpath` compares every answer with the views |",
    "| its own SQL on a DBAPI cursor, hand parsing of SQLite dates (`engine_state`) | a cached poll | "
    "~24 µs | ~55 µs (Core query) | removed: a few % of a gunicorn request |",
    "| its copy of the security headers | – | – | – | removed: one list, `web/security.security_headers` |",
    "| row loader `read_series` (`schedule/store.py`) | loading all series, Berlin / national, ms | "
    "28 / 283 | 97 / 1,370 (ORM eager loading + `series_spec`) | kept: 3.5-13x (table above); "
    "`test_store_loaders` compares both on random offices |",
    "| direct RRULE expander (`schedule/fastrule.py`, three caches) | Berlin agenda month / proposal / "
    "whole-year conflicts, ms; national whole-year conflicts | 145 / 38 / 168; 3,077-3,327 | "
    "160 / 50 / 230; 3,850 | removed: 1.1-1.4x (up to 1.7x in a fully loaded run); its hypothesis "
    "test against dateutil went with it |",
    "| work kept per version (`schedule/kept.Kept`: specs per data version in `load_series`, a series' "
    "dates per series version and window in the engine; the LRU the feed components already used) | "
    "national whole-year conflicts / Berlin whole-year conflicts / Berlin proposal / Berlin agenda "
    "month, ms | 1,104 / 107 / 9.2 / 128 | 2,530 / 251 / 34 / 220 (read and expand every time) | "
    "kept: 2.3x / 2.4x / 3.7x / 1.7x; `test_kept_work` checks committed writes, rolled-back writes, "
    "two databases and the budget; the feed equality test compares kept and full renders |",
    "| conflicts kept per person (`conflicts/incremental.py`, `schedule/kept.kept_work`, "
    "`budget.counting`) | whole-year check, Berlin / national, unchanged and right after one edit | "
    "table above, every run | one pass over everybody's dates (`one_pass_conflicts`) | kept: 2.2-6.1x "
    "(the fast-path table above); `test_conflicts_kept` compares both on random schedules and edits "
    "(hypothesis) and the budget they charge, `test_conflict_service` on the demo for every filter "
    "and after an edit |",
    "| the engine's inlined hot path and hand-formatted key stamps | cold national expansion, ms | "
    "1,388-1,807 | 1,515-2,044 (every date through `_meeting`) | removed: 1.15-1.25x, and only on a "
    "miss once dates are kept |",
    "| the agenda handing its grid to the conflict check | Berlin month page | – | – | removed: the "
    "kept check serves it like every other conflict list |",
    "| the sweep's people tuples cached per series, its marked-day pre-check and one-date sort-key "
    "shortcut | national one-pass check / proposal, ms | 1,061-1,163 / 7.4 | 1,047-1,265 / 7.4 | "
    "removed: within 5-8 %, and the kept check runs them only for the people of an edit |",
    "",
    "Lines of hand-written speed code (non-blank, docstrings included), by the categories of the "
    "first count at the start of issue 18 → now: direct RRULE expander 160 → 0, WSGI fast path 111 → "
    "105, DBAPI data-version read 18 → 0, row loader 107 → 112, kept work 0 → ~190 (`schedule/kept` "
    "72 with `kept_work`, the data stamp and its use in the loader and engine ~30, "
    "`conflicts/incremental` 76, `budget.counting` 13): 396 → ~410. That first count left out the "
    "small speed-ups inside other functions; these are gone now: the engine's inlined hot path and "
    "key stamps (32 lines), the agenda's hand-over of its grid (13) and the sweep's three shortcuts "
    "(14). Counted with them, ~455 → ~410, for a national whole-year check 16x faster on this machine "
    "than before work was kept (3,367 → 205 ms). Kept and not measured separately: the engine's shared "
    "aware starts per time slot (they also share memory), the sweep's running "
    "list with its latest end and printf-style dates in messages (each a few lines inside one function).",
    "",
)


HISTORY = (
    "## Optimisations behind these numbers (each its own commit, before → after)",
    "",
    "- Cached feed polls: one prebuilt data-version query, token hashes and slugs cached per data version "
    "(in process: 1.05 → 0.39 ms per poll; gunicorn: all.ics 710 → 1,432 req/s).",
    "- WSGI fast path for unchanged feeds below Flask (all.ics 2,120 → 2,759 req/s; 304s 1,723 → 4,480 req/s), "
    "reading the data version on a pooled DBAPI cursor (removed in issue 18: a few % of a request; 55 → 24 µs per poll in process; all.ics 2,363 → "
    "2,908 req/s against 4,606 for pre-rendered bytes in the same run).",
    "- `load_series` from rows instead of mapped objects (national 937 → ~120 ms, Berlin 45 → ~15 ms); "
    "`load_activities` likewise, and Terminierung labels cached (Berlin 23 → 6 ms).",
    "- Engine hot loop: plain occurrences built inline, cheap keys, nothing cancelled built that is dropped "
    "(warm national 835 → 374 ms); attrgetter sort key, aware end from aware start; aware starts and key "
    "stamps shared per time slot (national cold 386 → 327 ms, warm 347 → 262 ms).",
    "- (removed in issue 18: gained < 2x on user targets) Common RRULEs expanded directly instead of by "
    "dateutil's iterator, remembered per window; proven equal "
    "by hypothesis and a 40,000-case fuzz run (rules of the national year: cold 217-314 → 27 ms).",
    "- Conflict sweep: one global sort, people tuples shared per series (national find_conflicts 1,039 → 673 ms).",
    "- Proposal check expands only the series of the proposal's people (Berlin 128 → 18 ms, national 1,375 → 96 ms).",
    "- Sweep spans and holiday days with fewer temporaries (national find_conflicts 671 → 601 ms).",
    "- The unfiltered agenda hands its occurrences to the conflict check instead of loading twice "
    "(Berlin month page 61 → 52 ms, byte-identical pages; gone in issue 18: conflicts kept per person "
    "serve it).",
    "- Issue 18, second round, on this (slower) machine: specs kept per data version and dates per series "
    "version (national whole-year check 3,367 → ~1,100 ms); the sweep keeps a running list with its "
    "latest end instead of a heap, spans are UTC moments, vacancies looked up per people tuple (national "
    "pair finding ~540 → ~330 ms); expanding asks only whether a rule occurs, not for ten years of its "
    "dates (national cold expansion 4.4 s → ~1.3 s); agenda and conflict filters are text fields above "
    "400 persons or Gremien, read as rows (national person agenda page 156 → ~17 ms, conflict page of "
    "a quarter 185 → ~13 ms).",
    "- Issue 18, third round: conflicts kept per person and per series version (national whole-year "
    "check 1,442 → ~160 ms unchanged, 2,098 → ~460 ms right after an edit; Berlin 111 → ~27 ms); the "
    "sort order of conflicts made total so that the kept and the one-pass check agree exactly.",
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
    return [*(lines or ["- Every target met."]), "", *SPEED_CODE, *HISTORY]
