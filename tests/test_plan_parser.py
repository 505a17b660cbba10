"""The work-plan parser against the real 2024 plan and against deliberately broken lines."""

from __future__ import annotations

import pytest

from calsvc.plan import (
    UnknownPersonCodeError,
    join_soft_hyphens,
    normalize_person_codes,
    parse_plan,
)
from calsvc.plan.document import PlanDocument

from .conftest import PLAN_FILE


def plan_text() -> str:
    """The published 2024 plan, as the package ships it."""
    return PLAN_FILE.read_text(encoding="utf-8")


@pytest.fixture
def plan() -> PlanDocument:
    return parse_plan(plan_text())


def test_2024_plan_counts(plan: PlanDocument) -> None:
    assert plan.year == 2024
    assert plan.problems == ()
    assert len(plan.gremien) == 29
    assert plan.lead_count == 5
    assert len(plan.activities) == 25
    assert [a.number for a in plan.activities] == list(range(1, 26))
    assert len(plan.ongoing_tasks) == 13  # the plan lists 13 bullets in section 1


def test_2024_plan_leads(plan: PlanDocument) -> None:
    leads = {(g.name, code) for g in plan.gremien for code in g.leads}
    assert leads == {
        ("Beirat für Partizipation und Integration", "IntB"),
        ("Vernetzungsrunde Integrationspolitik", "IntB"),
        ("Vernetzungsrunde Migrationsdienste (MSD, MBE, JMD)", "IntB"),
        ("Jour fixe der LAF-Unterkünfte", "Int1"),
        ("Fachrunde Migrationssozialdienst", "IntB"),
    }


def test_2024_plan_persons(plan: PlanDocument) -> None:
    persons = {p.code: p for p in plan.persons}
    assert set(persons) == {"IntB", "Int1", "Int2", "SozL"}
    assert persons["IntB"].name == "Irina Warkentin"
    assert persons["IntB"].title == "Integrationsbeauftragte"
    assert persons["Int1"].name == "Anne Jerzak"
    assert persons["Int1"].title == "Koordinatorin für Flüchtlingsfragen"
    assert persons["Int2"].vacant and persons["Int2"].name is None
    assert persons["Int2"].title == "Koordinator:in für Flüchtlingsfragen"
    assert persons["SozL"].external and not persons["SozL"].vacant
    assert not any(p.external for code, p in persons.items() if code != "SozL")


def test_2024_plan_codes_are_normalised(plan: PlanDocument) -> None:
    by_number = {a.number: a for a in plan.activities}
    assert by_number[2].responsible == ("IntB", "Int1")  # "IntB, Int 1"
    assert by_number[7].responsible == ("Int1", "SozL")  # "Int1, Soz L"
    assert by_number[25].responsible == ("Int1", "IntB", "Int2")  # "Int 2"
    by_name = {g.name: g for g in plan.gremien}
    assert by_name["Fachgruppe Wohnungsnot"].members == (("Int1", False), ("Int2", False))
    assert by_name["Arbeitskreis Kinderschutz"].members == (("Int1", False), ("Int2", False))
    assert by_name["Jour fixe der Ehrenamtskoordinator:innen der LAF-Unterkünfte"].members[0] == ("Int1", False)


def test_2024_plan_soft_hyphens_are_joined(plan: PlanDocument) -> None:
    by_number = {a.number: a for a in plan.activities}
    assert by_number[23].title == (
        "Leitung der Koordinierungsrunde der bezirklichen Flüchtlingskoordinator:innen "
        "(Marzahn-Hellersdorf als gastgebender Bezirk)"
    )
    assert by_number[22].title == "Überarbeitung und Neuauflage der bezirklichen „Willkommens-Broschüre“"
    assert by_number[22].terminierung == "III. und IV. Quartal (in Klärung)"


