"""No lost updates: version checks, If-Match parsing, true races (StaleDataError) become 409."""

from __future__ import annotations

from datetime import datetime

import pytest
from flask import Flask

from calsvc.db import session_scope
from calsvc.editing.series import create_series, update_series
from calsvc.editing.versions import StaleEdit, VersionRequired, parse_version, stale_guard
from calsvc.errors import ValidationError
from calsvc.models import MeetingSeries

NEW = {"title": "Runde", "dtstart": "2024-03-05T10:00", "duration_minutes": "60", "pattern": "weekly"}


def test_parse_version_accepts_etags_and_refuses_garbage() -> None:
    assert parse_version('"3"') == 3 and parse_version('W/"4"') == 4 and parse_version(5) == 5
    with pytest.raises(VersionRequired) as missing:
        parse_version(None, field="If-Match")
    assert missing.value.http_status == 428 and missing.value.field == "If-Match"
    with pytest.raises(ValidationError):
        parse_version('"abc"')


def test_stale_version_lists_what_changed_since(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        series = create_series(s, "a", NEW)
        update_series(s, "a", series, {"location": "Raum 1"}, 1)
        update_series(s, "b", series, {"title": "Runde neu"}, 2)
        with pytest.raises(StaleEdit) as err:
            update_series(s, "c", series, {"title": "Alt"}, 1)
    assert err.value.current_version == 3 and err.value.http_status == 409
    assert err.value.changes == {"location": ["", "Raum 1"], "title": ["Runde", "Runde neu"], "sequence": [0, 2]}


def test_a_true_race_between_two_writers_is_a_409_not_an_overwrite(app: Flask) -> None:
    with app.app_context(), session_scope(app) as s:
        series_id = create_series(s, "a", NEW).id
    factory = app.extensions["calsvc.sessionmaker"]
    first, second = factory(), factory()
    mine, theirs = first.get(MeetingSeries, series_id), second.get(MeetingSeries, series_id)
    assert mine is not None and theirs is not None
    update_series(second, "b", theirs, {"title": "Zuerst"}, 1)
    second.commit()
    mine.title = "Später"  # loaded at version 1 before the other commit
    with pytest.raises(StaleEdit), stale_guard():
        first.flush()
    first.rollback()
    assert first.get(MeetingSeries, series_id).title == "Zuerst"  # type: ignore[union-attr]
    first.close()
    second.close()


def test_validation_error_leaves_nothing_half_written(app: Flask) -> None:
    with app.app_context(), pytest.raises(ValidationError), session_scope(app) as s:
        series = create_series(s, "a", NEW)
        update_series(s, "a", series, {"dtstart": datetime(2024, 3, 6, 10).isoformat()}, 1)  # a Wednesday
    with app.app_context(), session_scope(app) as s:
        assert s.query(MeetingSeries).count() == 0


@pytest.mark.parametrize("raw", ["²", "３", "99999999999999999999", '"-1"', 'W/"1.5"'])
def test_odd_versions_are_a_422_naming_the_field(raw: str) -> None:
    """Finding 13 of the budget issue: ``If-Match: "²"`` was a 500."""
    with pytest.raises(ValidationError) as refused:
        parse_version(raw)
    assert refused.value.field == "version"
