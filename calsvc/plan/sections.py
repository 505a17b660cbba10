"""The three sections of the plan: bullets of ongoing tasks, the Gremien and activities tables."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from calsvc.models.slugs import slugify

from .codes import CodeRef, UnknownPersonCodeError, read_person_codes
from .document import ActivityRow, GremiumRow, OngoingTaskRow, PlanProblem
from .rules import gremium_level, split_parent, task_gremium
from .text import clean_cell

__all__ = ["parse_activities", "parse_gremien", "parse_ongoing_tasks"]

_BULLET = re.compile(r"^\s*(?:[-•–]|\*(?!\*))\s+")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_NUMBER = re.compile(r"^\d{1,3}\.?$")


def parse_ongoing_tasks(
    first_line: int, lines: list[str], *, gremien: Iterable[GremiumRow], problems: list[PlanProblem]
) -> list[OngoingTaskRow]:
    """Bullets of section 1; a line right under a bullet continues it, other prose is skipped."""
    bullets: list[tuple[int, str]] = []
    previous_blank = True
    for offset, line in enumerate(lines):
        if _BULLET.match(line):
            bullets.append((first_line + offset, _BULLET.sub("", line, count=1)))
        elif line.strip() and bullets and not previous_blank:
            bullets[-1] = (bullets[-1][0], f"{bullets[-1][1]} {line.strip()}")
        previous_blank = not line.strip()
    by_name = {g.name: g.slug for g in gremien}
    tasks = []
    for position, (line_no, raw) in enumerate(bullets, start=1):
        if raw.count("**") % 2:
            problems.append(PlanProblem(line_no, lines[line_no - first_line], "Fettdruck (**) nicht geschlossen"))
            continue
        description = clean_cell(raw.replace("**", ""))
        bold = list(_BOLD.finditer(raw))
        if bold:
            title = clean_cell(raw[bold[0].start() : bold[-1].end()].replace("**", ""))
        else:
            title = description.split(" (", 1)[0][:120]
        tasks.append(OngoingTaskRow(position, title, description, line_no, task_gremium(title, by_name)))
    return tasks


def _codes(cell: str, line_no: int, line: str, known: list[str], problems: list[PlanProblem]) -> list[CodeRef] | None:
    """The codes of a cell, or ``None`` after recording why they could not be read."""
    try:
        refs = read_person_codes(cell, known)
    except UnknownPersonCodeError as exc:
        problems.append(PlanProblem(line_no, line, exc.message))
        return None
    if not refs:
        problems.append(PlanProblem(line_no, line, "Keine Person angegeben"))
        return None
    if len({r.code for r in refs}) != len(refs):
        problems.append(PlanProblem(line_no, line, "Person doppelt angegeben"))
        return None
    return refs


def _table_lines(
    first_line: int, lines: list[str], header: str, problems: list[PlanProblem], label: str
) -> list[tuple[int, str]]:
    """The non-empty lines after the table's header row; tab lines before it are problems."""
    rows: list[tuple[int, str]] = []
    seen_header = False
    for offset, line in enumerate(lines):
        line_no = first_line + offset
        if not line.strip():
            continue
        if seen_header:
            rows.append((line_no, line))
        elif line.split("\t", 1)[0].strip().lower().startswith(header):
            seen_header = "\t" in line
        elif "\t" in line:
            problems.append(PlanProblem(line_no, line, f"Tabellenzeile vor der Kopfzeile der {label}"))
    if lines and not seen_header:
        problems.append(PlanProblem(first_line - 1, "", f"Kopfzeile der {label} nicht gefunden"))
    return rows


def parse_gremien(
    first_line: int, lines: list[str], *, known: list[str], problems: list[PlanProblem], vacant: set[str]
) -> list[GremiumRow]:
    """Rows ``Gremium<TAB>Leitung (L)/ Teilnahme`` of section 2."""
    cells: list[tuple[int, str, str, str]] = []
    for line_no, line in _table_lines(first_line, lines, "gremium", problems, "Gremientabelle"):
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != 2 or not all(parts):
            problems.append(PlanProblem(line_no, line, "Erwartet: Gremium<TAB>Leitung (L)/ Teilnahme"))
            continue
        cells.append((line_no, line, clean_cell(parts[0]), parts[1]))
    all_names = [name for _, _, name, _ in cells]
    rows: list[GremiumRow] = []
    slugs: set[str] = set()
    for line_no, line, full_name, members_cell in cells:
        name, parent = split_parent(full_name, all_names)
        refs = _codes(members_cell, line_no, line, known, problems)
        slug = slugify(name)
        if parent is not None and parent not in all_names:
            problems.append(PlanProblem(line_no, line, f"Übergeordnetes Gremium „{parent}“ fehlt im Plan"))
        elif slug in slugs:
            problems.append(PlanProblem(line_no, line, f"Gremium „{name}“ doppelt"))
        elif refs is not None:
            slugs.add(slug)
            vacant.update(r.code for r in refs if r.vacant)
            members = tuple((r.code, r.lead) for r in refs)
            rows.append(GremiumRow(len(rows) + 1, name, slug, gremium_level(name).value, parent, members, line_no))
    return rows


@dataclass(slots=True)
class _PendingRow:
    line_no: int
    line: str
    text: str
    bad: bool = False
    lines: list[str] = field(default_factory=list)


def parse_activities(
    first_line: int, lines: list[str], *, known: list[str], problems: list[PlanProblem], vacant: set[str]
) -> list[ActivityRow]:
    """Rows ``Nr<TAB>Aktivität<TAB>Zuständigkeit<TAB>Terminierung``, also split over lines."""
    pending: list[_PendingRow] = []
    for line_no, line in _table_lines(first_line, lines, "lfd", problems, "Aktivitätentabelle"):
        cells = line.split("\t")
        first = cells[0].strip()
        if _NUMBER.match(first) and len(cells) >= 2:
            pending.append(_PendingRow(line_no, line, line.strip()))
        elif len(cells) >= 4:
            problems.append(PlanProblem(line_no, line, f"Ungültige laufende Nummer „{first}“"))
            pending.append(_PendingRow(line_no, line, "", bad=True))
        elif not pending:
            problems.append(PlanProblem(line_no, line, "Zeile gehört zu keiner Aktivität"))
        else:
            row = pending[-1]
            glue = "" if row.text.endswith("\t") or line.startswith("\t") else " "
            row.text = f"{row.text}{glue}{line.strip(' ')}"
    rows: list[ActivityRow] = []
    numbers: set[int] = set()
    for row in pending:
        if row.bad:
            continue
        cells = [c.strip() for c in row.text.split("\t")]
        if len(cells) != 4 or not all(cells):
            problems.append(
                PlanProblem(row.line_no, row.line, "Erwartet: Nr<TAB>Aktivität<TAB>Zuständigkeit<TAB>Terminierung")
            )
            continue
        number = int(cells[0].rstrip("."))
        refs = _codes(cells[2], row.line_no, row.line, known, problems)
        if number in numbers:
            problems.append(PlanProblem(row.line_no, row.line, f"Laufende Nummer {number} doppelt"))
        elif refs is not None:
            numbers.add(number)
            vacant.update(r.code for r in refs if r.vacant)
            terminierung = " ".join(cells[3].split())
            responsible = tuple(r.code for r in refs)
            rows.append(ActivityRow(number, clean_cell(cells[1]), responsible, terminierung, row.line_no))
    return rows
