"""Quarters as the report names them (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from calsvc.errors import ValidationError
from calsvc.report.quarter import Quarter, parse_quarter


def test_second_quarter_has_its_days_label_and_neighbours() -> None:
    q = Quarter(2024, 2)
    assert (q.first_day, q.last_day, q.end) == (date(2024, 4, 1), date(2024, 6, 30), date(2024, 7, 1))
    assert q.label == "II. Quartal 2024" and q.code == "2024-Q2"
    assert q.next() == Quarter(2024, 3) and q.previous() == Quarter(2024, 1)
    assert q.contains(date(2024, 6, 30)) and not q.contains(date(2024, 7, 1))


def test_year_boundaries_roll_over() -> None:
    assert Quarter(2024, 4).next() == Quarter(2025, 1)
    assert Quarter(2024, 1).previous() == Quarter(2023, 4)
    assert Quarter(2024, 4).last_day == date(2024, 12, 31)
    assert Quarter.containing(date(2024, 11, 5)) == Quarter(2024, 4)


@pytest.mark.parametrize("text", ["Q2", "q2", "2", " Q2 "])
def test_parse_accepts_the_usual_spellings(text: str) -> None:
    assert parse_quarter("2024", text) == Quarter(2024, 2)


@pytest.mark.parametrize(
    ("year", "quarter", "field"),
    [
        ("2024", "Q5", "quarter"),
        ("2024", "Q0", "quarter"),
        ("2024", "zwei", "quarter"),
        ("zwanzig", "Q1", "year"),
        ("1800", "Q1", "year"),
    ],
)
def test_parse_rejects_bad_input_in_german_naming_the_field(year: str, quarter: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_quarter(year, quarter)
    assert caught.value.field == field
    assert "Quartal" in caught.value.message or "Jahr" in caught.value.message
