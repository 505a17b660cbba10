"""The calsvc data model (SQLAlchemy 2 typed ORM); one module per concept."""

from .activities import STATUSES, Activity, ActivityPeriod, ActivityProgress, OngoingTask, Status, activity_responsible
from .base import Base, utcnow
from .gremien import Gremium, Level, Membership, Role
from .meetings import SERIES_STATUSES, ExtraDate, MeetingSeries, SeriesException, SeriesParticipant, SeriesStatus
from .outbox import OUTBOX_STATUSES, OutboxMessage, OutboxStatus
from .people import Person
from .reports import IssuedReport, IssuedReportFile
from .system import ApiToken, AuditEntry, ClosureDay, DataVersion, PlanImport, RateLimit, User

__all__ = [
    "OUTBOX_STATUSES",
    "SERIES_STATUSES",
    "STATUSES",
    "Activity",
    "ActivityPeriod",
    "ActivityProgress",
    "ApiToken",
    "AuditEntry",
    "Base",
    "ClosureDay",
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
    "SeriesParticipant",
    "SeriesStatus",
    "Status",
    "User",
    "activity_responsible",
    "utcnow",
]
