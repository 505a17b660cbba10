"""The one place that turns errors into answers: JSON for the API, German pages for people.

Domain errors (:class:`calsvc.errors.CalsvcError`) carry their status, code and field; HTTP
errors, CSRF failures and stale edits are answered here too. Unexpected exceptions become a
500 without a trace in the response (it goes to the log).
"""

from __future__ import annotations

import re
from typing import Any, NoReturn

from flask import Flask, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.sql.schema import ColumnCollectionConstraint
from werkzeug.exceptions import HTTPException, NotFound

from calsvc.editing.versions import StaleEdit
from calsvc.errors import CalsvcError
from calsvc.models import Base

from .stale import changed_labels, typed_fields

__all__ = ["abort_not_found", "register"]

GERMAN_TITLES = {
    400: "Ungültige Anfrage",
    401: "Anmeldung erforderlich",
    403: "Keine Berechtigung",
    404: "Nicht gefunden",
    405: "Methode nicht erlaubt",
    409: "Konflikt mit einer anderen Änderung",
    413: "Anfrage zu groß",
    422: "Eingabe nicht verarbeitbar",
    429: "Zu viele Anfragen",
    500: "Interner Fehler",
}


class FriendlyNotFound(NotFound):
    """A 404 that knows what the user may have meant (valid codes, slugs, months).

    ``more``: (label, URL) of the full lists when ``choices`` are only the similar values.
    """

    def __init__(
        self,
        message: str,
        choices: list[tuple[str, str]] | None = None,
        field: str | None = None,
        more: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.choices = choices or []
        self.field = field
        self.more = more or []


def abort_not_found(
    message: str,
    choices: list[tuple[str, str]] | None = None,
    *,
    field: str | None = None,
    more: list[tuple[str, str]] | None = None,
) -> NoReturn:
    """Stop with a 404 naming what was not found and, where helpful, the valid (or, with ``more``
    links to the full lists, the similar) choices."""
    raise FriendlyNotFound(message, choices, field, more)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _answer(status: int, code: str, message: str, field: str | None = None, **extra: Any) -> Any:
    if _wants_json():
        return jsonify({"error": {"code": code, "message": message, "field": field, **extra}}), status
    title = GERMAN_TITLES.get(status, "Fehler")
    return render_template("error.html", status=status, title=title, message=message, **extra), status


_SQLITE_COLUMNS = re.compile(r"(?:UNIQUE|NOT NULL) constraint failed: ([\w.]+(?:, [\w.]+)*)")


def constraint_field(exc: IntegrityError) -> str | None:
    """The column a violated constraint is about: PostgreSQL names the constraint, SQLite the columns."""
    diag = getattr(exc.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        for table in Base.metadata.sorted_tables:
            for constraint in table.constraints:
                if constraint.name == name and isinstance(constraint, ColumnCollectionConstraint):
                    columns = [c.name for c in constraint.columns]
                    return columns[-1] if columns else None
        return getattr(diag, "column_name", None)
    if match := _SQLITE_COLUMNS.search(str(exc.orig)):
        return match.group(1).split(", ")[-1].rpartition(".")[2]  # (plan_year, number): the number
    return None


def _stale_page(exc: StaleEdit) -> str:
    """The 409 page with what changed meanwhile and the person's own values, ready to send again."""
    return render_template(
        "edit/stale.html",
        error=exc,
        changed=changed_labels(exc.changes),
        typed=typed_fields(request.form),
        action=request.path,
        reload_url=request.referrer or request.path,
    )


def register(app: Flask) -> None:
    """Install the error handlers on ``app``."""

    @app.errorhandler(CalsvcError)
    def _domain_error(exc: CalsvcError) -> Any:
        if _wants_json():
            return jsonify({"error": exc.to_dict()}), exc.http_status
        if isinstance(exc, StaleEdit):
            return _stale_page(exc), 409
        return _answer(exc.http_status, exc.code, exc.message, exc.field)

    @app.errorhandler(CSRFError)
    def _csrf_error(_exc: CSRFError) -> Any:
        message = (
            "Das Formular ist abgelaufen oder ungültig (CSRF-Schutz). Bitte die Seite neu laden und erneut senden."
        )
        return _answer(400, "csrf", message, "csrf_token")

    @app.errorhandler(FriendlyNotFound)
    def _friendly_404(exc: FriendlyNotFound) -> Any:
        choices = [{"value": v, "label": label} for v, label in exc.choices]
        more = [{"label": label, "url": url} for label, url in exc.more]
        return _answer(404, "not_found", exc.description or "Nicht gefunden", exc.field, choices=choices, more=more)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        message = exc.description or GERMAN_TITLES.get(status, "Fehler")
        if status == 404 and not isinstance(exc, FriendlyNotFound):
            message = f"Die Seite {request.path} gibt es nicht."
        response = make_response(_answer(status, exc.name.lower().replace(" ", "_"), message))
        for name, value in exc.get_headers():  # Retry-After (429), Allow (405), WWW-Authenticate (401)
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(IntegrityError)
    def _integrity_error(exc: IntegrityError) -> Any:
        session = g.get("db_session")
        if session is not None:
            session.rollback()  # the transaction is dead; nothing of it may be committed later
        message = "Das gibt es schon, oder es wurde gerade gleichzeitig geändert. Bitte neu laden und prüfen."
        return _answer(409, "conflict", message, constraint_field(exc))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Any:
        app.logger.exception("Unerwarteter Fehler bei %s %s", request.method, request.path)
        return _answer(500, "internal", "Ein interner Fehler ist aufgetreten. Bitte später erneut versuchen.")
