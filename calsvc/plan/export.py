"""The year's Arbeitsplan out of calsvc, in the structure of the published plan.

:func:`plan_export` gathers what the plan says (posts, 1. laufende Tätigkeiten, 2. Gremienarbeit,
3. geplante Aktivitäten with their Terminierung verbatim); :func:`plan_text` writes it in the
text form the importer reads (tables tab-separated, the task's **bold** name), and the DOCX
and PDF renderers lay out the same rows. Exporting and importing again gives the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from calsvc.errors import FuzzyDateError, NotFound
from calsvc.fuzzydates import FuzzyPeriod, Precision, Terminierung, parse_terminierung
from calsvc.models import Activity, Gremium, OngoingTask, Person

from .rules import PARENT_ALIASES

__all__ = [
    "ActivityLine",
    "GremiumLine",
    "PlanExport",
    "PostLine",
    "TaskLine",
    "plan_export",
    "plan_text",
    "task_segments",
]

OFFICE = "Integrationsbüros des Bezirksamtes Marzahn-Hellersdorf"
SECTION_1 = "1. laufende Tätigkeiten (verwaltungsintern/verwaltungsextern)"
SECTION_2 = "2. Gremienarbeit (bezirklich/überbezirklich)"
SECTION_3 = "3. geplante Aktivitäten des Integrationsbüros"
GREMIEN_HEAD = ("Gremium", "Leitung (L)/ Teilnahme")
ACTIVITY_HEAD = ("lfd. Nr.", "Aktivität", "Zuständigkeit", "Terminierung")


@dataclass(frozen=True, slots=True)
class PostLine:
    """A post of the office as the plan's intro names it."""

    code: str
    title: str
    name: str | None
    vacant: bool


@dataclass(frozen=True, slots=True)
class TaskLine:
    """A bullet of section 1: its bold name within the whole text."""

    title: str
    description: str


@dataclass(frozen=True, slots=True)
class GremiumLine:
    """A row of the Gremien table: the name (with its parent as suffix) and ``IntB (L), Int1``."""

    name: str
    members: str


@dataclass(frozen=True, slots=True)
class ActivityLine:
    """A row of the activities table; ``terminierung`` verbatim."""

    number: int
    title: str
    responsible: str
    terminierung: str
    carried_from_year: int | None = None


@dataclass(frozen=True, slots=True)
class PlanExport:
    """Everything the year's plan document says."""

    year: int
    posts: tuple[PostLine, ...]
    tasks: tuple[TaskLine, ...]
    gremien: tuple[GremiumLine, ...]
    activities: tuple[ActivityLine, ...]

    @property
    def title(self) -> str:
        """``Arbeitsplan des Integrationsbüros … für 2025``."""
        return f"Arbeitsplan des {OFFICE} für {self.year}"

    @property
    def intro(self) -> str:
        """The sentence naming the posts (the importer reads titles and vacancies from it)."""
        named = [f"{'perspektivisch ' if p.vacant else ''}der {_genitive(p.title)} ({p.code}{' (V)' if p.vacant else ''})"
                 for p in self.posts]  # fmt: skip
        listed = ", ".join(named[:-1]) + (" und " if len(named) > 1 else "") + named[-1] if named else "des Büros"
        return (
            f"Der nachfolgende Arbeitsplan des {OFFICE} für {self.year} umfasst die zusammengefassten "
            f"Arbeitsvorhaben {listed}."
        )

    @property
    def filename_stem(self) -> str:
        """``arbeitsplan-2025``."""
        return f"arbeitsplan-{self.year}"


def _genitive(title: str) -> str:
    """``Integrationsbeauftragte`` → ``Integrationsbeauftragten`` (the importer reads it back)."""
    first, _, rest = title.partition(" ")
    return f"{first}n {rest}".strip() if first.endswith("te") else title


