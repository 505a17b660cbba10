"""Hypothesis settings and strategies shared by the fuzz tests: bounded budget, real-plan mutations.

``CALSVC_FUZZ_EXAMPLES`` sets the examples per fuzz test (default small enough for every CI
run; raise it for a long local session, e.g. ``CALSVC_FUZZ_EXAMPLES=5000``).
"""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

__all__ = ["FUZZ", "PLAN_LINES", "PLAN_TEXT", "TERMINIERUNGEN", "fuzz_settings", "mutated_plan", "mutated_text"]

PLAN_TEXT = (Path(__file__).resolve().parents[1] / "calsvc/data/arbeitsplan-integrationsbuero-2024.txt").read_text(
    encoding="utf-8"
)
PLAN_LINES = PLAN_TEXT.split("\n")
TERMINIERUNGEN = tuple(
    dict.fromkeys(line.split("\t")[3] for line in PLAN_LINES if line[:1].isdigit() and line.count("\t") == 3)
)
FUZZ_EXAMPLES = int(os.environ.get("CALSVC_FUZZ_EXAMPLES", "60"))


def fuzz_settings(share: float = 1.0, *, db: bool = False) -> settings:
    """A bounded budget: ``share`` of CALSVC_FUZZ_EXAMPLES, no deadline (CI machines are slow)."""
    checks = [HealthCheck.too_slow, HealthCheck.data_too_large]
    if db:
        checks.append(HealthCheck.function_scoped_fixture)  # each example restores its own state
    return settings(
        max_examples=max(1, int(FUZZ_EXAMPLES * share)),
        deadline=None,
        suppress_health_check=checks,
        print_blob=True,
    )


FUZZ = fuzz_settings()

# Characters the plan's parsers treat specially, plus hostile ones.
NASTY = [
    "\t", "\n", "\r", "\r\n", "\x00", "\x0b", "\x0c", "\u00ad", "\u200b", "\u2028", "\ufeff", "\u202e", "**",
    "(", ")", "(L)", "(V)", " - ", "–", "/", ".", ",", ":", ";", "\\", "„", "“", "0", "9", "31.", "13.",
    "2024", "99999999999999999999", "Quartal", "IV.", "KW", "bis", "und", "Int1", "IntB", "Int 2", "ä", "ß",
    "😀", "שלום", "ﷺ", "İ", "ǅ", "Ⅳ", "٣", "²", "½", "𝟚",
]  # fmt: skip


@st.composite
def mutated_text(draw: st.DrawFn, base: str, max_edits: int = 4) -> str:
    """``base`` with a few character-level edits: delete, insert nasty/arbitrary text, swap, case."""
    text = base
    for _ in range(draw(st.integers(1, max_edits))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 6)))
        op = draw(st.sampled_from(["delete", "insert", "replace", "swap", "case", "duplicate"]))
        piece = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=4)))
        if op == "delete":
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + piece + text[i:]
        elif op == "replace":
            text = text[:i] + piece + text[j:]
        elif op == "swap":
            text = text[i:j] + text[:i] + text[j:]
        elif op == "case":
            text = text[:i] + text[i:j].swapcase() + text[j:]
        else:
            text = text[:j] + text[i:j] + text[j:]
    return text


@st.composite
def mutated_plan(draw: st.DrawFn, max_edits: int = 5) -> str:
    """The real 2024 plan with line edits: delete, duplicate, swap, tabs, garbage, unicode, truncation."""
    lines = list(PLAN_LINES)
    for _ in range(draw(st.integers(1, max_edits))):
        n = len(lines)
        i = draw(st.integers(0, n - 1))
        op = draw(
            st.sampled_from(["delete", "duplicate", "swap", "tab", "garbage", "edit", "truncate", "cells", "blank"])
        )
        if op == "delete" and n > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            k = draw(st.integers(0, n - 1))
            lines[i], lines[k] = lines[k], lines[i]
        elif op == "tab":
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.sampled_from(["\t", "\t\t", " \t ", "\t\t\t\t"])) + lines[i][pos:]
        elif op == "garbage":
            lines.insert(i, draw(st.text(max_size=60)))
        elif op == "edit":
            lines[i] = draw(mutated_text(lines[i], max_edits=3))
        elif op == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "cells":  # swap two tab cells of a table row
            cells = lines[i].split("\t")
            if len(cells) > 1:
                a, b = draw(st.integers(0, len(cells) - 1)), draw(st.integers(0, len(cells) - 1))
                cells[a], cells[b] = cells[b], cells[a]
                lines[i] = "\t".join(cells)
        elif op == "blank":
            lines.insert(i, draw(st.sampled_from(["", " ", "\t", "\r"])))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    return draw(st.sampled_from(["", "\ufeff"])) + newline.join(lines)
