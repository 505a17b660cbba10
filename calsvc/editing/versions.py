"""No lost updates: every edit names the version it was based on; stale edits get 409 with what changed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from calsvc.errors import EditConflict, ValidationError
from calsvc.models import AuditEntry

__all__ = ["StaleEdit", "VersionRequired", "check_version", "parse_version", "stale_guard"]


class VersionRequired(ValidationError):
    """An edit that does not say which version it changes (HTTP 428)."""

    code = "version_required"
    http_status = 428


class StaleEdit(EditConflict):
    """The object changed since the client read it; carries the current version and the changes since."""

    def __init__(self, message: str, *, current_version: int | None, changes: dict[str, list[Any]]) -> None:
        super().__init__(message, field="version")
        self.current_version = current_version
        self.changes = changes

    def to_dict(self) -> dict[str, Any]:
        """The API's error body plus ``current_version`` and ``changes`` ({field: [then, now]})."""
        return {**super().to_dict(), "current_version": self.current_version, "changes": self.changes}


def parse_version(raw: str | int | None, field: str = "version") -> int:
    """A version from a form field, JSON number or ``If-Match`` value (``"3"``, ``W/"3"``)."""
    if raw is None or raw == "":
        raise VersionRequired(
            "Die Version des Objekts fehlt (Formularfeld „version“ oder Kopfzeile If-Match).", field=field
        )
    text = str(raw).strip()
    if text.startswith("W/"):
        text = text[2:]
    text = text.strip('"')
    if not (text.isascii() and text.isdigit() and len(text) <= 9):  # "²" is a digit to isdigit(), not to int()
        raise ValidationError(f"„{raw}“ ist keine gültige Version.", field=field)
    return int(text)


def check_version(session: Session, obj: Any, object_type: str, expected: int) -> None:
    """Refuse an edit based on an older (or unknown) version, listing what changed since then."""
    current = obj.version
    if expected == current:
        return
    raise StaleEdit(
        f"Das Objekt wurde inzwischen geändert (Ihre Version {expected}, aktuell {current}). "
        "Bitte die aktuelle Fassung prüfen und die Änderung erneut vornehmen.",
        current_version=current,
        changes=changes_since(session, object_type, obj.id, expected),
    )


def changes_since(session: Session, object_type: str, object_id: int, version: int) -> dict[str, list[Any]]:
    """``{field: [value at version, value now]}`` merged from the audit entries after ``version``."""
    rows = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.id)
    )
    merged: dict[str, list[Any]] = {}
    for row in rows:
        changes = json.loads(row.changes or "{}")
        old_version = changes.get("version", [None])[0]
        if old_version is None or old_version < version:
            continue
        for name, (old, new) in changes.items():
            if name == "version":
                continue
            merged.setdefault(name, [old, new])[1] = new
    return merged


@contextmanager
def stale_guard() -> Iterator[None]:
    """Turn SQLAlchemy's StaleDataError (a true race between two writers) into a 409."""
    try:
        yield
    except StaleDataError:
        raise StaleEdit(
            "Das Objekt wurde gleichzeitig von jemand anderem geändert; Ihre Änderung wurde nicht gespeichert.",
            current_version=None,
            changes={},
        ) from None
