"""The Arbeitsplan as an A4 PDF/UA (tagged, German, titled) rendered by WeasyPrint.

The template holds its styles inline and the fetcher refuses every URL, so rendering never
reaches the network or the file system.
"""

from __future__ import annotations

from flask import current_app, has_request_context, render_template

from calsvc.documents import PDF_OPTIONS

from .export import ACTIVITY_HEAD, GREMIEN_HEAD, SECTION_1, SECTION_2, SECTION_3, PlanExport, task_segments

__all__ = ["render_plan_html", "render_plan_pdf"]


def render_plan_html(plan: PlanExport) -> str:
    """The plan as one standalone German HTML document (needs an app context)."""
    if not has_request_context():  # the CLI: the template's context processors need a request
        with current_app.test_request_context("/"):
            return render_plan_html(plan)
    return render_template(
        "arbeitsplan.html",
        plan=plan,
        sections=(SECTION_1, SECTION_2, SECTION_3),
        gremien_head=GREMIEN_HEAD,
        activity_head=ACTIVITY_HEAD,
        segments=task_segments,
    )


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"Externe Adresse im Arbeitsplan nicht erlaubt: {url}")


def render_plan_pdf(plan: PlanExport) -> bytes:
    """A4 PDF/UA bytes of the plan."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_plan_html(plan), url_fetcher=_no_fetch).write_pdf(**PDF_OPTIONS)
    return pdf
