"""The input models of every write: forms and the JSON API validate through them, the OpenAPI document shows them.

Creating takes a ``*Input`` model (required fields, defaults for the rest); changing takes a
``*Patch`` model, whose ``model_fields_set`` says which fields were sent. Unknown keys (``version``,
``csrf_token``) are ignored.
"""

from datetime import date, datetime, time
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict

from calsvc import inputs as t
from calsvc.inputs import validate
from calsvc.models import ABSENCE_KINDS, SERIES_STATUSES, STATUSES, AbsenceKind, Level, Role, SeriesStatus, Status
from calsvc.schedule.bounds import LAST_YEAR
from calsvc.schedule.budget import MAX_COUNT

from .recurrence_picker import END_MODES, PATTERNS

__all__ = [
    "ACTIONS",
    "AbsenceApiInput",
    "AbsenceInput",
    "AckInput",
    "ActivityInput",
    "ActivityPatch",
    "AttendanceInput",
    "ClosureInput",
    "ConflictConfirmation",
    "ExtraDateInput",
    "GremiumInput",
    "GremiumPatch",
    "GuestInput",
    "MemberInput",
    "OccurrenceChange",
    "OccurrenceRef",
    "OutsideCalendarInput",
    "PersonInput",
    "PersonPatch",
    "PreviewInput",
    "ProgressInput",
    "RestoreInput",
    "SeriesInput",
    "SeriesPatch",
    "validate",
]

ACTIONS = ("cancel", "move", "relocate", "restore")
ACTIVITY_STATUSES = STATUSES
CODE_PATTERN = r"^[A-Za-z][A-Za-z0-9_-]{0,31}$"


class _Model(BaseModel):
    """Unknown keys are ignored: forms and clients send more than the service reads."""

    model_config = ConfigDict(extra="ignore")


def _no_defaults(schema: dict[str, Any]) -> None:
    """A PATCH changes only the sent fields (an omitted one keeps its value): document no defaults."""
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


UNSENT: Any = None  # placeholder of a PATCH field that was not sent; only ``model_fields_set`` is applied
PATCH = ConfigDict(extra="ignore", json_schema_extra=_no_defaults)
INPUT = ConfigDict(extra="ignore", json_schema_extra=None)


CONFIRM = t.boolean(description="Trotz Terminkonflikten speichern (wird im Änderungsverlauf vermerkt)")


class ConflictConfirmation(_Model):
    """Writes that plan meetings refuse new conflicts unless the client confirms them."""

    confirm_conflicts: Annotated[bool, CONFIRM] = False


TITLE = t.text(required=True, label="Titel")
START = t.moment(label="Beginn")
DURATION = t.integer(lo=5, hi=24 * 60, label="Dauer")
SERIES_STATUS = t.choice(SERIES_STATUSES, default="confirmed")
GUEST_NAME = t.text(required=True, max_len=200, label="Name des Gastes")
ORGANISATION = t.text(max_len=200, label="Organisation")


class GuestInput(_Model):
    """An external guest: name, optional e-mail (needed for invitations) and organisation."""

    name: Annotated[str, GUEST_NAME]
    email: Annotated[str | None, t.email()] = None
    organisation: Annotated[str, ORGANISATION] = ""


class SeriesPatch(ConflictConfirmation):
    """A meeting series' fields; ``pattern`` (with its details) builds the RRULE, else ``rrule`` is taken as is."""

    model_config = PATCH

    gremium: Annotated[str, t.text(max_len=120)] = ""
    title: Annotated[str, TITLE] = UNSENT
    dtstart: Annotated[datetime, START] = UNSENT
    duration_minutes: Annotated[int, DURATION] = UNSENT
    location: Annotated[str, t.text(label="Ort")] = ""
    description: Annotated[str, t.text(max_len=5000, label="Beschreibung")] = ""
    status: Annotated[SeriesStatus, SERIES_STATUS] = "confirmed"
    rrule: Annotated[str, t.text(max_len=500, about="RRULE für Fachleute (ohne pattern)")] = ""
    pattern: Annotated[str, t.choice(tuple(PATTERNS))] = UNSENT
    nth: Annotated[int | None, t.integer(lo=-1, hi=4, required=False, enum=(1, 2, 3, 4, -1))] = None
    skip_summer: Annotated[bool, t.boolean()] = False
    months: Annotated[list[int], t.months()] = []
    until: Annotated[date | None, t.day()] = None
    count: Annotated[int | None, t.integer(lo=1, hi=MAX_COUNT, required=False)] = None
    participants: Annotated[
        list[str] | None,
        t.codes(label="Teilnehmende", nullable=True),
    ] = None  # None: the Gremium's members (leads first); a list: exactly these persons
    guests: Annotated[list[GuestInput], t.guest_lines()] = []


class SeriesInput(SeriesPatch):
    """A new meeting series."""

    model_config = INPUT

    title: Annotated[str, TITLE]
    dtstart: Annotated[datetime, START]
    duration_minutes: Annotated[int, DURATION]


OCCURRENCE = t.moment(label="Termin")
PREVIEW_MAX = 50