def test_2024_plan_levels_and_parents(plan: PlanDocument) -> None:
    land = {g.name for g in plan.gremien if g.level == "überbezirklich"}
    assert land == {
        "Koordinierungsrunde der Flüchtlingskoordinator:innen aller Bezirke",
        "Jour fixe der Flüchtlingskoordinator:innen bei SenASGIVA",
        "Beirat Landesrahmenprogramm Integrationslotsen",
        "Bezirkskoordinatoren-Treffen Integrationslotsen",
        "PartMig-Konferenzen bei SenASGIVA",
        "Landesbeirat für Integrations- und Migrationsfragen",
        "Landesarbeitsgemeinschaft der Beauftragten für PartInt",
    }
    children = {g.name: g.parent_name for g in plan.gremien if g.parent_name}
    assert children == {
        "AG Nachbarschaften und Vielfalt": "Beirat für Partizipation und Integration",
        "AG Frauen und Integration": "Beirat für Partizipation und Integration",
    }
    slugs = [g.slug for g in plan.gremien]
    assert len(set(slugs)) == 29
    assert "jour-fixe-der-laf-unterkuenfte" in slugs
    assert "Expert:innenaustauschrunde vietn. Asylbewerber:innen" in {g.name for g in plan.gremien}


def test_2024_plan_ongoing_tasks(plan: PlanDocument) -> None:
    tasks = plan.ongoing_tasks
    assert tasks[0].title == "Geschäftsführung des Beirates für Partizipation und Integration"
    assert tasks[0].gremium_slug == "beirat-fuer-partizipation-und-integration"
    assert tasks[0].description.startswith(
        "Geschäftsführung des Beirates für Partizipation und Integration (inkl. Vor- und"
    )
    assert "**" not in tasks[0].description
    assert tasks[1].title == "LAF-Jour fixe"
    assert tasks[1].gremium_slug == "jour-fixe-der-laf-unterkuenfte"
    assert tasks[11].title == (
        "Weiterbildung zu diversen fachspezifischen Themen sowie zur Erweiterung der arbeitsrelevanten Kompetenzen"
    )
    assert [t.gremium_slug for t in tasks[2:]] == [None] * 11
    assert [t.position for t in tasks] == list(range(1, 14))


def test_year_argument_overrides_the_title() -> None:
    assert parse_plan(plan_text(), year=2025).year == 2025


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Int 1", [("Int1", False)]),
        ("Int1", [("Int1", False)]),
        ("Int1/ Int2", [("Int1", False), ("Int2", False)]),
        ("Int1 / Int2", [("Int1", False), ("Int2", False)]),
        ("IntB (L)", [("IntB", True)]),
        ("IntB (L), Int1, Int2", [("IntB", True), ("Int1", False), ("Int2", False)]),
        ("Int 2", [("Int2", False)]),
        ("Soz L", [("SozL", False)]),
        ("Int2 (V)", [("Int2", False)]),
        ("IntB, Int1 (L), Int2", [("IntB", False), ("Int1", True), ("Int2", False)]),
    ],
)
def test_normalize_person_codes(cell: str, expected: list[tuple[str, bool]]) -> None:
    assert normalize_person_codes(cell) == expected


def test_unknown_person_code_is_an_error_not_dropped() -> None:
    with pytest.raises(UnknownPersonCodeError) as info:
        normalize_person_codes("IntB, Int7, Foo")
    assert info.value.codes == ("Int7", "Foo")
    assert "Int7" in info.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Flüchtlings- koordinator:innen", "Flüchtlingskoordinator:innen"),
        ("Marzahn- Hellersdorf", "Marzahn-Hellersdorf"),
        ("„Willkommens- Broschüre“", "„Willkommens-Broschüre“"),
        ("Vor- und Nachbereitung", "Vor- und Nachbereitung"),
        ("Integrations- oder Migrationsfragen", "Integrations- oder Migrationsfragen"),
        ("Projekt „CoNTeS“ - Vielfaltszirkel", "Projekt „CoNTeS“ - Vielfaltszirkel"),
        ("2024- 2025", "2024- 2025"),
        ("Fachberatung und -begleitung", "Fachberatung und -begleitung"),
    ],
)
def test_join_soft_hyphens(text: str, expected: str) -> None:
    assert join_soft_hyphens(text) == expected


