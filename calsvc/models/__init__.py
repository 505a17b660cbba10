"""The calsvc data model (SQLAlchemy 2 typed ORM); one module per concept."""

from .activities import STATUSES, Activity, ActivityPeriod, ActivityProgress, OngoingTask, Status, activity_responsible
from .availability import ABSENCE_KINDS, ABSENCE_LABELS, Absence, AbsenceKind, BusyInterval, BusySource, ConflictAck
from .base import Base, utcnow
from .gremien import Gremium, Level, Membership, Role
from .meetings import (
    SERIES_STATUSES,
    AttendanceChange,
    ExtraDate,
    MeetingSeries,
    SeriesException,
    SeriesGuest,
    SeriesParticipant,
    SeriesStatus,
)
from .outbox import OUTBOX_STATUSES, OutboxMessage, OutboxStatus
from .people import Person
from .reports import IssuedReport, IssuedReportFile
from .system import ApiToken, AuditEntry, ClosureDay, DataVersion, PlanImport, RateLimit, User

__all__ = [
    "ABSENCE_KINDS",
    "ABSENCE_LABELS",
    "OUTBOX_STATUSES",
    "SERIES_STATUSES",
    "STATUSES",
    "Absence",
    "AbsenceKind",
    "Activity",
    "ActivityPeriod",
    "ActivityProgress",
    "ApiToken",
    "AttendanceChange",
    "AuditEntry",
    "Base",
    "BusyInterval",
    "BusySource",
    "ClosureDay",
    "ConflictAck",
    "DataVersion",
    "ExtraDate",
    "Gremium",
    "IssuedReport",
    "IssuedReportFile",
    "Level",
    "MeetingSeries",
    "Membership",
    "OngoingTask",
    "OutboxMessage",
    "OutboxStatus",
    "Person",
    "PlanImport",
    "RateLimit",
    "Role",
    "SeriesException",
    "SeriesGuest",
    "SeriesParticipant",
    "SeriesStatus",
    "Status",
    "User",
    "activity_responsible",
    "utcnow",
]
