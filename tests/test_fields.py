"""Field validators shared by forms and the API: clean values or a 422 naming the field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from calsvc.editing import fields
from calsvc.errors import ValidationError


def test_clean_values() -> None:
    data = {"t": "  Raum 2.14 ", "n": "90", "m": "2024-03-14T14:00:30", "d1": "14.03.2024", "d2": "2024-03-14",
            "b": "on", "c": "lead"}  # fmt: skip
    assert fields.text(data, "t") == "Raum 2.14" and fields.text(data, "missing") == ""
    assert fields.integer(data, "n", lo=5, hi=1440) == 90
    assert fields.integer(data, "missing", lo=0, hi=1, required=False) is None
    assert fields.moment(data, "m") == datetime(2024, 3, 14, 14, 0)
    assert fields.day(data, "d1") == fields.day(data, "d2") == date(2024, 3, 14)
    assert fields.boolean(data, "b") is True and fields.boolean(data, "missing") is False
    assert fields.choice(data, "c", ("lead", "member")) == "lead"
    assert fields.choice({}, "c", ("lead", "member"), default="member") == "member"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: fields.text({"t": ""}, "t", required=True), "t"),
        (lambda: fields.text({"t": 5}, "t"), "t"),
        (lambda: fields.text({"t": "x" * 301}, "t"), "t"),
        (lambda: fields.integer({"n": "viel"}, "n", lo=0, hi=9), "n"),
        (lambda: fields.integer({"n": True}, "n", lo=0, hi=9), "n"),
        (lambda: fields.integer({"n": "10"}, "n", lo=0, hi=9), "n"),
        (lambda: fields.integer({}, "n", lo=0, hi=9), "n"),
        (lambda: fields.moment({"m": "2024-03-14T14:00+01:00"}, "m"), "m"),
        (lambda: fields.moment({"m": "1800-01-01T10:00"}, "m"), "m"),
        (lambda: fields.moment({}, "m"), "m"),
        (lambda: fields.day({"d": "31.02.2024"}, "d"), "d"),
        (lambda: fields.boolean({"b": "vielleicht"}, "b"), "b"),
        (lambda: fields.choice({"c": "chef"}, "c", ("lead",)), "c"),
    ],
)
def test_errors_name_the_field(call: Any, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        call()
    assert err.value.field == field and err.value.http_status == 422
