"""The quarterly progress report (Abarbeitungsstand) as of its date: builder, history, issued reports, renderers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .builder import build_quarter_report
from .model import QuarterReport
from .quarter import Quarter, parse_quarter

__all__ = ["FORMATS", "Format", "Quarter", "QuarterReport", "build_quarter_report", "parse_quarter", "render"]


@dataclass(frozen=True, slots=True)
class Format:
    """A download format: file suffix, Content-Type and the renderer producing its bytes."""

    suffix: str
    mimetype: str
    render: Callable[[QuarterReport], bytes]


def _html(report: QuarterReport) -> bytes:
    from .pdf import render_html

    return render_html(report).encode("utf-8")


def _pdf(report: QuarterReport) -> bytes:
    from .pdf import render_pdf

    return render_pdf(report)


def _csv(report: QuarterReport) -> bytes:
    from .csv_export import render_csv

    return render_csv(report)


def _docx(report: QuarterReport) -> bytes:
    from .docx_export import render_docx

    return render_docx(report)


FORMATS: dict[str, Format] = {
    "pdf": Format("pdf", "application/pdf", _pdf),
    "csv": Format("csv", "text/csv; charset=utf-8", _csv),
    "docx": Format("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", _docx),
    "html": Format("html", "text/html; charset=utf-8", _html),
}


def render(report: QuarterReport, fmt: str) -> bytes:
    """The report's bytes in ``fmt`` (pdf, csv, docx, html); HTML and PDF need an app context."""
    return FORMATS[fmt].render(report)
