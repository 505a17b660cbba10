"""Conflicts, proposal checks and free slots over the database, all through the one engine.

Expands series with :func:`calsvc.schedule.engine.expand` (everybody's, or only those that can
clash with the people asked about), loads Berlin holidays, closure days and vacancies, and hands
them to the pure cores
:mod:`calsvc.conflicts.sweep` and :mod:`calsvc.conflicts.slots`. Nothing here writes to the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.errors import NotFound, ValidationError
from calsvc.models import Absence, BusyInterval, BusySource, Person
from calsvc.schedule.attendance import involved
from calsvc.schedule.engine import expand
from calsvc.schedule.holidays import berlin_holidays, closure_days
from calsvc.schedule.specs import Occurrence, SeriesSpec
from calsvc.schedule.store import load_series, require_gremium, require_person
from calsvc.schedule.walltime import as_local_naive, localize

from .availability import Away, away_conflicts, busy_times
from .incremental import kept_conflicts
from .proposals import Proposal, parse_proposal
from .slots import WorkHours, find_free_slots
from .sweep import Conflict, Vacancy, find_conflicts, people_of, sort_key

__all__ = [
    "DEFAULT_SETTINGS",
    "ConflictSettings",
    "ProposedOccurrenceResult",
    "away_times",
    "check_proposal",
    "conflicts_in_window",
    "free_slots",
    "one_pass_conflicts",
    "vacancies",
]

PROPOSAL_UID = "vorschlag"
MAX_PROPOSED = 1000
"""Dates of one proposal that are checked at most: weekly for 19 years, daily for almost three."""
_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ProposedOccurrenceResult:
    """One occurrence of a proposed meeting and the conflicts it would create."""

    occurrence: Occurrence
    conflicts: tuple[Conflict, ...] = ()

    @property
    def ok(self) -> bool:
        """True when this occurrence would create no conflict at all."""
        return not self.conflicts

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the proposed times and the conflicts (API)."""
        return {
            "start": self.occurrence.start.isoformat(),
            "end": self.occurrence.end.isoformat(),
            "ok": self.ok,
            "conflicts": [c.to_dict() for c in self.conflicts],
        }


@dataclass(frozen=True, slots=True)
class ConflictSettings:
    """The office's rules for conflicts and free slots, read once from the configuration."""

    buffer: timedelta = timedelta(0)
    work_hours: WorkHours = WorkHours()  # noqa: RUF009 - frozen, so sharing one default is safe

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> ConflictSettings:
        """``CALSVC_CONFLICT_BUFFER_MINUTES``, ``CALSVC_WORK_HOURS`` and ``CALSVC_WORK_DAYS``."""
        return cls(
            buffer=timedelta(minutes=int(config.get("CALSVC_CONFLICT_BUFFER_MINUTES") or 0)),
            work_hours=WorkHours.parse(
                config.get("CALSVC_WORK_HOURS") or "08:00-18:00", config.get("CALSVC_WORK_DAYS") or "1,2,3,4,5"
            ),
        )


DEFAULT_SETTINGS = ConflictSettings()


def vacancies(session: Session) -> dict[str, Vacancy]:
    """Every post that is vacant at some time, as plain data for the pure checker."""
    rows = session.execute(select(Person.code, Person.vacant_from, Person.vacant_until).where(Person.vacant))
    return {code: Vacancy(start, end) for code, start, end in rows}


def away_times(session: Session, lo: date, hi: date, codes: Iterable[str] | None = None) -> list[Away]:
    """Absences and outside busy times touching the days ``[lo, hi]`` (of ``codes`` only, if given)."""
    wanted = None if codes is None else set(codes)
    found: list[Away] = []
    query = select(Absence, Person.code).join(Person).where(Absence.start_day <= hi, Absence.end_day >= lo)
    for absence, code in session.execute(query):
        if wanted is None or code in wanted:
            first = datetime.combine(absence.start_day, absence.start_time or time())
            last = (
                datetime.combine(absence.end_day, absence.end_time)
                if absence.end_time
                else datetime.combine(absence.end_day + _DAY, time())
            )
            found.append(Away(code, localize(first), localize(last), "absence"))
    since = localize(datetime.combine(lo, time())).astimezone(UTC).replace(tzinfo=None)
    until = localize(datetime.combine(hi + _DAY, time())).astimezone(UTC).replace(tzinfo=None)
    busy = (
        select(BusyInterval.start, BusyInterval.end, Person.code)
        .join(BusySource, BusyInterval.source_id == BusySource.id)
        .join(Person, BusySource.person_id == Person.id)
        .where(BusyInterval.start < until, BusyInterval.end > since)
    )
    for start, end, code in session.execute(busy):
        if wanted is None or code in wanted:
            found.append(Away(code, start.replace(tzinfo=UTC), end.replace(tzinfo=UTC), "busy"))
    return found


