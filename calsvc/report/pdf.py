"""The report as HTML (the page's template) and as an A4 PDF/UA rendered from it by WeasyPrint.

WeasyPrint reads only the app's own static files: any other URL is refused, so rendering a
PDF never reaches the network.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template

from calsvc.documents import PDF_OPTIONS

from .model import QuarterReport

__all__ = ["DOWNLOADS", "render_html", "render_pdf"]

DOWNLOADS = (("pdf", "PDF"), ("docx", "Word (DOCX)"), ("csv", "CSV (Excel)"))
BASE_URL = "http://calsvc.invalid/"


def render_html(report: QuarterReport, *, for_pdf: bool = False, issued: object = None) -> str:
    """The German report page (needs an app context); ``for_pdf`` leaves out navigation.

    ``issued`` (an IssuedReport) marks a live page of a report that has been issued since.
    """
    if not has_request_context():  # the CLI: links need a request to be built
        path = f"/bericht/{report.quarter.year}/Q{report.quarter.number}"
        with current_app.test_request_context(path):
            return render_html(report, for_pdf=for_pdf, issued=issued)
    return render_template("bericht.html", report=report, for_pdf=for_pdf, downloads=DOWNLOADS, issued=issued)


def render_pdf(report: QuarterReport) -> bytes:
    """A4 PDF of the report with page header, footer and "Seite X von Y"."""
    from weasyprint import HTML

    static = Path(current_app.static_folder or "static")
    html = HTML(string=render_html(report, for_pdf=True), base_url=BASE_URL, url_fetcher=_static_fetcher(static))
    pdf: bytes = html.write_pdf(**PDF_OPTIONS)  # tagged PDF/UA with /Lang and /Title
    return pdf


def _static_fetcher(static: Path) -> object:
    """A WeasyPrint URL fetcher that serves ``/static/…`` from ``static`` and nothing else."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = static.resolve()

    class StaticFetcher(URLFetcher):
        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            path = urlsplit(url).path
            if not url.startswith(BASE_URL) or not path.startswith("/static/"):
                raise ValueError(f"Externe Adresse im Bericht nicht erlaubt: {url}")
            target = (root / path.removeprefix("/static/")).resolve()
            if not target.is_file() or root not in target.parents:
                raise ValueError(f"Datei nicht gefunden: {path}")
            kind = "text/css" if target.suffix == ".css" else "application/octet-stream"
            return URLFetcherResponse(url, target.read_bytes(), {"Content-Type": kind})

    return StaticFetcher()
