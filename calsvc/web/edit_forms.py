"""Helpers the edit pages share: form values in and out, errors next to fields, one transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flask import abort, make_response, render_template, request

from calsvc.config import conflict_settings
from calsvc.db import get_session
from calsvc.editing.conflict_check import ConflictReview, Unconfirmed
from calsvc.editing.versions import stale_guard
from calsvc.errors import ValidationError

__all__ = ["commit_or_render", "form_data", "joined_moment", "review"]

T = TypeVar("T")


def review() -> ConflictReview:
    """The conflict review of a meeting form: its ``confirm`` field ("Trotzdem speichern") accepts them."""
    return ConflictReview(confirm=request.form.get("confirm") == "1", settings=conflict_settings())


def joined_moment(values: Mapping[str, Any], day_field: str, time_field: str) -> str:
    """``date`` + ``time`` inputs as the ISO moment the service validates (empty when no date)."""
    day, clock = (values.get(day_field) or "").strip(), (values.get(time_field) or "").strip()
    return f"{day}T{clock or '00:00'}" if day else ""


def form_data() -> dict[str, Any]:
    """The submitted form as a plain dict (checkboxes missing = off), without the CSRF token."""
    return {k: v for k, v in request.form.items() if k != "csrf_token"}


def commit_or_render(
    work: Callable[[], T], template: str, *, field_map: Mapping[str, str] | None = None, **context: Any
) -> T:
    """Run ``work`` and commit; on a ValidationError roll back and answer with the form, the error at its field.

    Unconfirmed conflicts answer with the form listing them ("Trotzdem speichern"). Either
    answer ends the request (``abort`` with the rendered form), so callers only see success.
    """
    session = get_session()
    try:
        with stale_guard():
            result = work()
            session.commit()
    except Unconfirmed as exc:
        session.rollback()
        abort(make_response(render_template(template, errors={}, conflicts=exc.conflicts, **context), 200))
    except ValidationError as exc:
        session.rollback()
        field = (field_map or {}).get(exc.field or "", exc.field or "form")
        errors = {field: exc.message}
        abort(make_response(render_template(template, errors=errors, **context), 422))
    except BaseException:
        session.rollback()
        raise
    return result
