"""The quarterly report pages: ``/bericht/<yyyy>/Q<n>`` and its PDF, CSV and DOCX downloads."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, redirect, url_for

from calsvc.db import get_session
from calsvc.errors import ValidationError
from calsvc.report import FORMATS, Quarter, build_quarter_report
from calsvc.report.pdf import render_html
from calsvc.schedule.walltime import BERLIN

from .errors import abort_not_found

__all__ = ["bp"]

bp = Blueprint("bericht", __name__, url_prefix="/bericht")

DOWNLOAD_FORMATS = ("pdf", "csv", "docx")


def _quarter(year: int, number: int) -> Quarter:
    """The requested quarter, or a friendly 404 listing the quarters that exist."""
    try:
        return Quarter(year, number)
    except ValidationError as exc:
        valid_year = year if exc.field != "year" else _today().year
        choices = [(f"/bericht/{valid_year}/Q{n}", Quarter(valid_year, n).label) for n in range(1, 5)]
        abort_not_found(f"Diesen Bericht gibt es nicht: {exc.message}", choices)
        raise  # abort_not_found always raises; this keeps type checkers content


def _today() -> date:
    return datetime.now(BERLIN).date()


@bp.get("/")
def index() -> Any:
    """The report of the current quarter."""
    current = Quarter.containing(_today())
    return redirect(url_for("bericht.quarter", year=current.year, number=current.number))


@bp.get("/<int:year>/Q<int:number>")
def quarter(year: int, number: int) -> Any:
    """The Abarbeitungsstand of plan year ``year`` at the end of quarter ``number`` (German page)."""
    q = _quarter(year, number)
    return render_html(build_quarter_report(get_session(), q.year, q.number))


@bp.get("/<int:year>/Q<int:number>.<fmt>")
def download(year: int, number: int, fmt: str) -> Any:
    """The same report as a PDF, CSV or DOCX download named ``abarbeitungsstand-2024-Q2.<fmt>``."""
    q = _quarter(year, number)
    if fmt not in DOWNLOAD_FORMATS:
        choices = [(f"/bericht/{q.year}/Q{q.number}.{f}", FORMATS[f].mimetype) for f in DOWNLOAD_FORMATS]
        abort_not_found(f"Das Format „{fmt}“ gibt es nicht.", choices)
    report = build_quarter_report(get_session(), q.year, q.number)
    spec = FORMATS[fmt]
    filename = f"{report.filename_stem}.{spec.suffix}"
    return Response(
        spec.render(report),
        mimetype=spec.mimetype.split(";")[0],
        content_type=spec.mimetype,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-cache"},
    )