def plan_export(session: Session, year: int) -> PlanExport:
    """The plan of ``year`` from the database; NotFound naming ``year`` when it has none."""
    activities = list(
        session.scalars(
            select(Activity)
            .where(Activity.plan_year == year)
            .options(selectinload(Activity.responsible))
            .order_by(Activity.number)
        )
    )
    tasks = list(
        session.scalars(select(OngoingTask).where(OngoingTask.plan_year == year).order_by(OngoingTask.position))
    )
    if not activities and not tasks:
        raise NotFound(f"Für {year} gibt es keinen Arbeitsplan.", field="year")
    gremien = list(
        session.scalars(
            select(Gremium).options(selectinload(Gremium.memberships)).order_by(Gremium.position, Gremium.name)
        )
    )
    gremien = [g for g in gremien if g.memberships]
    used = {m.person_id for g in gremien for m in g.memberships}
    used |= {p.id for a in activities for p in a.responsible}
    persons = session.scalars(
        select(Person).where(Person.id.in_(used), Person.is_external.is_(False)).order_by(Person.id)
    )
    return PlanExport(
        year=year,
        posts=tuple(PostLine(p.code, p.title or p.code, p.name, p.vacant) for p in persons),
        tasks=tuple(TaskLine(t.title, t.description or t.title) for t in tasks),
        gremien=tuple(GremiumLine(_full_name(g), _members(g)) for g in gremien),
        activities=tuple(
            ActivityLine(
                a.number, a.title, ", ".join(p.code for p in a.responsible), _terminierung(a), a.carried_from_year
            )
            for a in activities
        ),
    )


def _terminierung(activity: Activity) -> str:
    """The text verbatim, unless it reads differently in this plan's year.

    A carried-over "IV. Quartal" meant IV. Quartal 2024 where it was written; in the 2025 plan
    the document says "im IV. Quartal 2024" so that reading it back keeps the meaning.
    """
    stored = Terminierung(
        activity.terminierung,
        tuple(FuzzyPeriod(p.start, p.end, Precision(p.precision), p.focus) for p in activity.periods),
        activity.ongoing,
        activity.tentative,
        activity.unscheduled,
    )
    if _reads_as(activity.terminierung, activity.plan_year, stored):
        return activity.terminierung
    label = stored.label()
    return label if _reads_as(label, activity.plan_year, stored) else activity.terminierung


def _reads_as(text: str, year: int, meaning: Terminierung) -> bool:
    try:
        read = parse_terminierung(text, year)
    except FuzzyDateError:
        return False
    flags = (read.ongoing, read.tentative, read.unscheduled)
    return flags == (meaning.ongoing, meaning.tentative, meaning.unscheduled) and read.periods == meaning.periods


def _full_name(gremium: Gremium) -> str:
    if gremium.parent is None:
        return gremium.name
    alias = next((short for short, full in PARENT_ALIASES.items() if full == gremium.parent.name), gremium.parent.name)
    return f"{gremium.name} ({alias})"


def _members(gremium: Gremium) -> str:
    ordered = sorted(gremium.memberships, key=lambda m: m.id or 0)
    return ", ".join(f"{m.person.code}{' (L)' if m.role == 'lead' else ''}" for m in ordered)


def task_segments(task: TaskLine) -> list[tuple[str, bool]]:
    """The bullet as ``(text, bold)`` pieces: the task's name bold where the text names it."""
    at = task.description.find(task.title)
    if at < 0:
        return [(task.title, True), (f" – {task.description}", False)]
    pieces = [
        (task.description[:at], False),
        (task.title, True),
        (task.description[at + len(task.title) :], False),
    ]
    return [(text, bold) for text, bold in pieces if text]


def plan_text(plan: PlanExport) -> str:
    """The plan as the importer's text form (what the office publishes, tables tab-separated)."""
    lines = [plan.title, ""]
    named = [p for p in plan.posts if p.name]
    if named:
        lines += [", ".join(p.code for p in named), f"Bearbeiter: innen: {', '.join(p.name or '' for p in named)}", ""]
    lines += [plan.intro, "", SECTION_1, ""]
    for task in plan.tasks:
        lines.append("- " + "".join(f"**{text}**" if bold else text for text, bold in task_segments(task)))
    lines += ["", SECTION_2, "", "\t".join(GREMIEN_HEAD)]
    lines += [f"{g.name}\t{g.members}" for g in plan.gremien]
    lines += ["", SECTION_3, "", "\t".join(ACTIVITY_HEAD)]
    lines += [f"{a.number}\t{a.title}\t{a.responsible}\t{a.terminierung}" for a in plan.activities]
    return "\n".join(lines) + "\n"
