"""``/arbeitsplan/<jahr>.docx|.pdf``: the year's Arbeitsplan as the Bezirksamt's Vorlage needs it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from calsvc.db import get_session
from calsvc.errors import NotFound
from calsvc.plan.export import plan_export
from calsvc.plan.pdf import render_plan_pdf
from calsvc.plan.word import render_plan_docx

from .errors import abort_not_found

__all__ = ["FORMATS", "bp"]

bp = Blueprint("arbeitsplan", __name__, url_prefix="/arbeitsplan")

FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", render_plan_docx),
    "pdf": ("application/pdf", render_plan_pdf),
}


@bp.get("/<int:year>.<fmt>")
def download(year: int, fmt: str) -> Any:
    """The plan of ``year`` as DOCX or PDF (German, tagged), named ``arbeitsplan-<jahr>.<fmt>``."""
    if fmt not in FORMATS:
        abort_not_found(
            f"Das Format „{fmt}“ gibt es nicht.", [(f"/arbeitsplan/{year}.{f}", f.upper()) for f in FORMATS]
        )
    try:
        plan = plan_export(get_session(), year)
    except NotFound as exc:
        abort_not_found(exc.message)
        raise
    mimetype, render = FORMATS[fmt]
    return Response(
        render(plan),
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{plan.filename_stem}.{fmt}"',
            "Cache-Control": "no-cache",
        },
    )
