"""Fuzzing the plan's readers: they succeed or raise their documented errors, and never write half.

Inputs are arbitrary text and mutations of the real 2024 plan (lines deleted, duplicated,
swapped, tabs, garbage and unicode injected, newline styles, BOM) and of its real
Terminierung texts. Budget: ``CALSVC_FUZZ_EXAMPLES`` (see ``tests/fuzz_support.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from calsvc.admin.backup import dump
from calsvc.db import session_scope
from calsvc.errors import FuzzyDateError, ValidationError
from calsvc.fuzzydates import YEAR_MAX, YEAR_MIN, parse_terminierung
from calsvc.plan.importer import CheckedPlan, PlanImportError, check_plan, import_plan
from calsvc.plan.parser import plan_lines

from .fuzz_support import PLAN_TEXT, TERMINIERUNGEN, fuzz_settings, mutated_plan, mutated_text

# ---------------------------------------------------------------- fuzzy dates


def check_terminierung(text: str, plan_year: int = 2024) -> None:
    """Parse or FuzzyDateError; a result is a sane set of periods."""
    try:
        term = parse_terminierung(text, plan_year)
    except FuzzyDateError as exc:
        assert exc.text is not None and isinstance(exc.part, str) and exc.message
        return
    assert term.raw == text
    assert term.unscheduled == (term.periods == ())
    for period in term.periods:
        assert period.start <= period.end
        assert period.start.year >= YEAR_MIN - 1 and period.end.year <= YEAR_MAX + 1
    assert isinstance(term.label(), str) and term.label()


def test_the_real_terminierungen_were_found() -> None:
    assert len(TERMINIERUNGEN) >= 15
    assert "II. Quartal 2024, fortlaufend" in TERMINIERUNGEN


@fuzz_settings(2)
@given(st.sampled_from(TERMINIERUNGEN).flatmap(mutated_text))
@example("II. Quartal 2024\x00, fortlaufend")
@example("März/April 2099999999999")
@example("18. März 2024" + "\u0301" * 5)
@example("İI. Quartal 2024")  # "İ".lower() is two characters: was a ValueError
@example("ıı. Quartal 2024")
def test_mutated_plan_terminierungen_parse_or_raise_fuzzydateerror(text: str) -> None:
    check_terminierung(text)


@fuzz_settings()
@given(
    st.sampled_from(TERMINIERUNGEN),
    st.sampled_from(TERMINIERUNGEN),
    st.sampled_from([" ", ", ", " und ", " bis ", "/"]),
)
def test_two_real_terminierungen_joined_parse_or_raise(a: str, b: str, joiner: str) -> None:
    check_terminierung(a + joiner + b)


@fuzz_settings()
@given(st.sampled_from(TERMINIERUNGEN).flatmap(mutated_text), st.integers(-10_000, 10_000))
def test_any_plan_year_parses_or_raises(text: str, year: int) -> None:
    check_terminierung(text, year)


# ---------------------------------------------------------------- plan parser (pure)


def check_checked_plan(text: str) -> CheckedPlan | None:
    """check_plan never raises anything but ValidationError; its problems point at real lines."""
    try:
        checked = check_plan(text)
    except ValidationError:
        return None
    lines = plan_lines(text)
    for problem in checked.problems:
        assert 0 <= problem.line_no <= len(lines), problem
        if problem.line_no and problem.line:  # a missing table header names its section's line, no text
            assert problem.line == lines[problem.line_no - 1], problem
        assert problem.message and isinstance(problem.format(), str)
    doc = checked.document
    if not checked.problems:
        assert doc.year and set(checked.terminierungen) == {a.number for a in doc.activities}
        assert len({g.slug for g in doc.gremien}) == len(doc.gremien), "duplicate Gremium slugs accepted"
        assert len({a.number for a in doc.activities}) == len(doc.activities), "duplicate activity numbers"
    return checked


@fuzz_settings()
@given(st.text())
def test_arbitrary_text_is_checked_without_surprises(text: str) -> None:
    check_checked_plan(text)


@fuzz_settings(2)
@given(mutated_plan())
def test_mutated_plan_is_checked_without_surprises(text: str) -> None:
    check_checked_plan(text)


def test_the_unmutated_plan_checks_clean() -> None:
    checked = check_checked_plan(PLAN_TEXT)
    assert checked is not None and not checked.problems


# ---------------------------------------------------------------- importer on a database


@pytest.fixture
def planned(app: Flask) -> Iterator[Flask]:
    """The app with the real plan imported (the state every mutated import starts from)."""
    with app.app_context(), session_scope(app) as session:
        import_plan(session, PLAN_TEXT)
    yield app


def snapshot(session: Session) -> dict[str, Any]:
    return dump(session)["tables"]


def plan_data(session: Session) -> dict[str, Any]:
    """Every table but the import log and the write counter."""
    return {name: rows for name, rows in snapshot(session).items() if name not in {"plan_import", "data_version"}}


@fuzz_settings(0.5, db=True)
@given(mutated_plan())
def test_mutated_plan_imports_completely_or_writes_nothing(planned: Flask, text: str) -> None:
    """Each example runs in a transaction that is rolled back, so all start from the real plan."""
    engine = planned.extensions["calsvc.engine"]
    with engine.connect() as conn:
        outer = conn.begin()
        session = Session(bind=conn, join_transaction_mode="create_savepoint")
        try:
            before = snapshot(session)
            try:
                report = import_plan(session, text)
            except PlanImportError as exc:
                assert exc.problems and exc.format()
                assert snapshot(session) == before, "a failed import changed the database"
                return
            except ValidationError as exc:  # documented, but must still leave no trace
                assert snapshot(session) == before, f"import failed with {exc!r} and changed the database"
                return
            # It worked: importing the same text again changes no plan data (the importer's contract).
            imported = plan_data(session)
            again = import_plan(session, text)
            assert not again.changed, (report.format(), again.format())
            assert plan_data(session) == imported
        finally:
            session.close()
            outer.rollback()


def test_texts_longer_than_their_columns_are_plan_problems(planned: Flask) -> None:
    """PostgreSQL refuses a 400-character Gremium name (SQLite would keep it): refuse it on both."""
    text = PLAN_TEXT.replace("AG Soziale Infrastruktur\tIntB", "AG Soziale Infrastruktur" + "x" * 400 + "\tIntB")
    with planned.app_context(), session_scope(planned) as session:
        before = snapshot(session)
    with pytest.raises(PlanImportError) as err, planned.app_context(), session_scope(planned) as session:
        import_plan(session, text)
    assert "Name des Gremiums ist länger als 300 Zeichen (424)" in err.value.format()
    with planned.app_context(), session_scope(planned) as session:
        assert snapshot(session) == before
