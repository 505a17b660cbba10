"""TEXT values that every client can read back (RFC 5545 3.3.11).

icalendar escapes ``\\``, ``;``, ``,`` and newlines itself, but 7.3 first turns a literal
backslash-N into a line break (``C:\\Neu`` would arrive as "C:" and "eu"): :class:`Text`
escapes in the RFC's order instead. What icalendar passes through unchanged are control characters, which the TEXT grammar forbids (``TSAFE-CHAR`` excludes CONTROL
except HTAB) and which make libical and ical.js choke. They are removed here.
"""

from __future__ import annotations

import re

from icalendar import vText

__all__ = ["Text", "clean_line", "clean_text"]

# C0 controls except HTAB (x09) and LF (x0A, escaped as \n), DEL, C1 controls, lone surrogates.
_ILLEGAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: str) -> str:
    """A multi-line TEXT value with line breaks normalised to LF and controls removed."""
    return _ILLEGAL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def clean_line(value: str) -> str:
    """A single-line value (summary, location, UID, category): breaks and tabs become spaces."""
    return " ".join(clean_text(value).split()) if value.strip() else ""


class Text(vText):
    """A TEXT value escaped backslash first, as RFC 5545 3.3.11 orders it."""

    encoding: str  # set by vText.__new__ (a slot mypy cannot see)

    def to_ical(self) -> bytes:
        escaped = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
        return escaped.encode(self.encoding)
