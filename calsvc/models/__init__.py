"""The calsvc data model (SQLAlchemy 2 typed ORM); one module per concept."""

from .activities import STATUSES, Activity, ActivityPeriod, ActivityProgress, OngoingTask, Status, activity_responsible
from .availability import ABSENCE_KINDS, ABSENCE_LABELS, Absence, AbsenceKind, BusyInterval, BusySource, ConflictAck
from .base import Base, utcnow
from .gremien import Gremium, Level, Membership, Role
from .meetings import SERIES_STATUSES, ExtraDate, MeetingSeries, SeriesException, SeriesParticipant, SeriesStatus
from .people import Person
from .system import ApiToken, AuditEntry, ClosureDay, DataVersion, PlanImport, RateLimit, User

__all__ = [
    "ABSENCE_KINDS",
    "ABSENCE_LABELS",
    "SERIES_STATUSES",
    "STATUSES",
    "Absence",
    "AbsenceKind",
    "Activity",
    "ActivityPeriod",
    "ActivityProgress",
    "ApiToken",
    "AuditEntry",
    "Base",
    "BusyInterval",
    "BusySource",
    "ClosureDay",
    "ConflictAck",
    "DataVersion",
    "ExtraDate",
    "Gremium",
    "Level",
    "MeetingSeries",
    "Membership",
    "OngoingTask",
    "Person",
    "PlanImport",
    "RateLimit",
    "Role",
    "SeriesException",
    "SeriesParticipant",
    "SeriesStatus",
    "Status",
    "User",
    "activity_responsible",
    "utcnow",
]
