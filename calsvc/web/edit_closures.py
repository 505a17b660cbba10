"""``/bearbeiten/schliesstage``: the office's closure days (24.12., 31.12., Brückentage) for editors."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from sqlalchemy import select

from calsvc.db import get_session
from calsvc.editing.absences import create_closure, delete_closure
from calsvc.models import ClosureDay

from .auth import current_user, editor_required
from .edit_forms import commit_or_render, form_data
from .history import recent_rows

__all__ = ["bp"]

bp = Blueprint("edit_closures", __name__, url_prefix="/bearbeiten")
TEMPLATE = "edit/closures.html"


def _context() -> dict[str, Any]:
    since = date(date.today().year - 1, 1, 1)
    rows = get_session().scalars(select(ClosureDay).where(ClosureDay.day >= since).order_by(ClosureDay.day))
    return {"closures": list(rows), "history": recent_rows("closure")}


def _actor() -> str:
    user = current_user()
    return user.name if user else "?"


@bp.get("/schliesstage")
@editor_required
def closures() -> Any:
    """Closure days from last year on, and the form for new ones."""
    return render_template(TEMPLATE, errors={}, values={}, **_context())


@bp.post("/schliesstage")
@editor_required
def add_closure() -> Any:
    """Add one closure day or a range."""
    values = form_data()
    commit_or_render(lambda: create_closure(get_session(), _actor(), values), TEMPLATE, values=values, **_context())
    flash("Schließtag(e) eingetragen.", "info")
    return redirect(url_for(".closures"))


@bp.post("/schliesstage/<int:closure_id>/loeschen")
@editor_required
def remove_closure(closure_id: int) -> Any:
    """Remove one closure day."""
    commit_or_render(lambda: delete_closure(get_session(), _actor(), closure_id), TEMPLATE, values={}, **_context())
    flash("Schließtag gelöscht.", "info")
    return redirect(url_for(".closures"))
