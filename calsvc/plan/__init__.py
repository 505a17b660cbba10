"""Reading the office's yearly work plan (Arbeitsplan) and importing it into the database.

``parser`` is pure (text in, :class:`PlanDocument` out); ``importer`` writes it through a
session the caller owns; ``cli`` is the ``calsvc import-plan`` command.
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