def _all_conflicts(
    session: Session, found: Sequence[Occurrence], lo: date, hi: date, settings: ConflictSettings
) -> list[Conflict]:
    """The sweep's conflicts plus those of absences and outside appointments, in one pass over ``found``
    (a proposal's dates are no stored series: nothing of them is kept)."""
    conflicts = find_conflicts(found, buffer=settings.buffer, **_context(session, lo, hi))
    extra = away_conflicts(found, away_times(session, lo - _DAY, hi + _DAY), buffer=settings.buffer)
    return sorted([*conflicts, *extra], key=sort_key) if extra else conflicts


def _context(session: Session, lo: date, hi: date) -> dict[str, Any]:
    """Holidays, closures and vacancies around ``[lo, hi]`` for :func:`find_conflicts`."""
    return {
        "holidays": berlin_holidays(lo - _DAY, hi + _DAY),
        "closures": closure_days(session, lo - _DAY, hi + _DAY),
        "vacancies": vacancies(session),
    }


def conflicts_in_window(
    session: Session,
    start: date | datetime,
    end: date | datetime,
    *,
    person: str | None = None,
    gremium: str | None = None,
    settings: ConflictSettings = DEFAULT_SETTINGS,
) -> list[Conflict]:
    """Conflicts on the days of ``[start, end)``, optionally only those of a person or a Gremium.

    Occurrences of everybody are checked, so a Gremium filter still sees its lead double-booked
    in another Gremium. Unknown codes/slugs raise NotFound naming ``person``/``gremium``. Each
    person's conflicts are kept per version of what they depend on
    (:mod:`calsvc.conflicts.incremental`): after an edit only its people are checked again.
    """
    code = require_person(session, person).code if person else None
    slug = require_gremium(session, gremium).slug if gremium else None
    lo, hi = as_local_naive(start), as_local_naive(end)
    specs, people = _series_in_scope(session, code, slug)
    conflicts = kept_conflicts(
        specs,
        lo,
        hi,
        **_context(session, lo.date(), hi.date()),
        away=away_times(session, lo.date() - _DAY, hi.date() + _DAY),
        buffer=settings.buffer,
        people=people,
    )
    return [
        c
        for c in _on_days(conflicts, lo, hi)
        if (code is None or _involves(c, code)) and (slug is None or any(o.gremium_slug == slug for o in c.occurrences))
    ]


def one_pass_conflicts(
    session: Session, start: date | datetime, end: date | datetime, *, settings: ConflictSettings = DEFAULT_SETTINGS
) -> list[Conflict]:
    """Every conflict on the days of ``[start, end)``, from everybody's dates swept in one pass.

    The plain way, which :func:`conflicts_in_window` (kept per person) is tested and measured against.
    """
    lo, hi = as_local_naive(start), as_local_naive(end)
    found = expand(load_series(session), [], lo, hi)
    return _on_days(_all_conflicts(session, found, lo.date(), hi.date(), settings), lo, hi)


def _on_days(conflicts: Iterable[Conflict], lo: datetime, hi: datetime) -> list[Conflict]:
    """The conflicts on the days of ``[lo, hi)`` (an expansion also holds dates reaching into it)."""
    return [c for c in conflicts if lo.date() <= c.day and datetime.combine(c.day, time()) < hi]


def _series_in_scope(session: Session, code: str | None, slug: str | None) -> tuple[list[SeriesSpec], set[str] | None]:
    """The series whose dates can take part in a conflict of the person or Gremium (all without a filter),
    and the people whose conflicts those are (``None``: everybody's).

    Every conflict is about people: a double booking shares a person, holidays, closures and
    vacancies concern an occurrence's own people. So a person's conflicts involve only series
    that person leads or attends, and a Gremium's only series that share a person with its own.
    """
    if code is not None:
        return load_series(session, people={code}), {code}
    if slug is None:
        return load_series(session), None
    own = load_series(session, gremium=slug)
    people = {c for spec in own for c in involved(spec)}
    return _merged(own, load_series(session, people=people)), people


def _merged(first: list[SeriesSpec], second: list[SeriesSpec]) -> list[SeriesSpec]:
    """Both lists' series, each once, by id (a Gremium's series without people are in the first only)."""
    return sorted({spec.id: spec for spec in (*first, *second)}.values(), key=lambda spec: spec.id)


def _involves(conflict: Conflict, code: str) -> bool:
    """A person's conflict: theirs by name, or (holiday, closure) at an occurrence they attend."""
    if conflict.person is not None:
        return conflict.person == code
    return any(code in people_of(o) for o in conflict.occurrences)


