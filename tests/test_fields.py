"""Field types of the input models, shared by forms and the API: clean values or a 422 naming the field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import pytest
from pydantic import create_model

from calsvc import inputs as t
from calsvc.editing.schemas import SeriesInput, validate
from calsvc.errors import ValidationError

from .editing_support import make_token, make_user


def one(rule: t.Rule, data: dict[str, Any], name: str, default: Any = ...) -> Any:
    """``data[name]`` validated by ``rule`` through a one-field model (``...``: the field is required)."""
    probe = create_model("Probe", **{name: (Annotated[Any, rule], default)})
    return getattr(validate(probe, data), name)


def test_clean_values() -> None:
    data = {
        "t": "  Raum 2.14 ",
        "n": "90",
        "m": "2024-03-14T14:00:30",
        "d1": "14.03.2024",
        "d2": "2024-03-14",
        "b": "on",
        "c": "lead",
        "j": 60,
    }
    assert one(t.text(), data, "t") == "Raum 2.14" and one(t.text(), data, "missing", "") == ""
    assert one(t.integer(lo=5, hi=1440), data, "n") == 90 and one(t.integer(lo=5, hi=1440), data, "j") == 60
    assert one(t.integer(lo=0, hi=1, required=False), data, "missing", None) is None
    assert one(t.integer(lo=0, hi=1, required=False), {"n": ""}, "n") is None
    assert one(t.moment(), data, "m") == datetime(2024, 3, 14, 14, 0)
    assert one(t.day(), data, "d1") == one(t.day(), data, "d2") == date(2024, 3, 14)
    assert one(t.boolean(), data, "b") is True and one(t.boolean(), data, "missing", False) is False
    assert one(t.boolean(), {"b": ""}, "b") is False and one(t.boolean(), {"b": True}, "b") is True
    assert one(t.choice(("lead", "member")), data, "c") == "lead"
    assert one(t.choice(("lead", "member"), default="member"), {}, "c", "member") == "member"
    assert one(t.choice(("lead", "member"), default="member"), {"c": ""}, "c") == "member"
    assert one(t.codes(), {"r": "IntB, Int1,,IntB"}, "r") == ["IntB", "Int1"]


@pytest.mark.parametrize(
    ("rule", "data", "field"),
    [
        (t.text(required=True), {"t": ""}, "t"),
        (t.text(), {"t": 5}, "t"),
        (t.text(), {"t": "x" * 301}, "t"),
        (t.integer(lo=0, hi=9), {"n": "viel"}, "n"),
        (t.integer(lo=0, hi=9), {"n": True}, "n"),
        (t.integer(lo=0, hi=9), {"n": "10"}, "n"),
        (t.integer(lo=0, hi=9), {}, "n"),
        (t.integer(lo=0, hi=9), {"n": ""}, "n"),
        (t.moment(), {"m": "2024-03-14T14:00+01:00"}, "m"),
        (t.moment(), {"m": "1800-01-01T10:00"}, "m"),
        (t.moment(), {}, "m"),
        (t.day(), {"d": "31.02.2024"}, "d"),
        (t.boolean(), {"b": "vielleicht"}, "b"),
        (t.choice(("lead",)), {"c": "chef"}, "c"),
        (t.codes(), {"r": 5}, "r"),
    ],
)
def test_errors_name_the_field(rule: t.Rule, data: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        one(rule, data, field)
    assert err.value.field == field and err.value.http_status == 422
    assert "„" in err.value.message or "Datum" in err.value.message or "Ortszeit" in err.value.message  # German


def test_the_converter_keeps_the_messages_and_names_labels() -> None:
    with pytest.raises(ValidationError) as err:
        validate(SeriesInput, {"dtstart": "2024-01-01T10:00", "duration_minutes": 60})
    assert (err.value.field, err.value.message) == ("title", "„Titel“ fehlt.")
    with pytest.raises(ValidationError) as err:
        validate(SeriesInput, {"title": "x", "dtstart": "{message} {0}", "duration_minutes": 60})
    assert err.value.field == "dtstart" and err.value.message.startswith("„{message} {0}“ ist kein Zeitpunkt")
    with pytest.raises(ValidationError) as err:
        validate(SeriesInput, {"title": "x", "dtstart": "2024-01-01T10:00", "duration_minutes": "4"})
    assert (err.value.field, err.value.message) == ("duration_minutes", "„Dauer“ muss zwischen 5 und 1440 liegen.")


def test_the_api_answers_a_bad_field_with_422_naming_it_in_german(client: Any, run_cli: Any) -> None:
    make_user(run_cli)
    auth = {"Authorization": f"Bearer {make_token(run_cli)}"}
    bad = client.post("/api/v1/persons", json={"code": "Int9", "vacant": "vielleicht"}, headers=auth)
    assert bad.status_code == 422
    assert bad.json["error"] == {"code": "invalid", "message": "„vacant“ muss ja oder nein sein.", "field": "vacant"}
    missing = client.post("/api/v1/series", json={"title": "Jour fixe", "dtstart": "2024-01-11T14:00"}, headers=auth)
    assert missing.status_code == 422
    assert missing.json["error"] == {"code": "invalid", "message": "„Dauer“ fehlt.", "field": "duration_minutes"}
    code = client.post("/api/v1/persons", json={"code": "9 Leben"}, headers=auth)
    assert code.status_code == 422 and code.json["error"]["field"] == "code"
    assert code.json["error"]["message"].startswith("Das Kürzel besteht aus Buchstaben")
