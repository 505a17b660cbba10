"""Parse the Arbeitsplan text as published into a :class:`PlanDocument` (pure, no I/O).

The plan has three sections, found by their headings: ``1. laufende Tätigkeiten`` (a bullet
list), ``2. Gremienarbeit`` (a tab-separated table ``Gremium<TAB>Leitung (L)/ Teilnahme``)
and ``3. geplante Aktivitäten`` (``Nr<TAB>Aktivität<TAB>Zuständigkeit<TAB>Terminierung``).
Prose outside the tables (cover letter, introductions) is ignored by design; only the header
facts of :mod:`.header` are read from it. Every non-empty table line the parser does not
understand becomes a :class:`PlanProblem` with its line number — nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .codes import KNOWN_POSTS
from .document import PersonRow, PlanDocument, PlanProblem
from .header import read_header
from .sections import parse_activities, parse_gremien, parse_ongoing_tasks

__all__ = ["SECTION_HEADINGS", "control_notes", "parse_plan", "plan_lines", "split_sections"]

SECTION_HEADINGS: dict[str, re.Pattern[str]] = {
    "tasks": re.compile(r"^\s*1\.\s+laufende\s+Tätigkeiten\b", re.IGNORECASE),
    "gremien": re.compile(r"^\s*2\.\s+Gremienarbeit\b", re.IGNORECASE),
    "activities": re.compile(r"^\s*3\.\s+geplante\s+Aktivitäten\b", re.IGNORECASE),
}
_SECTION_NAMES = {
    "tasks": "1. laufende Tätigkeiten",
    "gremien": "2. Gremienarbeit",
    "activities": "3. geplante Aktivitäten",
}

# A numbered line range: (first line number, lines); line numbers are 1-based.
Section = tuple[int, list[str]]


def split_sections(lines: Sequence[str]) -> tuple[Section, dict[str, Section]]:
    """The header (everything before the first heading) and each section after its heading."""
    starts = sorted((i, key) for i, line in enumerate(lines) for key, rx in SECTION_HEADINGS.items() if rx.match(line))
    first = starts[0][0] if starts else len(lines)
    sections: dict[str, Section] = {}
    for n, (i, key) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        sections.setdefault(key, (i + 2, list(lines[i + 1 : end])))
    return (1, list(lines[:first])), sections


def plan_lines(text: str) -> list[str]:
    """The plan's lines as an editor numbers them (index + 1 = line number), control characters removed.

    Tabs separate the table columns and stay; every other control character (NUL, BEL, ESC…
    as copy and paste from a PDF brings them) is removed, and :func:`control_notes` says where.
    """
    return [_CONTROLS.sub("", line) for line in _raw_lines(text)]


def control_notes(text: str) -> list[str]:
    """One German note per line that had control characters removed (for the import report)."""
    notes = []
    for line_no, line in enumerate(_raw_lines(text), start=1):
        found = sorted({f"U+{ord(c):04X}" for c in _CONTROLS.findall(line)})
        if found:
            notes.append(f"Zeile {line_no}: Steuerzeichen entfernt ({', '.join(found)})")
    return notes


_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # all Cc but tab (and the line breaks split on)


def _raw_lines(text: str) -> list[str]:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_plan(text: str, *, year: int | None = None) -> PlanDocument:
    """Everything the plan says; ``year`` overrides the year of the title (``… für 2024``)."""
    lines = plan_lines(text)
    (_, header_lines), sections = split_sections(lines)
    header = read_header(header_lines)
    problems: list[PlanProblem] = list(header.problems)
    plan_year = year or header.year
    if plan_year is None:
        problems.append(PlanProblem(0, "", "Planjahr nicht gefunden (Titel „… für 2024“) – bitte --year angeben"))
    for key, label in _SECTION_NAMES.items():
        if key not in sections:
            problems.append(PlanProblem(0, "", f"Abschnitt „{label}“ fehlt"))

    known = [*KNOWN_POSTS, *header.titles]
    vacant = set(header.vacant)
    gremien = parse_gremien(*sections.get("gremien", (0, [])), known=known, problems=problems, vacant=vacant)
    activities = parse_activities(*sections.get("activities", (0, [])), known=known, problems=problems, vacant=vacant)
    tasks = parse_ongoing_tasks(*sections.get("tasks", (0, [])), gremien=gremien, problems=problems)

    mentioned = [*header.titles, *header.names]
    mentioned += [code for g in gremien for code, _ in g.members]
    mentioned += [code for a in activities for code in a.responsible]
    persons = tuple(
        PersonRow(
            code=code,
            title=header.titles.get(code) or (KNOWN_POSTS[code].title if code in KNOWN_POSTS else code),
            name=header.names.get(code),
            vacant=code in vacant,
            external=code in KNOWN_POSTS and KNOWN_POSTS[code].external,
        )
        for code in dict.fromkeys(mentioned)
    )
    return PlanDocument(
        year=plan_year or 0,
        persons=persons,
        ongoing_tasks=tuple(tasks),
        gremien=tuple(gremien),
        activities=tuple(activities),
        problems=tuple(sorted(problems, key=lambda p: p.line_no)),
        notes=tuple(control_notes(text)),
    )