def check_proposal(
    session: Session, proposal: Proposal | Mapping[str, Any], *, settings: ConflictSettings = DEFAULT_SETTINGS
) -> list[ProposedOccurrenceResult]:
    """Expand a proposed meeting with the engine and check each occurrence against the existing ones.

    Nothing is saved. Invalid input raises ValidationError naming the field (422).
    """
    plan = proposal if isinstance(proposal, Proposal) else parse_proposal(proposal)
    spec = _proposal_spec(session, plan)
    lo, hi = plan.window()
    proposed = [
        replace(o, uid=PROPOSAL_UID, key=f"{PROPOSAL_UID}/{o.key.partition('/')[2]}")
        for o in expand([spec], [], lo, hi)
    ]
    _check_proposed(proposed)
    keys = {o.key for o in proposed}
    # Only a proposal's own conflicts are reported, and each involves one of its people (a double
    # booking shares a person; holidays, closures and vacancies are its own): expand just those series.
    existing = expand(load_series(session, people=involved(spec)), [], lo - _DAY, hi + _DAY)
    conflicts = _all_conflicts(session, [*existing, *proposed], lo, hi, settings)
    by_key: dict[str, list[Conflict]] = {key: [] for key in keys}
    for conflict in conflicts:
        for key in dict.fromkeys(o.key for o in conflict.occurrences if o.key in keys):
            by_key[key].append(conflict)
    return [ProposedOccurrenceResult(o, tuple(by_key[o.key])) for o in proposed]


def _check_proposed(proposed: Sequence[Occurrence]) -> None:
    """Refuse proposals too large to check, and rules whose dates run into each other."""
    if len(proposed) > MAX_PROPOSED:
        raise ValidationError(
            f"Der Vorschlag ergibt {len(proposed)} Termine; geprüft werden höchstens {MAX_PROPOSED}. "
            "Bitte einen kürzeren Zeitraum („window_end“) oder eine seltenere Regel wählen.",
            field="window_end",
        )
    for earlier, later in pairwise(proposed):
        if later.start < earlier.end:
            raise ValidationError(
                f"Die Termine überschneiden sich selbst ({earlier.start:%d.%m.%Y %H:%M} und "
                f"{later.start:%d.%m.%Y %H:%M}): die Dauer ist länger als der Abstand der Regel.",
                field="duration",
            )


def _proposal_spec(session: Session, plan: Proposal) -> SeriesSpec:
    """The proposal as a series spec for the engine; persons and Gremium must exist (422 otherwise)."""
    leads: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    gremium_name = None
    if plan.gremium is not None:
        try:
            gremium = require_gremium(session, plan.gremium)
        except NotFound as exc:
            raise ValidationError(exc.message, field="gremium") from None
        leads = tuple(p.code for p in gremium.leads)
        members = tuple(p.code for p in gremium.members)
        gremium_name = gremium.name
    participants = tuple(_known_code(session, c) for c in plan.participants) or members
    return SeriesSpec(
        id=0,
        title=plan.title,
        dtstart=plan.start,
        duration=plan.duration,
        rrule=plan.rrule,
        location=plan.location,
        gremium_slug=plan.gremium,
        gremium_name=gremium_name,
        lead_codes=leads,
        participant_codes=participants,
        attendance=plan.attendance,
    )


def _known_code(session: Session, code: str) -> str:
    try:
        return require_person(session, code).code
    except NotFound as exc:
        raise ValidationError(exc.message, field="participants") from None


def free_slots(
    session: Session,
    persons: Iterable[str],
    duration: timedelta | int,
    start: date,
    end: date,
    *,
    work_hours: WorkHours | str | None = None,
    step: timedelta = timedelta(minutes=15),
    limit: int | None = None,
    settings: ConflictSettings = DEFAULT_SETTINGS,
) -> list[tuple[datetime, datetime]]:
    """Slots in ``[start, end)`` inside working hours, on no holiday or closure day, when all ``persons`` are free.

    ``work_hours`` (a WorkHours, or ``"16:00-18:00"`` on the configured days) overrides the
    office hours of ``settings``. Busy times come from the engine (meetings of any listed person; all-day
    activities do not block), from absences and from outside calendars.
    """
    try:
        codes = {require_person(session, c).code for c in persons}
    except NotFound as exc:
        raise NotFound(exc.message, field="persons") from None
    if not codes:
        raise ValidationError("Bitte mindestens eine Person angeben.", field="persons")
    length = duration if isinstance(duration, timedelta) else timedelta(minutes=duration)
    if length <= timedelta(0):
        raise ValidationError("Die Dauer muss positiv sein.", field="duration")
    found = expand(load_series(session, people=codes), [], start - _DAY, end + _DAY)
    busy = [(o.start, o.end) for o in found if not o.all_day and codes & set(people_of(o))]
    busy += busy_times(away_times(session, start - _DAY, end + _DAY, codes), codes)
    blocked = {**berlin_holidays(start, end), **closure_days(session, start, end)}
    if isinstance(work_hours, str) and work_hours:
        work_hours = WorkHours.parse(work_hours, settings.work_hours.days)
    return find_free_slots(
        busy,
        length,
        start,
        end,
        work=work_hours or settings.work_hours,
        blocked_days=blocked,
        step=step,
        limit=limit,
        buffer=settings.buffer,
    )
