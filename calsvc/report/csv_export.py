"""The report as CSV for Excel: UTF-8 with BOM (umlauts survive), ``;`` separated (German Excel).

One file, three sections separated by a blank line, each starting with its own header row:
the activities (one row each), the Gremien with their meeting counts, the changes to the plan.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime

from .model import QuarterReport

__all__ = ["ACTIVITY_HEADER", "CHANGE_HEADER", "GREMIUM_HEADER", "render_csv"]

ACTIVITY_HEADER = (
    "lfd. Nr.", "Aktivität", "Zuständigkeit", "Terminierung", "Zeitraum", "Status", "Stand vom", "Vermerk",
    "überfällig", "fällig im nächsten Quartal",
)  # fmt: skip
GREMIUM_HEADER = (
    "Gremium",
    "Leitung",
    "stattgefunden",
    "geplant",
    "verlegt",
    "abgesagt",
    "gesamt",
    "verlegt/abgesagt am",
)
CHANGE_HEADER = ("Datum", "Art", "Von", "Änderung")


# Excel and LibreOffice run a cell starting with one of these as a formula (CSV injection):
# such text gets a leading apostrophe, which both show as "this is text".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _SafeWriter:
    """csv.writer whose text cells can never start a formula."""

    def __init__(self, buffer: io.StringIO) -> None:
        self._writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow(
            "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA_START) else cell for cell in row
        )


def _day(value: date | datetime | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def render_csv(report: QuarterReport) -> bytes:
    """The CSV bytes, BOM first."""
    buffer = io.StringIO(newline="")
    writer = _SafeWriter(buffer)
    writer.writerow(ACTIVITY_HEADER)
    for a in report.activities:
        writer.writerow(
            (
                a.number,
                a.title,
                a.responsible_text,
                a.terminierung,
                a.period_label,
                a.status,
                _day(a.status_day),
                a.note,
                "ja" if a.overdue else "",
                "ja" if a.due_next_quarter else "",
            )
        )
    writer.writerow(())
    writer.writerow(GREMIUM_HEADER)
    for g in report.gremien:
        changed = ", ".join(f"{m.start:%d.%m.%Y} ({m.state})" for m in g.changed_meetings)
        writer.writerow((g.name, g.leads_text, g.held, g.planned, g.moved, g.cancelled, g.total, changed))
    writer.writerow(())
    writer.writerow(CHANGE_HEADER)
    for c in report.changes:
        text = " | ".join((c.text, *c.details))
        writer.writerow((f"{c.at:%d.%m.%Y %H:%M}", c.source, c.actor, text))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
