"""Conflicts and free time: who is double-booked, what falls on a holiday, when everyone is free.

``sweep`` finds conflicts in a set of occurrences (pure), ``availability`` those with absences and
outside appointments (pure), ``slots`` finds free slots (pure), ``proposals`` validates a meeting
someone wants to plan, ``service`` runs them over the database through the one occurrence
engine, ``digest``/``entries`` turn the conflicts into entries worth reading (one per clash, a
hint per vacant post, acknowledgements), and ``cli`` is ``calsvc conflicts``.
"""

from .proposals import Proposal, ProposalInput, parse_proposal
from .service import ConflictSettings, ProposedOccurrenceResult, check_proposal, conflicts_in_window, free_slots
from .slots import WorkHours, find_free_slots
from .sweep import Conflict, Vacancy, find_conflicts

__all__ = [
    "Conflict",
    "ConflictSettings",
    "Proposal",
    "ProposalInput",
    "ProposedOccurrenceResult",
    "Vacancy",
    "WorkHours",
    "check_proposal",
    "conflicts_in_window",
    "find_conflicts",
    "find_free_slots",
    "free_slots",
    "parse_proposal",
]
