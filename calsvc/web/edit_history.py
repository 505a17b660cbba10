"""``/bearbeiten/verlauf``: the latest changes of everything, and "Wiederherstellen" for deleted series."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select

from calsvc.db import get_session
from calsvc.editing.restore import restore_series, restored_by
from calsvc.models import AuditEntry

from .auth import current_user, editor_required
from .edit_forms import commit_or_render, review
from .history import HistoryRow, history_row

__all__ = ["bp"]

bp = Blueprint("edit_history", __name__, url_prefix="/bearbeiten/verlauf")
SHOWN = 100
KINDS = {"series": "Terminserie", "person": "Person", "gremium": "Gremium", "activity": "Aktivität"}


@dataclass(frozen=True)
class Entry:
    """One line of the change history; ``restorable`` for a deleted series not yet restored."""

    id: int
    kind: str
    object_id: int | None
    row: HistoryRow
    restorable: bool
    restored_as: int | None


def _entries() -> list[Entry]:
    session = get_session()
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(SHOWN)
    found = []
    for entry in session.scalars(query):
        deleted_series = entry.object_type == "series" and entry.action == "delete"
        restored_as = restored_by(session, entry.id) if deleted_series else None
        has_snapshot = deleted_series and '"snapshot"' in (entry.changes or "")
        found.append(
            Entry(
                id=entry.id,
                kind=KINDS.get(entry.object_type, entry.object_type),
                object_id=entry.object_id,
                row=history_row(entry),
                restorable=has_snapshot and restored_as is None,
                restored_as=restored_as,
            )
        )
    return found


@bp.get("/")
@editor_required
def history() -> Any:
    """The latest changes, newest first."""
    return render_template("edit/history.html", entries=_entries(), errors={}, conflicts=[], restore_id=None)


@bp.post("/<int:entry_id>/wiederherstellen")
@editor_required
def restore(entry_id: int) -> Any:
    """Bring a deleted series back with its exceptions, extra dates and people (audited)."""
    session = get_session()
    user = current_user()
    series = commit_or_render(
        lambda: restore_series(session, user.name if user else "?", entry_id, review()),
        "edit/history.html",
        entries=_entries(),
        restore_id=entry_id,
    )
    flash(f"Terminserie „{series.title}“ wiederhergestellt.", "info")
    return redirect(url_for("edit_series.edit", series_id=series.id))