class PreviewInput(_Model):
    """A recurrence being edited: the first date, the picker's choice and how many dates to show."""

    dtstart: Annotated[datetime, START]
    duration_minutes: Annotated[int, DURATION] = 60
    pattern: Annotated[str, t.choice(tuple(PATTERNS), default="once")] = "once"
    nth: Annotated[int | None, t.integer(lo=-1, hi=4, required=False, enum=(1, 2, 3, 4, -1))] = None
    months: Annotated[list[int], t.months()] = []
    skip_summer: Annotated[bool, t.boolean()] = False
    end_mode: Annotated[str, t.choice(tuple(END_MODES), default="none", label="Ende")] = "none"
    until: Annotated[str, t.text(max_len=10, label="Ende am")] = ""
    count: Annotated[str, t.text(max_len=5, label="Anzahl Termine")] = ""
    rrule: Annotated[str, t.text(max_len=500, about="RRULE für Fachleute (nur bei pattern=custom)")] = ""
    limit: Annotated[int, t.integer(lo=1, hi=PREVIEW_MAX, label="Anzahl")] = 10


class OccurrenceRef(_Model):
    """Which occurrence of a series: its original start (the RECURRENCE-ID)."""

    recurrence_id: Annotated[datetime, OCCURRENCE]


class OccurrenceChange(ConflictConfirmation):
    """One occurrence cancelled, moved, relocated or restored."""

    action: Annotated[str, t.choice(ACTIONS, label="Aktion")]
    recurrence_id: Annotated[datetime, OCCURRENCE]
    new_start: Annotated[datetime | None, t.moment(required=False, label="Neuer Beginn")] = None
    new_duration_minutes: Annotated[int | None, t.integer(lo=5, hi=24 * 60, required=False, label="Neue Dauer")] = None
    new_location: Annotated[str, t.text(label="Neuer Ort")] = ""
    note: Annotated[str, t.text(max_len=2000, label="Notiz")] = ""


class ExtraDateInput(ConflictConfirmation):
    """A Zusatztermin of a series; without duration or location it has the series' ones."""

    start: Annotated[datetime, START]
    duration_minutes: Annotated[int | None, t.integer(lo=5, hi=24 * 60, required=False, label="Dauer")] = None
    location: Annotated[str, t.text(label="Ort")] = ""
    note: Annotated[str, t.text(max_len=2000, label="Notiz")] = ""


class RestoreInput(ConflictConfirmation):
    """Which deletion to undo: the id of the series' ``delete`` entry in the audit trail."""

    audit_entry: Annotated[int, t.integer(lo=1, hi=2**31 - 1, label="Verlaufseintrag")]


ATTENDANCE_ACTIONS = ("add", "remove", "undo")


class AttendanceInput(ConflictConfirmation):
    """Someone comes to (``add``) or misses (``remove``) one date only; ``undo`` drops such a change.

    Name exactly one of ``person`` (a code), ``guest`` (the id of a series guest who misses the
    date), ``name`` (+ ``email``, ``organisation``: a guest of this date only) or, for ``undo``, ``change``.
    """

    recurrence_id: Annotated[datetime, OCCURRENCE]
    action: Annotated[str, t.choice(ATTENDANCE_ACTIONS, label="Aktion")]
    person: Annotated[str, t.text(max_len=32, label="Person")] = ""
    guest: Annotated[int | None, t.integer(lo=1, hi=2**31 - 1, required=False, label="Gast")] = None
    name: Annotated[str, t.text(max_len=200, label="Name des Gastes")] = ""
    email: Annotated[str | None, t.email()] = None
    organisation: Annotated[str, ORGANISATION] = ""
    change: Annotated[int | None, t.integer(lo=1, hi=2**31 - 1, required=False, label="Änderung")] = None


CODE = t.text(required=True, max_len=32, label="Kürzel", pattern=CODE_PATTERN,
              hint="Das Kürzel besteht aus Buchstaben, Ziffern, - oder _ (z. B. Int1).")  # fmt: skip


class PersonPatch(_Model):
    """A person or post; vacancy dates only with ``vacant``."""

    model_config = PATCH

    code: Annotated[str, CODE] = UNSENT
    title: Annotated[str, t.text(max_len=200, label="Bezeichnung")] = ""
    name: Annotated[str, t.text(max_len=200, label="Name")] = ""
    email: Annotated[str, t.text(max_len=200, label="E-Mail")] = ""
    is_external: Annotated[bool, t.boolean()] = False
    vacant: Annotated[bool, t.boolean()] = False
    vacant_from: Annotated[date | None, t.day()] = None
    vacant_until: Annotated[date | None, t.day()] = None
    notes: Annotated[str, t.text(max_len=2000, label="Notizen")] = ""


class PersonInput(PersonPatch):
    """A new person or post."""

    model_config = INPUT

    code: Annotated[str, CODE]


GREMIUM_NAME = t.text(required=True, label="Name")
LEVEL = t.choice(tuple(level.value for level in Level), default=Level.BEZIRKLICH.value)


