"""Importing the plan: counts, idempotency, reported differences, and all-or-nothing writes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from calsvc.db import make_engine
from calsvc.migrate import upgrade
from calsvc.models import Activity, Gremium, Membership, OngoingTask, Person, PlanImport, Role
from calsvc.plan import importer
from calsvc.plan.importer import PlanImportError, import_plan

from .support import database_url_for_test, drop_test_database

PLAN = (Path(__file__).resolve().parents[1] / "calsvc/data/arbeitsplan-integrationsbuero-2024.txt").read_text(
    encoding="utf-8"
)

Factory = sessionmaker[Session]


@pytest.fixture
def factory(tmp_path: Path) -> Iterator[Factory]:
    """A fresh migrated database (SQLite, or the test server's PostgreSQL) and a session factory."""
    url = database_url_for_test(tmp_path)
    engine = make_engine(url)
    upgrade(engine)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()
    drop_test_database(url)


@pytest.fixture
def imported(factory: Factory) -> Factory:
    with factory.begin() as session:
        import_plan(session, PLAN, source="test")
    return factory


def count(factory: Factory, model: type) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def changed_plan(edit: Callable[[list[str]], None]) -> str:
    lines = PLAN.split("\n")
    edit(lines)
    return "\n".join(lines)


def test_first_import_writes_the_whole_plan(factory: Factory) -> None:
    with factory.begin() as session:
        report = import_plan(session, PLAN, source="test")
    assert (report.gremien.created, report.activities.created, report.persons.created) == (29, 25, 4)
    assert report.ongoing_tasks.created == 13
    assert report.leads == 5
    assert report.differences == []  # a first import only counts
    with factory() as session:
        assert session.scalar(select(func.count()).where(Membership.role == Role.LEAD.value)) == 5
        persons = {p.code: p for p in session.scalars(select(Person))}
        assert persons["Int2"].vacant and persons["SozL"].is_external
        assert persons["IntB"].name == "Irina Warkentin"
        ag = session.scalar(select(Gremium).where(Gremium.slug == "ag-frauen-und-integration"))
        assert (
            ag is not None and ag.parent is not None and ag.parent.slug == "beirat-fuer-partizipation-und-integration"
        )
        a23 = session.scalar(select(Activity).where(Activity.number == 23))
        assert a23 is not None and a23.plan_year == 2024 and a23.periods
        assert sorted(p.code for p in a23.responsible) == ["Int1", "Int2"]
        unscheduled = session.scalar(select(Activity).where(Activity.number == 15))
        assert unscheduled is not None and unscheduled.unscheduled and not unscheduled.periods
        task = session.scalar(select(OngoingTask).where(OngoingTask.position == 2))
        assert task is not None and task.gremium is not None and task.gremium.slug == "jour-fixe-der-laf-unterkuenfte"
        run = session.scalars(select(PlanImport)).one()
        assert run.plan_year == 2024 and len(run.sha256) == 64
        assert json.loads(run.summary)["gremien"]["created"] == 29


def test_reimporting_the_same_plan_changes_nothing(imported: Factory) -> None:
    with imported.begin() as session:
        report = import_plan(session, PLAN, source="test")
    assert not report.changed
    assert report.differences == []
    assert (report.gremien.unchanged, report.activities.unchanged, report.persons.unchanged) == (29, 25, 4)
    assert "Keine Änderungen." in report.format()
    with imported() as session:
        assert session.scalars(select(Activity.sequence)).all() == [0] * 25
    assert count(imported, PlanImport) == 2


def test_changed_plan_reports_exactly_the_differences(imported: Factory) -> None:
    with imported.begin() as session:
        a14 = session.scalars(select(Activity).where(Activity.number == 14)).one()
        a14.status = "in Arbeit"

    def edit(lines: list[str]) -> None:
        lines[:] = [line for line in lines if not line.startswith("20\t")]
        lines[:] = [line.replace("\tSeptember 2024", "\tOktober 2024") for line in lines]
        lines[:] = [line + ", IntB" if line.startswith("Fachgruppe Wohnungsnot\t") else line for line in lines]

    with imported.begin() as session:
        report = import_plan(session, changed_plan(edit), source="test")
    assert report.differences == [
        "Gremium „Fachgruppe Wohnungsnot“: IntB neu (Teilnahme)",
        "Aktivität 14: Terminierung „September 2024“ → „Oktober 2024“",
        "Aktivität 20 „Berichterstattung Antisemitismusprävention im Bezirk 2024“ entfernt (nicht mehr im Plan)",
    ]
    assert (report.activities.updated, report.activities.removed, report.gremien.updated) == (1, 1, 1)
    with imported() as session:
        sequences = {n: s for n, s in session.execute(select(Activity.number, Activity.sequence))}
        assert 20 not in sequences
        assert sequences[14] == 1 and sum(sequences.values()) == 1
        a14 = session.scalars(select(Activity).where(Activity.number == 14)).one()
        assert a14.terminierung == "Oktober 2024" and a14.status == "in Arbeit"
        assert a14.periods[0].start.month == 10


def test_user_edits_of_persons_survive_and_missing_gremien_are_kept(imported: Factory) -> None:
    with imported.begin() as session:
        int2 = session.scalars(select(Person).where(Person.code == "Int2")).one()
        int2.email = "int2@example.org"
        session.add(Gremium(slug="eigenes-gremium", name="Eigenes Gremium"))
    with imported.begin() as session:
        report = import_plan(session, PLAN, source="test")
    assert report.gremien.kept == 1
    assert report.differences == ["Gremium „Eigenes Gremium“ steht nicht mehr im Plan (bleibt erhalten)"]
    with imported() as session:
        int2 = session.scalars(select(Person).where(Person.code == "Int2")).one()
        assert int2.email == "int2@example.org" and int2.vacant
    assert count(imported, Gremium) == 30


def test_dry_run_reports_but_writes_nothing(factory: Factory) -> None:
    with factory.begin() as session:
        report = import_plan(session, PLAN, source="test", dry_run=True)
    assert report.gremien.created == 29 and report.dry_run
    assert "Probelauf" in report.format()
    for model in (Person, Gremium, Activity, OngoingTask, PlanImport):
        assert count(factory, model) == 0


def test_unreadable_lines_raise_with_line_numbers_and_write_nothing(imported: Factory) -> None:
    def edit(lines: list[str]) -> None:
        lines[lines.index(next(x for x in lines if x.startswith("14\t")))] = "14\tTage\tIntB\tirgendwann einmal"
        lines[lines.index(next(x for x in lines if x.startswith("Fachgruppe Wohnungsnot")))] += ", Int9"

    with pytest.raises(PlanImportError) as info, imported.begin() as session:
        import_plan(session, changed_plan(edit), source="test")
    problems = info.value.problems
    assert [p.line_no for p in problems] == [130, 155]
    assert "Int9" in problems[0].message
    assert "Terminierung „irgendwann einmal“ nicht lesbar" in problems[1].message
    assert "Zeile 155:" in info.value.format()
    assert count(imported, PlanImport) == 1


def test_error_mid_import_leaves_the_database_unchanged(imported: Factory, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*_args: object) -> None:
        raise RuntimeError("Absturz mitten im Import")

    monkeypatch.setattr(importer, "sync_ongoing_tasks", explode)
    text = changed_plan(lambda lines: lines.__setitem__(slice(None), [x for x in lines if not x.startswith("20\t")]))
    # the caller even carries on and commits its transaction
    with imported.begin() as session, pytest.raises(RuntimeError):
        import_plan(session, text, source="test")
    assert count(imported, Activity) == 25
    assert count(imported, PlanImport) == 1
    with imported() as session:
        assert session.scalars(select(Activity.sequence)).all() == [0] * 25


def test_control_characters_are_removed_from_an_import_and_reported(factory: Factory) -> None:
    """Finding 12 of the budget issue: control characters are stripped on import, with a note."""
    dirty = PLAN.replace("Jour fixe der LAF-Unterkünfte", "Jour\x07 fixe der LAF-Unterkünfte", 1).replace(
        "Jour fixe der Flüchtlingskoordinator", "Jour\x1b fixe der Flüchtlingskoordinator", 1
    )
    with factory.begin() as s:
        report = import_plan(s, dirty, source="test")
        names = {g.name for g in s.scalars(select(Gremium))}
    assert not any("\x07" in n or "\x1b" in n for n in names)
    assert "Jour fixe der LAF-Unterkünfte" in names
    assert len(report.notes) == 2 and all("Steuerzeichen entfernt" in note for note in report.notes)
    assert "U+0007" in report.notes[0] or "U+0007" in report.notes[1]
