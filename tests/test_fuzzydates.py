"""Fuzzy dates of the work plan: every Terminierung of the 2024 plan and the variants to come."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from calsvc.errors import FuzzyDateError
from calsvc.fuzzydates import FuzzyPeriod, Precision, Terminierung, parse_terminierung

D, W, M, S, Q, H, Y = (
    Precision.DAY,
    Precision.WEEK,
    Precision.MONTH,
    Precision.SEASON,
    Precision.QUARTER,
    Precision.HALF,
    Precision.YEAR,
)


def P(start: str, end: str, precision: Precision, focus: bool = False) -> FuzzyPeriod:
    return FuzzyPeriod(date.fromisoformat(start), date.fromisoformat(end), precision, focus)


YEAR_2024 = P("2024-01-01", "2024-12-31", Y)
Q1_2024_FOCUS = P("2024-01-01", "2024-03-31", Q, focus=True)

# text, periods, flags (o=ongoing, t=tentative, u=unscheduled), label
PLAN_2024 = [
    ("18. März 2024", [P("2024-03-18", "2024-03-18", D)], "", "18.03.2024"),
    ("April 2024", [P("2024-04-01", "2024-04-30", M)], "", "im April 2024"),
    ("März/April 2024", [P("2024-03-01", "2024-04-30", M)], "", "März/April 2024"),
    (
        "Januar 2024 April 2024",
        [P("2024-01-01", "2024-01-31", M), P("2024-04-01", "2024-04-30", M)],
        "",
        "im Januar 2024 und im April 2024",
    ),
    ("Februar 2024", [P("2024-02-01", "2024-02-29", M)], "", "im Februar 2024"),
    ("I. Quartal 2024", [P("2024-01-01", "2024-03-31", Q)], "", "im I. Quartal 2024"),
    ("II. Quartal 2024, fortlaufend", [P("2024-04-01", "2024-06-30", Q)], "o", "im II. Quartal 2024, fortlaufend"),
    (
        "ganzjährig (insbes. I. Quartal 2024)",
        [YEAR_2024, Q1_2024_FOCUS],
        "o",
        "2024 (ganzjährig), insbes. im I. Quartal 2024",
    ),
    ("I. Quartal 2024 ganzjährig", [YEAR_2024, Q1_2024_FOCUS], "o", "2024 (ganzjährig), insbes. im I. Quartal 2024"),
    ("September 2024", [P("2024-09-01", "2024-09-30", M)], "", "im September 2024"),
    ("IV. Quartal 2024", [P("2024-10-01", "2024-12-31", Q)], "", "im IV. Quartal 2024"),
    ("IV. Quartal", [P("2024-10-01", "2024-12-31", Q)], "", "im IV. Quartal 2024"),
    (
        "III. und IV. Quartal (in Klärung)",
        [P("2024-07-01", "2024-12-31", Q)],
        "t",
        "III. und IV. Quartal 2024 (in Klärung)",
    ),
    ("noch zu klären", [], "u", "noch zu klären"),
    ("25. April 2024", [P("2024-04-25", "2024-04-25", D)], "", "25.04.2024"),
]

VARIANTS = [
    ("1. Halbjahr 2025", [P("2025-01-01", "2025-06-30", H)], "", "im 1. Halbjahr 2025"),
    ("2. Halbjahr 2025", [P("2025-07-01", "2025-12-31", H)], "", "im 2. Halbjahr 2025"),
    ("Q3/2025", [P("2025-07-01", "2025-09-30", Q)], "", "im III. Quartal 2025"),
    ("Q3 2025", [P("2025-07-01", "2025-09-30", Q)], "", "im III. Quartal 2025"),
    ("Mitte 2025", [P("2025-06-01", "2025-07-31", M)], "", "Juni/Juli 2025"),
    ("Anfang 2025", [P("2025-01-01", "2025-02-28", M)], "", "Januar/Februar 2025"),
    ("Ende März 2025", [P("2025-03-21", "2025-03-31", W)], "", "Ende März 2025"),
    ("Anfang April 2025", [P("2025-04-01", "2025-04-10", W)], "", "Anfang April 2025"),
    ("Mitte Februar", [P("2024-02-11", "2024-02-20", W)], "", "Mitte Februar 2024"),
    ("KW 12 2025", [P("2025-03-17", "2025-03-23", W)], "", "KW 12/2025"),
    ("KW 12/2025", [P("2025-03-17", "2025-03-23", W)], "", "KW 12/2025"),
    ("KW1/2026", [P("2025-12-29", "2026-01-04", W)], "", "KW 1/2026"),
    ("ab Mai 2025", [P("2025-05-01", "2025-12-31", M)], "o", "Mai–Dezember 2025, fortlaufend"),
    ("bis 30.06.2025", [P("2024-01-01", "2025-06-30", D)], "", "01.01.2024–30.06.2025"),
    ("03/2025", [P("2025-03-01", "2025-03-31", M)], "", "im März 2025"),
    ("Frühjahr 2025", [P("2025-03-01", "2025-05-31", S)], "", "im Frühjahr 2025"),
    ("Sommer", [P("2024-06-01", "2024-08-31", S)], "", "im Sommer 2024"),
    ("Herbst", [P("2024-09-01", "2024-11-30", S)], "", "im Herbst 2024"),
    ("Winter", [P("2024-12-01", "2025-02-28", S)], "", "im Winter 2024/25"),
    ("Winter 2025/26", [P("2025-12-01", "2026-02-28", S)], "", "im Winter 2025/26"),
    ("12.-14.09.2025", [P("2025-09-12", "2025-09-14", D)], "", "12.–14.09.2025"),
    ("12.–14.09.2025", [P("2025-09-12", "2025-09-14", D)], "", "12.–14.09.2025"),
    ("12. - 14. September 2025", [P("2025-09-12", "2025-09-14", D)], "", "12.–14.09.2025"),
    ("12.09.2025", [P("2025-09-12", "2025-09-12", D)], "", "12.09.2025"),
    ("12.09.", [P("2024-09-12", "2024-09-12", D)], "", "12.09.2024"),
    ("2025-03-18", [P("2025-03-18", "2025-03-18", D)], "", "18.03.2025"),
    ("2025", [P("2025-01-01", "2025-12-31", Y)], "", "im Jahr 2025"),
    ("ganzjährig", [YEAR_2024], "o", "2024 (ganzjährig)"),
    ("2025 ganzjährig", [P("2025-01-01", "2025-12-31", Y)], "o", "2025 (ganzjährig)"),
    ("laufend", [YEAR_2024], "o", "2024 (ganzjährig)"),
    ("fortlaufend", [YEAR_2024], "o", "2024 (ganzjährig)"),
    ("tbd", [], "u", "noch zu klären"),
    ("offen", [], "u", "noch zu klären"),
    ("n.n.", [], "u", "noch zu klären"),
    ("N. N.", [], "u", "noch zu klären"),
    ("(in Klärung)", [], "tu", "noch zu klären"),
    ("Jan. 2025", [P("2025-01-01", "2025-01-31", M)], "", "im Januar 2025"),
    ("Sept. 2025", [P("2025-09-01", "2025-09-30", M)], "", "im September 2025"),
    ("2. Quartal 2025", [P("2025-04-01", "2025-06-30", Q)], "", "im II. Quartal 2025"),
    ("Q4", [P("2024-10-01", "2024-12-31", Q)], "", "im IV. Quartal 2024"),
    ("Quartal III/2025", [P("2025-07-01", "2025-09-30", Q)], "", "im III. Quartal 2025"),
    ("I.–III. Quartal 2025", [P("2025-01-01", "2025-09-30", Q)], "", "I.–III. Quartal 2025"),
    ("IV. Quartal 2024 - I. Quartal 2025", [P("2024-10-01", "2025-03-31", Q)], "", "IV. Quartal 2024–I. Quartal 2025"),
    ("Januar bis März 2025", [P("2025-01-01", "2025-03-31", M)], "", "Januar–März 2025"),
    ("von Mai bis Juli 2025", [P("2025-05-01", "2025-07-31", M)], "", "Mai–Juli 2025"),
    ("Januar und Februar 2025", [P("2025-01-01", "2025-02-28", M)], "", "Januar/Februar 2025"),
    (
        "I. und III. Quartal 2025",
        [P("2025-01-01", "2025-03-31", Q), P("2025-07-01", "2025-09-30", Q)],
        "",
        "im I. Quartal 2025 und im III. Quartal 2025",
    ),
    ("bis Ende 2025", [P("2024-01-01", "2025-12-31", M)], "", "Januar 2024–Dezember 2025"),
    ("12.09. bis Oktober 2025", [P("2025-09-12", "2025-10-31", D)], "", "12.09.–31.10.2025"),
    (
        "fortlaufend (insbesondere Q2)",
        [YEAR_2024, P("2024-04-01", "2024-06-30", Q, True)],
        "o",
        "2024 (ganzjährig), insbes. im II. Quartal 2024",
    ),
]

MESSY = [  # case, whitespace, line-break hyphens, trailing punctuation
    ("  april   2024. ", [P("2024-04-01", "2024-04-30", M)], "", "im April 2024"),
    ("ganz- jährig", [YEAR_2024], "o", "2024 (ganzjährig)"),
    ("II. QUARTAL 2024,  FORTLAUFEND;", [P("2024-04-01", "2024-06-30", Q)], "o", "im II. Quartal 2024, fortlaufend"),
    ("iv. quartal\n2024", [P("2024-10-01", "2024-12-31", Q)], "", "im IV. Quartal 2024"),
    ("im April 2024", [P("2024-04-01", "2024-04-30", M)], "", "im April 2024"),
    ("12.09. 2025", [P("2025-09-12", "2025-09-12", D)], "", "12.09.2025"),
]


@pytest.mark.parametrize(("text", "periods", "flags", "label"), PLAN_2024 + VARIANTS + MESSY)
def test_parse(text: str, periods: list[FuzzyPeriod], flags: str, label: str) -> None:
    t = parse_terminierung(text, 2024)
    assert t == Terminierung(text, tuple(periods), "o" in flags, "t" in flags, "u" in flags)
    assert t.label() == label


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("Quatal 2024", "Quatal"),
        ("31. Februar 2024", "31. Februar 2024"),
        ("13/2025", "13/2025"),
        ("KW 54 2025", "KW 54 2025"),
        ("KW 53 2025", "KW 53 2025"),
        ("5. Quartal 2025", "5. Quartal 2025"),
        ("3. Halbjahr 2025", "3. Halbjahr 2025"),
        ("April 1850", "1850"),
        ("31.12.2101", "31.12.2101"),
        ("irgendwann 2025", "irgendwann"),
        ("April 2024 ggf.", "ggf."),
        ("Dezember bis Februar 2025", "Dezember bis Februar 2025"),
        ("Januar - März - Mai 2025", "Januar - März - Mai 2025"),
        ("IV. Quartal noch zu klären", "noch zu klären"),
        ("insbes. Q1", "insbes."),
        ("Q4 2024 Q1 2025 ganzjährig", "ganzjährig"),
        ("Anfang Q1", "Anfang Q1"),
        ("(April 2024", "("),
        ("April 2024)", ")"),
        ("im", "im"),
        ("KW", "KW"),
        ("12 2025", "12"),
        ("123", "123"),
        ("IV. März", "IV."),
        ("Winter 2025/27", "Winter 2025/27"),
        ("April § 2024", "§"),
        ("bis Januar - März 2025", "bis Januar - März 2025"),
    ],
)
def test_error_names_the_part(text: str, part: str) -> None:
    with pytest.raises(FuzzyDateError) as info:
        parse_terminierung(text, 2024)
    err = info.value
    assert err.part == part
    assert f"„{part}“" in err.message
    assert err.message.startswith("Terminierung „")
    assert err.field == "terminierung"


def test_error_message_quotes_text_and_part() -> None:
    with pytest.raises(FuzzyDateError, match=r"^Terminierung „Quatal 2024“: „Quatal“ nicht verstanden$"):
        parse_terminierung("Quatal 2024", 2024)


@pytest.mark.parametrize("text", ["", "   ", ",;"])
def test_empty_text_is_an_error(text: str) -> None:
    with pytest.raises(FuzzyDateError, match="leer"):
        parse_terminierung(text, 2024)


def test_missing_year_comes_from_plan_year() -> None:
    assert parse_terminierung("IV. Quartal", 2025).span() == (date(2025, 10, 1), date(2025, 12, 31))


def test_span_ignores_focus_and_unscheduled() -> None:
    assert parse_terminierung("I. Quartal 2024 ganzjährig", 2024).span() == (date(2024, 1, 1), date(2024, 12, 31))
    assert parse_terminierung("Januar 2024 April 2024", 2024).span() == (date(2024, 1, 1), date(2024, 4, 30))
    assert parse_terminierung("noch zu klären", 2024).span() is None


def test_raw_text_is_kept_verbatim() -> None:
    assert parse_terminierung(" ganz- jährig ", 2024).raw == " ganz- jährig "


def test_precision_values_are_lower_case_english() -> None:
    assert [p.value for p in Precision] == ["day", "week", "month", "season", "quarter", "half", "year"]


WORDS = [
    "Quartal",
    "I.",
    "IV.",
    "2.",
    "12.",
    "und",
    "bis",
    "ab",
    "von",
    "-",
    "/",
    "(",
    ")",
    ",",
    "insbes.",
    "ganzjährig",
    "fortlaufend",
    "in Klärung",
    "noch zu klären",
    "März",
    "Sept.",
    "Winter",
    "KW",
    "Q",
    "3",
    "53",
    "2024",
    "2025",
    "12.09.",
    "31.02.2025",
    "Ende",
    "Mitte",
    "Halbjahr",
    "1989",
    "2100",
    "im",
    "tbd",
    ".",
]


def _check(text: str) -> None:
    try:
        t = parse_terminierung(text, 2024)
    except FuzzyDateError as err:
        assert err.text is not None
        return
    assert all(p.start <= p.end for p in t.periods)
    assert t.unscheduled == (t.periods == ())
    assert isinstance(t.label(), str)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40))
def test_any_text_parses_or_raises_fuzzydateerror(text: str) -> None:
    _check(text)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=7).map(" ".join))
def test_any_phrase_of_plan_words_parses_or_raises_fuzzydateerror(text: str) -> None:
    _check(text)