class GremiumPatch(_Model):
    """A Gremium; ``slug`` comes from the name unless given, ``parent`` is another Gremium's slug."""

    model_config = PATCH

    name: Annotated[str, GREMIUM_NAME] = UNSENT
    slug: Annotated[str, t.text(max_len=120)] = ""
    level: Annotated[str, LEVEL] = Level.BEZIRKLICH.value
    parent: Annotated[str, t.text(max_len=120)] = ""
    description: Annotated[str, t.text(max_len=5000, label="Beschreibung")] = ""


class GremiumInput(GremiumPatch):
    """A new Gremium."""

    model_config = INPUT

    name: Annotated[str, GREMIUM_NAME]


class MemberInput(_Model):
    """A member of a Gremium and their role."""

    person: Annotated[str, t.text(required=True, max_len=32, label="Person")]
    role: Annotated[str, t.choice(tuple(role.value for role in Role), default=Role.MEMBER.value)] = Role.MEMBER.value


PLAN_YEAR = t.integer(lo=2000, hi=LAST_YEAR, label="Planjahr")
NUMBER = t.integer(lo=1, hi=9999, label="Nummer")
ACTIVITY_TITLE = t.text(required=True, max_len=1000, label="Titel")
TERMINIERUNG = t.text(required=True, label="Terminierung")


class ActivityPatch(_Model):
    """An activity of the work plan; its Terminierung must be readable by the fuzzy parser."""

    model_config = PATCH

    plan_year: Annotated[int, PLAN_YEAR] = UNSENT
    number: Annotated[int, NUMBER] = UNSENT
    title: Annotated[str, ACTIVITY_TITLE] = UNSENT
    terminierung: Annotated[str, TERMINIERUNG] = UNSENT
    responsible: Annotated[list[str], t.codes()] = []
    status: Annotated[Status, t.choice(ACTIVITY_STATUSES, default="geplant")] = "geplant"


class ActivityInput(ActivityPatch):
    """A new activity."""

    model_config = INPUT

    plan_year: Annotated[int, PLAN_YEAR]
    number: Annotated[int, NUMBER]
    title: Annotated[str, ACTIVITY_TITLE]
    terminierung: Annotated[str, TERMINIERUNG]


class ProgressInput(_Model):
    """A dated progress note (Abarbeitungsstand); without ``day`` it is today's."""

    day: Annotated[date | None, t.day(label="Datum")] = None
    status: Annotated[Status, t.choice(ACTIVITY_STATUSES)]
    note: Annotated[str, t.text(max_len=5000, label="Notiz")] = ""


# Absences, closure days and outside calendars (editing/absences.py, editing/outside_calendars.py).


class AbsenceInput(_Model):
    """An absence: whole days ``start``..``end``; ``start_time``/``end_time`` narrow the first/last day."""

    model_config = INPUT

    kind: Annotated[AbsenceKind, t.choice(ABSENCE_KINDS, label="Art")]
    start: Annotated[date, t.day(required=True, label="von")]
    end: Annotated[date | None, t.day(label="bis")] = None
    start_time: Annotated[time | None, t.clock(label="ab Uhrzeit")] = None
    end_time: Annotated[time | None, t.clock(label="bis Uhrzeit")] = None
    note: Annotated[str, t.text(max_len=300, label="Notiz")] = ""


class AbsencePatch(_Model):
    """The fields of an absence to change; those not sent stay as they are."""

    model_config = PATCH

    kind: Annotated[AbsenceKind, t.choice(ABSENCE_KINDS, label="Art")] = UNSENT
    start: Annotated[date, t.day(label="von")] = UNSENT
    end: Annotated[date | None, t.day(label="bis")] = UNSENT
    start_time: Annotated[time | None, t.clock(label="ab Uhrzeit")] = UNSENT
    end_time: Annotated[time | None, t.clock(label="bis Uhrzeit")] = UNSENT
    note: Annotated[str, t.text(max_len=300, label="Notiz")] = UNSENT


class AbsenceApiInput(AbsenceInput):
    """An absence sent to the API: whose (a person code) and when."""

    person: Annotated[str, t.text(required=True, max_len=32, label="person")]


class ClosureInput(_Model):
    """Closure days ``start``..``end`` (one day when ``end`` is empty), with a reason."""

    model_config = INPUT

    start: Annotated[date, t.day(required=True, label="Tag")]
    end: Annotated[date | None, t.day(label="bis")] = None
    reason: Annotated[str, t.text(max_len=200, label="Grund")] = ""


class OutsideCalendarInput(_Model):
    """An outside calendar: a label and an ICS address (empty for an uploaded file)."""

    model_config = INPUT

    label: Annotated[str, t.text(max_len=200, label="Bezeichnung")] = ""
    url: Annotated[str, t.text(max_len=2000, label="Adresse")] = ""


class AckInput(_Model):
    """A conflict entry or hint someone has seen: its ``key`` from the conflict list, and what it was."""

    model_config = INPUT

    key: Annotated[str, t.text(required=True, max_len=64, label="key")]
    summary: Annotated[str, t.text(max_len=2000, label="summary")] = ""
