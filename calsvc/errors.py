"""One error hierarchy for the domain: every error names a code, a message and the field.

Only the web layer turns these into HTTP answers; the CLI prints them. Messages are German
where a user of the office reads them.
"""

from __future__ import annotations

__all__ = [
    "CalsvcError",
    "EditConflict",
    "FuzzyDateError",
    "NotFound",
    "PlanFormatError",
    "RecurrenceError",
    "ValidationError",
]


class CalsvcError(Exception):
    """Base of all calsvc errors; carries data, not just text."""

    code: str = "error"
    http_status: int = 400

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def to_dict(self) -> dict[str, object]:
        """The API's error body: ``{"code", "message", "field"}``."""
        return {"code": self.code, "message": self.message, "field": self.field}


class ValidationError(CalsvcError, ValueError):
    """Input that cannot be accepted; ``field`` names the offending field."""

    code = "invalid"
    http_status = 422


class NotFound(CalsvcError, LookupError):
    """A person code, Gremium slug or id that does not exist."""

    code = "not_found"
    http_status = 404


class EditConflict(CalsvcError):
    """A concurrent edit: the object changed since the client read it."""

    code = "conflict"
    http_status = 409


class FuzzyDateError(ValidationError):
    """A Terminierung text (or a part of it) that the fuzzy-date parser cannot read."""

    code = "invalid_terminierung"

    def __init__(self, message: str, *, part: str, text: str, field: str | None = "terminierung") -> None:
        super().__init__(message, field=field)
        self.part = part
        self.text = text


class RecurrenceError(ValidationError):
    """An RRULE (or exception date) that is not valid or not supported."""

    code = "invalid_rrule"


class PlanFormatError(ValidationError):
    """A line of a work plan that the importer cannot read."""

    code = "invalid_plan"

    def __init__(self, message: str, *, line_no: int, line: str, field: str | None = None) -> None:
        super().__init__(f"Zeile {line_no}: {message}", field=field)
        self.line_no = line_no
        self.line = line
