"""The calsvc data model (SQLAlchemy 2 typed ORM); one module per concept."""

from .activities import STATUSES, Activity, ActivityPeriod, ActivityProgress, OngoingTask, Status, activity_responsible
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
from .people import Person
from .system import ApiToken, AuditEntry, ClosureDay, DataVersion, PlanImport, RateLimit, User

__all__ = [
    "SERIES_STATUSES",
    "STATUSES",
    "Activity",
    "ActivityPeriod",
    "ActivityProgress",
    "ApiToken",
    "AttendanceChange",
    "AuditEntry",
    "Base",
    "ClosureDay",
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
    "SeriesGuest",
    "SeriesParticipant",
    "SeriesStatus",
    "Status",
    "User",
    "activity_responsible",
    "utcnow",
]
