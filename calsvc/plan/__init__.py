"""The office's yearly work plan (Arbeitsplan): reading, importing, plans per year, the document.

``parser`` is pure (text in, :class:`PlanDocument` out); ``word`` turns a .docx into that text
and writes the plan as DOCX; ``importer`` writes a plan through a session the caller owns;
``years`` carries a plan over into the next year; ``export``/``pdf`` produce the plan document;
``cli`` holds ``calsvc import-plan``, ``new-plan`` and ``export-plan``.
"""

from __future__ import annotations

from .codes import UnknownPersonCodeError, normalize_person_codes
from .document import (
    ActivityRow,
    GremiumRow,
    OngoingTaskRow,
    PersonRow,
    PlanDocument,
    PlanProblem,
)
from .parser import parse_plan
from .text import join_soft_hyphens

__all__ = [
    "ActivityRow",
    "GremiumRow",
    "OngoingTaskRow",
    "PersonRow",
    "PlanDocument",
    "PlanProblem",
    "UnknownPersonCodeError",
    "join_soft_hyphens",
    "normalize_person_codes",
    "parse_plan",
]
