"""Import a work plan into the database: check everything first, then write it in one go.

The caller owns the session and its transaction (``session_scope`` commits); the import runs
inside a SAVEPOINT, so an error — or ``dry_run`` — leaves the database exactly as it was.
Re-importing the same text changes nothing (no ``sequence`` rises, no differences).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from calsvc.conflicts.digest import VacancyHint
from calsvc.errors import FuzzyDateError, ValidationError
from calsvc.fuzzydates import Terminierung, parse_terminierung
from calsvc.models import Activity, Gremium, OngoingTask, Person, PlanImport

from .document import PlanDocument, PlanProblem
from .parser import parse_plan, plan_lines
from .report import ImportReport
from .sync import sync_activities, sync_gremien, sync_ongoing_tasks, sync_persons

__all__ = ["CheckedPlan", "PlanImportError", "check_plan", "import_plan"]


class PlanImportError(ValidationError):
    """The plan has lines that cannot be read; carries all of them, nothing was written."""

    code = "invalid_plan"

    def __init__(self, problems: tuple[PlanProblem, ...], document: PlanDocument | None = None) -> None:
        count = len(problems)
        lines = "Zeile konnte" if count == 1 else "Zeilen konnten"
        super().__init__(f"{count} {lines} nicht gelesen werden; nichts wurde gespeichert.", field="plan")
        self.problems = problems
        self.document = document

    def format(self) -> str:
        """The message plus every problem with its line number."""
        return "\n".join([self.message, *(problem.format() for problem in self.problems)])


@dataclass(frozen=True, slots=True)
class CheckedPlan:
    """A parsed plan with every Terminierung read, and all problems of both steps."""

    document: PlanDocument
    terminierungen: Mapping[int, Terminierung]
    problems: tuple[PlanProblem, ...]


def check_plan(text: str, *, year: int | None = None) -> CheckedPlan:
    """Parse the plan and read each activity's Terminierung; touches no database."""
    document = parse_plan(text, year=year)
    lines = plan_lines(text)
    problems = list(document.problems)
    terms: dict[int, Terminierung] = {}
    for row in document.activities if document.year else ():
        try:
            terms[row.number] = parse_terminierung(row.terminierung, document.year)
        except FuzzyDateError as exc:
            message = f"Terminierung „{row.terminierung}“ nicht lesbar: „{exc.part}“"
            problems.append(PlanProblem(row.line_no, lines[row.line_no - 1], message))
    problems.extend(_too_long(document, lines))
    problems.sort(key=lambda p: p.line_no)
    return CheckedPlan(document, terms, tuple(problems))


def _too_long(document: PlanDocument, lines: list[str]) -> list[PlanProblem]:
    """Texts longer than their column: PostgreSQL refuses them (a crash), SQLite would keep them."""
    found: list[PlanProblem] = []

    def check(line_no: int, what: str, value: str | None, column: Any) -> None:
        limit = column.type.length
        if value is not None and len(value) > limit:
            line = lines[line_no - 1] if line_no else ""
            found.append(PlanProblem(line_no, line, f"{what} ist länger als {limit} Zeichen ({len(value)})"))

    for g in document.gremien:
        check(g.line_no, "Name des Gremiums", g.name, Gremium.name)
    for a in document.activities:
        check(a.line_no, "Terminierung", a.terminierung, Activity.terminierung)
    for t in document.ongoing_tasks:
        check(t.line_no, "Titel der Tätigkeit", t.title, OngoingTask.title)
    for p in document.persons:
        check(0, f"Kürzel „{p.code[:40]}“", p.code, Person.code)
        check(0, f"Bezeichnung von {p.code[:40]}", p.title, Person.title)
        check(0, f"Name von {p.code[:40]}", p.name, Person.name)
    return found


def vacancy_hints(document: PlanDocument) -> list[str]:
    """One line per vacant post of the plan that belongs to Gremien ("Int2 ist unbesetzt und …")."""
    hints: list[str] = []
    for person in document.persons:
        if not person.vacant:
            continue
        member_of = tuple(g.name for g in document.gremien if any(code == person.code for code, _ in g.members))
        leads = tuple(g.name for g in document.gremien if (person.code, True) in g.members)
        if member_of:
            hints.append(VacancyHint(person.code, member_of, leads).message)
    return hints


def import_plan(
    session: Session,
    text: str,
    *,
    year: int | None = None,
    source: str = "Arbeitsplan",
    dry_run: bool = False,
) -> ImportReport:
    """Bring the database in line with the plan; raises :class:`PlanImportError` before writing."""
    checked = check_plan(text, year=year)
    if checked.problems:
        raise PlanImportError(checked.problems, checked.document)
    document = checked.document
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    report = ImportReport(year=document.year, source=source, sha256=digest, dry_run=dry_run)
    report.leads = document.lead_count
    report.notes = list(document.notes)
    report.hints = vacancy_hints(document)
    savepoint = session.begin_nested()
    try:
        persons = sync_persons(session, document, report)
        gremien = sync_gremien(session, document, persons, report)
        sync_activities(session, document, checked.terminierungen, persons, report)
        sync_ongoing_tasks(session, document, gremien, report)
        if not dry_run:
            summary = json.dumps(report.summary(), ensure_ascii=False)
            session.add(PlanImport(plan_year=document.year, source=source[:300], sha256=digest, summary=summary))
        session.flush()
    except BaseException:
        savepoint.rollback()
        raise
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    return report
