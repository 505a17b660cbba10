"""The report as a Word document (python-docx): real tables the office pastes into its BA-Vorlage."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import fields, is_dataclass, replace
from datetime import date, datetime
from typing import TypeVar, cast

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from calsvc.documents import german_docx

from .model import QuarterReport

__all__ = ["render_docx"]

ACTIVITY_COLUMNS = (("Nr.", 1.0), ("Aktivität", 6.2), ("Zuständigkeit", 2.3), ("Terminierung", 3.2),
                    ("Stand", 4.3))  # fmt: skip
GREMIUM_COLUMNS = (("Gremium", 6.4), ("Leitung", 2.0), ("statt\u00adgefunden", 1.9), ("geplant", 1.7),
                   ("verlegt", 1.7), ("abgesagt", 1.9), ("gesamt", 1.4))  # fmt: skip


_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
T = TypeVar("T")


def xml_safe(value: T) -> T:
    """``value`` (the report, its rows, their texts) without the characters XML 1.0 cannot hold.

    New input with control characters is refused when saved; older rows may still have them, and
    python-docx refuses them with an exception: one such title must not make the report a 500.
    """
    if isinstance(value, str):
        return cast(T, _NOT_IN_XML.sub("", value))
    if isinstance(value, tuple | list):
        return cast(T, type(value)(xml_safe(item) for item in value))
    if is_dataclass(value) and not isinstance(value, type):
        return cast(T, replace(value, **{f.name: xml_safe(getattr(value, f.name)) for f in fields(value) if f.init}))
    return value


def _day(value: date | datetime | None) -> str:
    return f"{value:%d.%m.%Y}" if value else ""


def render_docx(report: QuarterReport) -> bytes:
    """The .docx bytes: A4, title, activity table, Gremien table, lists, page numbers."""
    report = xml_safe(report)
    document = Document()
    _page_setup(document, report)
    document.add_heading(report.title, level=1)
    document.add_paragraph(
        f"Integrationsbüro Marzahn-Hellersdorf · Berichtszeitraum {_day(report.quarter.first_day)}–"
        f"{_day(report.quarter.last_day)} · Stand {_day(report.as_of)}"
    )
    document.add_heading("Geplante Aktivitäten (Abschnitt 3 des Arbeitsplans)", level=2)
    rows = [
        (str(a.number), a.title, a.responsible_text, a.terminierung, _stand(a.status, a.status_day, a.note, a.overdue))
        for a in report.activities
    ]
    _table(document, ACTIVITY_COLUMNS, rows)
    counts = ", ".join(f"{n} {status}" for status, n in report.status_counts.items() if n)
    document.add_paragraph(f"Zusammen {len(report.activities)} Aktivitäten: {counts or 'keine'}.")

    document.add_heading("Überfällige Aktivitäten", level=2)
    _bullets(document, [f"{a.number}. {a.title} ({a.terminierung}; {a.status})" for a in report.overdue])
    document.add_heading(f"Fällig im {report.quarter.next().label}", level=2)
    _bullets(document, [f"{a.number}. {a.title} ({a.terminierung})" for a in report.due_next_quarter])

    document.add_heading("Gremiensitzungen im Quartal", level=2)
    gremien = report.gremien_with_meetings
    _table(
        document,
        GREMIUM_COLUMNS,
        [
            (g.name, g.leads_text, str(g.held), str(g.planned), str(g.moved), str(g.cancelled), str(g.total))
            for g in gremien
        ],
    )
    for g in gremien:
        for m in g.changed_meetings:
            moved = f" (statt {_day(m.original_start)})" if m.original_start else ""
            document.add_paragraph(f"{g.name}: {_day(m.start)} {m.state}{moved}", style="List Bullet")
    if report.gremien_without_meetings:
        names = ", ".join(g.name for g in report.gremien_without_meetings)
        document.add_paragraph(f"Ohne erfasste Sitzung im Quartal: {names}.")
    if report.has_example_meetings:
        document.add_paragraph("Hinweis: Die Sitzungstermine enthalten Beispieldaten der Demo.")

    document.add_heading("Änderungen am Arbeitsplan im Quartal", level=2)
    _bullets(
        document,
        [
            f"{c.at:%d.%m.%Y} {c.source}{f' ({c.actor})' if c.actor else ''}: {'; '.join((c.text, *c.details))}"
            for c in report.changes
        ],
    )
    german_docx(document, report.title)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _stand(status: str, day: date | None, note: str, overdue: bool) -> str:
    text = status + (f" (Stand {_day(day)})" if day else "")
    if overdue:
        text += " – überfällig"
    return f"{text}: {note}" if note else text


def _page_setup(document: DocxDocument, report: QuarterReport) -> None:
    """A4 portrait, 2 cm margins, 10 pt text, title in the header, "Seite X von Y" in the footer."""
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(1.8)
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    section.header.paragraphs[0].text = f"Integrationsbüro Marzahn-Hellersdorf · {report.title}"
    footer = section.footer.paragraphs[0]
    footer.add_run("Seite ")
    _field(footer, "PAGE")
    footer.add_run(" von ")
    _field(footer, "NUMPAGES")


def _field(paragraph: Paragraph, name: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the page."""
    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), name)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _table(document: DocxDocument, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]]) -> Table:
    """A bordered table whose header row repeats on every page."""
    table = document.add_table(rows=1, cols=len(columns), style="Table Grid")
    table.autofit = False
    header = table.rows[0]
    _repeat_header(header._tr)
    for cell, (title, width) in zip(header.cells, columns, strict=True):
        cell.width = Cm(width)
        cell.paragraphs[0].add_run(title).bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, value, (_title, width) in zip(cells, values, columns, strict=True):
            cell.width = Cm(width)
            cell.text = value
    return table


def _repeat_header(tr: CT_Row) -> None:
    properties = tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _bullets(document: DocxDocument, lines: Sequence[str]) -> None:
    if not lines:
        document.add_paragraph("keine")
    for line in lines:
        document.add_paragraph(line, style="List Bullet")
