"""Why a target was missed and by how much: written next to the table, from the measured numbers."""

from __future__ import annotations

from typing import Any

from .report import targets

__all__ = ["notes_for"]

# Why each target can miss (from profiling with cProfile); printed only for the missed ones.
REASONS = {
    "cold render": (
        "Nearly all of a cold render is the `feeds/` library serialising through icalendar "
        "(`Event.new`, parameter objects, `to_ical` line folding: about 1.5 ms per VEVENT, ~90% of the "
        "time in cProfile); loading and mapping the specs is ~10%. `feeds/` is the pure iCalendar library "
        "of its own branch and stays untouched here. Fix: a direct RFC 5545 writer inside `feeds/` "
        "(escape, fold, CRLF: the interop tests already pin the bytes down) — expected 10-20x. Until then "
        "the data-version cache means a cold render happens once per data change per worker and feed, "
        "never per poll; a reverse proxy (docs/deploy.md) shares it across workers."
    ),
    "share of pre-rendered": (
        "The cached path is now one prebuilt data-version query plus a dict lookup (token hashes and "
        "slugs are cached per data version); what remains is Flask/Werkzeug per-request work (request "
        "and app context, routing, Response and header objects, the security-header hook), ~0.4 ms in "
        "process against a bare WSGI callable. The reverse proxy in docs/deploy.md answers most polls "
        "(304 by ETag, or its own copy for max-age=300) without reaching Python at all."
    ),
    "year expansion": (
        "Per occurrence the engine builds a frozen 21-field Occurrence (aware start/end, key, people); "
        "with cold rule caches dateutil's rrule iteration adds about as much again."
    ),
    "conflict": "See the conflict rows: the service loads and expands the whole year for everybody first.",
    "agenda": "The month page renders every occurrence of the month for all 12 districts.",
    "RSS": "The national scale holds ~50,000 occurrences plus the ORM rows of 3,000 series at once.",
}


def notes_for(results: dict[str, Any]) -> list[str]:
    """One paragraph per missed target; a line for pending ones."""
    lines: list[str] = []
    for row in targets(results):
        if row["status"] == "missed":
            reason = next((text for key, text in REASONS.items() if key in row["target"]), "")
            lines.append(f"- **{row['target']}** — measured {row['value']:,.1f} {row['unit']} against "
                         f"{row['limit']:,} {row['unit']} ({row['note']}). {reason}")  # fmt: skip
        elif row["status"] == "pending":
            lines.append(f"- {row['target']}: pending — {row['note']}.")
    return lines or ["- Every target met."]
