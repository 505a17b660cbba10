"""The month agenda as plain data: weeks Monday first, meetings on their days, activities apart.

The page that shows it is :mod:`calsvc.web.agenda`.
"""

from .month import AgendaDay, AgendaEntry, AgendaWeek, ConflictNote, MonthAgenda, build_month

__all__ = ["AgendaDay", "AgendaEntry", "AgendaWeek", "ConflictNote", "MonthAgenda", "build_month"]