MINI_PLAN = """Arbeitsplan des Integrationsbüros für 2025

1. laufende Tätigkeiten

- **Geschäftsführung des Beirates für Partizipation und Integration** (inkl. Sitzungen)

2. Gremienarbeit

Gremium\tLeitung (L)/ Teilnahme
Beirat für Partizipation und Integration\tIntB (L), Int 1
{gremium_line}

3. geplante Aktivitäten

lfd. Nr.\tAktivität\tZuständigkeit\tTerminierung
1\tErste Aktivität\tIntB\tApril 2025
{activity_line}
3\tLeitung der Runde der Flüchtlings-

koordinator:innen (Marzahn-\tInt1, Soz L\tIV. Quartal
"""


def mini(
    gremium_line: str = "AG Frauen und Integration (Beirat PartInt)\tIntB",
    activity_line: str = "2\tZweite Aktivität\tInt2 (V)\tnoch zu klären",
) -> str:
    return MINI_PLAN.format(gremium_line=gremium_line, activity_line=activity_line)


def test_mini_plan_reads_split_rows_and_year() -> None:
    doc = parse_plan(mini())
    assert doc.problems == ()
    assert doc.year == 2025
    assert [g.name for g in doc.gremien] == ["Beirat für Partizipation und Integration", "AG Frauen und Integration"]
    third = doc.activities[2]
    assert third.title == "Leitung der Runde der Flüchtlingskoordinator:innen (Marzahn-"
    assert third.responsible == ("Int1", "SozL")
    assert third.line_no == 18
    assert doc.person("Int2") is not None and doc.person("Int2").vacant  # type: ignore[union-attr]
    assert doc.ongoing_tasks[0].gremium_slug == "beirat-fuer-partizipation-und-integration"


@pytest.mark.parametrize(
    ("kwargs", "line_no", "message"),
    [
        ({"gremium_line": "Fachgruppe Wohnungsnot\tInt1, Int9"}, 11, "Unbekanntes Personenkürzel „Int9“"),
        ({"gremium_line": "Fachgruppe Wohnungsnot ohne Tabulator"}, 11, "Erwartet: Gremium<TAB>"),
        ({"gremium_line": "AG Neu (Beirat PartInt)\tIntB\tzu viel"}, 11, "Erwartet: Gremium<TAB>"),
        ({"activity_line": "2a\tZweite Aktivität\tIntB\tMai 2025"}, 17, "Ungültige laufende Nummer „2a“"),
        ({"activity_line": "1\tDoppelt\tIntB\tMai 2025"}, 17, "Laufende Nummer 1 doppelt"),
        ({"activity_line": "2\tOhne Termin\tIntB"}, 17, "Erwartet: Nr<TAB>"),
        ({"activity_line": "2\tFremde\tIntB, Chef\tMai 2025"}, 17, "Unbekanntes Personenkürzel „Chef“"),
    ],
)
def test_malformed_lines_are_reported_with_line_numbers(kwargs: dict[str, str], line_no: int, message: str) -> None:
    text = mini(**kwargs)
    doc = parse_plan(text)
    assert len(doc.problems) == 1, doc.problems
    problem = doc.problems[0]
    assert problem.line_no == line_no
    assert message in problem.message
    assert problem.line == text.split("\n")[line_no - 1]
    assert problem.format().startswith(f"Zeile {line_no}: ")


def test_missing_section_and_year_are_problems() -> None:
    text = mini().replace("2. Gremienarbeit", "Gremien").replace("für 2025", "")
    messages = [p.message for p in parse_plan(text).problems]
    assert any("Planjahr nicht gefunden" in m for m in messages)
    assert any("„2. Gremienarbeit“ fehlt" in m for m in messages)
