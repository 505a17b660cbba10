"""Plans per year: "Arbeitsplan 2025 anlegen" carries the previous plan over.

Gremien, memberships and meeting series are not tied to a plan year: they simply go on (a
series with an end date ends as it always would). What belongs to one year's plan is copied:
the ongoing tasks (section 1) and every activity not yet done or dropped (section 3), each
marked ``carried_from_year`` with a dated note saying where it came from and its last Stand.
Activities keep their number and the periods the old plan named, so "II. Quartal 2024,
fortlaufend" still starts in 2024 and now runs to the end of 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from calsvc.editing import audit
from calsvc.editing.activities import activity_state
from calsvc.errors import EditConflict, ValidationError
from calsvc.models import Activity, ActivityPeriod, ActivityProgress, OngoingTask
from calsvc.models.activities import STATUSES
from calsvc.schedule.bounds import SPAN, YEARS

__all__ = ["CarryOver", "new_plan", "plan_years"]

CLOSED = ("erledigt", "entfallen")


@dataclass(frozen=True, slots=True)
class CarryOver:
    """What "Arbeitsplan <Jahr> anlegen" did."""

    year: int
    source_year: int
    activities: int
    tasks: int

    def format(self) -> str:
        """One German line for the CLI and the page."""
        return (
            f"Arbeitsplan {self.year} angelegt aus dem Arbeitsplan {self.source_year}: "
            f"{self.activities} unerledigte Aktivitäten und {self.tasks} laufende Tätigkeiten übernommen."
        )


def plan_years(session: Session) -> list[int]:
    """Years that have a plan (activities or ongoing tasks), ascending."""
    years = set(session.scalars(select(Activity.plan_year).distinct()))
    years |= set(session.scalars(select(OngoingTask.plan_year).distinct()))
    return sorted(years)


def new_plan(session: Session, actor: str, year: int, *, on: date | None = None) -> CarryOver:
    """Create ``year``'s plan from the latest earlier one; refused if ``year`` has a plan already."""
    if year not in YEARS:
        raise ValidationError(f"Jahr {year} liegt außerhalb von {SPAN}.", field="year")
    if year in plan_years(session):
        raise EditConflict(f"Den Arbeitsplan {year} gibt es schon.", field="year")
    source = session.scalar(select(func.max(Activity.plan_year)).where(Activity.plan_year < year))
    task_source = session.scalar(select(func.max(OngoingTask.plan_year)).where(OngoingTask.plan_year < year))
    source_year = max(y for y in (source, task_source, 0) if y is not None)
    if not source_year:
        raise ValidationError(f"Vor {year} gibt es keinen Arbeitsplan, der übernommen werden kann.", field="year")
    day = on or date(year, 1, 1)
    tasks = _carry_tasks(session, source_year, year)
    activities = _carry_activities(session, actor, source_year, year, day)
    return CarryOver(year, source_year, activities, tasks)


def _carry_tasks(session: Session, source_year: int, year: int) -> int:
    rows = session.scalars(select(OngoingTask).where(OngoingTask.plan_year == source_year))
    count = 0
    for task in rows:
        session.add(
            OngoingTask(
                plan_year=year,
                position=task.position,
                title=task.title,
                description=task.description,
                gremium_id=task.gremium_id,
            )
        )
        count += 1
    return count


def _carry_activities(session: Session, actor: str, source_year: int, year: int, day: date) -> int:
    query = (
        select(Activity)
        .where(Activity.plan_year == source_year, Activity.status.not_in(CLOSED))
        .options(selectinload(Activity.periods), selectinload(Activity.responsible))
        .order_by(Activity.number)
    )
    count = 0
    for old in session.scalars(query):
        status = old.status if old.status in STATUSES else "geplant"
        copy = Activity(
            plan_year=year,
            number=old.number,
            title=old.title,
            terminierung=old.terminierung,
            ongoing=old.ongoing,
            tentative=old.tentative,
            unscheduled=old.unscheduled,
            status=status,
            carried_from_year=source_year,
        )
        copy.responsible = list(old.responsible)
        copy.periods = [
            ActivityPeriod(position=p.position, start=p.start, end=p.end, precision=p.precision, focus=p.focus)
            for p in old.periods
        ]
        note = f"Aus dem Arbeitsplan {source_year} übernommen (dort Nr. {old.number}, Stand: {status})."
        copy.progress = [ActivityProgress(day=day, status=status, note=note, author=actor)]
        session.add(copy)
        session.flush()
        changes = audit.diff({}, activity_state(copy))
        changes["carried_from_year"] = [None, source_year]
        summary = f"Aktivität {copy.number} aus dem Arbeitsplan {source_year} übernommen"
        audit.record(session, actor, "activity", copy.id, "create", summary, changes)
        count += 1
    return count
