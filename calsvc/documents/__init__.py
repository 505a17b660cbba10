"""Documents for publication, shared by the quarterly report and the Arbeitsplan.

``publication``: Word files declare German (de-DE), PDFs are written tagged as PDF/UA-1.
"""

from .publication import LANGUAGE, PDF_OPTIONS, german_docx

__all__ = ["LANGUAGE", "PDF_OPTIONS", "german_docx"]
