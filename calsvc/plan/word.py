"""The Arbeitsplan as a Word file, and any plan .docx read back into the importer's text form.

Writing: title, intro, the three numbered sections — 1. bullets with the task's name in bold,
2. the Gremien table (Gremium | Leitung (L)/ Teilnahme), 3. the activities table
(lfd. Nr. | Aktivität | Zuständigkeit | Terminierung) — in German (de-DE) for the
Bezirksamt's Vorlage.

Reading: paragraphs and tables in document order become lines (table cells joined by tabs,
list paragraphs as ``- `` bullets with bold runs as ``**…**``), so one parser reads text and
Word alike. Offices write plans with Word's own numbering, so a heading or a table cell
numbered by Word (no number in its text) gets its number back.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator, Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from calsvc.documents import german_docx
from calsvc.errors import ValidationError

from .export import ACTIVITY_HEAD, GREMIEN_HEAD, SECTION_1, SECTION_2, SECTION_3, PlanExport, task_segments

__all__ = ["MAX_DOCX_BYTES", "docx_to_text", "render_plan_docx"]

MAX_DOCX_BYTES = 10 * 1024 * 1024
_SECTION_WORDS = (
    (re.compile(r"^laufende\s+Tätigkeiten\b", re.IGNORECASE), "1."),
    (re.compile(r"^Gremienarbeit\b", re.IGNORECASE), "2."),
    (re.compile(r"^geplante\s+Aktivitäten\b", re.IGNORECASE), "3."),
)


def render_plan_docx(plan: PlanExport) -> bytes:
    """The plan as .docx bytes: A4, Arial 10 pt, real tables, German."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    document.styles["Normal"].font.name = "Arial"
    document.styles["Normal"].font.size = Pt(10)
    section.header.paragraphs[0].text = f"Bezirksamt Marzahn-Hellersdorf von Berlin · Arbeitsplan {plan.year}"
    document.add_heading(plan.title, level=1)
    named = [p for p in plan.posts if p.name]
    if named:
        document.add_paragraph(", ".join(p.code for p in named))
        document.add_paragraph(f"Bearbeiter: innen: {', '.join(p.name or '' for p in named)}")
    document.add_paragraph(plan.intro)
    document.add_heading(SECTION_1, level=2)
    for task in plan.tasks:
        bullet = document.add_paragraph(style="List Bullet")
        for text, bold in task_segments(task):
            bullet.add_run(text).bold = bold or None
    document.add_heading(SECTION_2, level=2)
    _table(document, GREMIEN_HEAD, [(g.name, g.members) for g in plan.gremien], (12.0, 5.0))
    document.add_heading(SECTION_3, level=2)
    carried = [a for a in plan.activities if a.carried_from_year]
    if carried:  # before the table: a line after it would read as part of the last row
        numbers = ", ".join(str(a.number) for a in carried)
        document.add_paragraph(f"Aus dem Arbeitsplan {carried[0].carried_from_year} übernommen: Nr. {numbers}.")
    rows = [(str(a.number), a.title, a.responsible, a.terminierung) for a in plan.activities]
    _table(document, ACTIVITY_HEAD, rows, (1.5, 8.5, 3.0, 4.0))
    german_docx(document, plan.title)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(
    document: DocxDocument, head: tuple[str, ...], rows: Sequence[tuple[str, ...]], widths: tuple[float, ...]
) -> None:
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    header = table.rows[0]._tr.get_or_add_trPr()  # repeat the header row on every page
    repeat = header.makeelement(qn("w:tblHeader"), {})
    header.append(repeat)
    for values in rows:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Cm(width)


def docx_to_text(content: bytes) -> str:
    """The plan's lines from a .docx (paragraphs and tables in order); ValidationError naming ``file`` if unreadable."""
    if len(content) > MAX_DOCX_BYTES:
        raise ValidationError(f"Die Word-Datei ist größer als {MAX_DOCX_BYTES // (1024 * 1024)} MB.", field="file")
    try:
        document = Document(io.BytesIO(content))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ValidationError(f"Keine lesbare Word-Datei (.docx): {exc}", field="file") from None
    return "\n".join(_lines(document)) + "\n"


def _lines(document: DocxDocument) -> Iterator[str]:
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            yield _paragraph_line(block)
        elif isinstance(block, Table):
            yield ""
            yield from _table_lines(block)
            yield ""


def _paragraph_line(paragraph: Paragraph) -> str:
    text = paragraph.text.strip()
    for pattern, number in _SECTION_WORDS:  # "Gremienarbeit" numbered by Word itself
        if pattern.match(text):
            return f"{number} {text}"
    if _is_list(paragraph) and text:
        return "- " + _marked_bold(paragraph)
    return text


def _is_list(paragraph: Paragraph) -> bool:
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    numbered = paragraph._p.pPr is not None and paragraph._p.pPr.numPr is not None
    return style.lower().startswith(("list", "liste", "aufzählung")) or numbered


def _marked_bold(paragraph: Paragraph) -> str:
    """The paragraph's text with bold runs as ``**…**`` (neighbouring bold runs joined)."""
    out: list[str] = []
    bold_open = False
    for run in paragraph.runs:
        bold = bool(run.bold) and bool(run.text.strip())
        if bold != bold_open:
            out.append("**")
            bold_open = bold
        out.append(run.text)
    if bold_open:
        out.append("**")
    return "".join(out).strip()


def _table_lines(table: Table) -> Iterator[str]:
    counter = 0
    for index, row in enumerate(table.rows):
        cells = [" ".join(c.text.split()) for c in row.cells]
        if index and _numbered_by_word(row.cells[0]) and not cells[0]:
            counter += 1
            cells[0] = str(counter)
        yield "\t".join(cells)


def _numbered_by_word(cell: object) -> bool:
    paragraphs = getattr(cell, "paragraphs", [])
    return any(p._p.pPr is not None and p._p.pPr.numPr is not None for p in paragraphs)
