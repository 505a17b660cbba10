"""Where an editor changes what the agenda shows: the link from a meeting or activity to its edit page."""

from __future__ import annotations

from flask import url_for

from calsvc.schedule.specs import Occurrence

__all__ = ["edit_url"]


def edit_url(occ: Occurrence) -> str:
    """The single-date form for a date of a series, else the series or activity form."""
    if occ.kind == "activity":
        return url_for("edit_activities.activity", activity_id=occ.source_id)
    if occ.recurrence_id is not None and not occ.extra:
        rid = occ.recurrence_id.strftime("%Y-%m-%dT%H:%M")
        return url_for("edit_series.occurrence", series_id=occ.source_id, rid=rid)
    return url_for("edit_series.edit", series_id=occ.source_id)
