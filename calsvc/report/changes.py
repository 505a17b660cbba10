"""Changes to the plan told as German sentences for the report's readers.

"Dienstberatung am 15.12. abgesagt", "Beirat ab 01.09. im BIZ", "neue Aktivität 26: …":
each audit entry becomes one or a few sentences — never field paths, rule syntax or commands.
Every change belongs to a plan year: an activity's own year; for meetings the year of the
date concerned (or of the edit for changes to a whole series), so an edit of the 2024 plan
made in 2026 is not listed as a change of the 2026 plan.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from calsvc.german import WEEKDAYS
from calsvc.models import Activity, AuditEntry, Gremium, MeetingSeries, Person
from calsvc.schedule.walltime import BERLIN

__all__ = ["ChangeSentence", "change_sentences", "plan_entries", "rule_text"]

_EXC = re.compile(r"exceptions\[(?P<rid>[^\]]+)\]\.(?P<field>\w+)")
_EXTRA = re.compile(r"extra_dates\[(?P<id>\d+)\]")
_ORDINAL = {1: "ersten", 2: "zweiten", 3: "dritten", 4: "vierten", 5: "fünften", -1: "letzten"}
_DAYS = dict(zip(("MO", "TU", "WE", "TH", "FR", "SA", "SU"), WEEKDAYS, strict=True))


@dataclass(frozen=True, slots=True)
class ChangeSentence:
    """One change as people read it, with the plan year it belongs to."""

    at: datetime  # Berlin time of the edit
    actor: str
    plan_year: int
    text: str


def change_sentences(session: Session, entries: Iterable[AuditEntry]) -> list[ChangeSentence]:
    """The sentences of ``entries`` (plan objects only), in their order."""
    out: list[ChangeSentence] = []
    carried: dict[tuple[int, int, str, date], tuple[int, list[int]]] = {}  # one sentence per carry-over
    for entry in entries:
        at = entry.at.replace(tzinfo=UTC).astimezone(BERLIN)
        changes = _changes(entry.changes)
        if entry.object_type == "activity" and entry.action == "create" and _carried(changes):
            year, source, number = (
                int(changes["plan_year"][1]),
                int(changes["carried_from_year"][1]),
                changes["number"][1],
            )
            key = (year, source, entry.actor, at.date())
            if key not in carried:
                carried[key] = (len(out), [])
                out.append(ChangeSentence(at, entry.actor, year, ""))
            carried[key][1].append(int(number))
            continue
        teller = _TELLERS.get(entry.object_type)
        if teller is None:
            continue
        told = teller(session, entry, changes, at)
        if not told and entry.summary:  # nothing we can say better than the edit's own summary
            told = [(_year_of(session, entry, changes, at), entry.summary)]
        for year, text in told:
            out.append(ChangeSentence(at, entry.actor, year, text))
    for (year, source, _actor, _day), (index, numbers) in carried.items():
        text = f"Arbeitsplan {year} angelegt: {_count(numbers)} aus dem Arbeitsplan {source} übernommen (Nr. {_ranges(numbers)})"
        out[index] = replace(out[index], text=text)
    return out


def _carried(changes: dict[str, list[Any]]) -> bool:
    values = [changes.get(k, [None, None])[1] for k in ("carried_from_year", "plan_year", "number")]
    return all(isinstance(v, int) for v in values)


def _count(numbers: list[int]) -> str:
    return "1 unerledigte Aktivität" if len(numbers) == 1 else f"{len(numbers)} unerledigte Aktivitäten"


def _ranges(numbers: list[int]) -> str:
    """``1–4, 6–25``."""
    parts: list[str] = []
    ordered = sorted(set(numbers))
    start = prev = ordered[0]
    for n in [*ordered[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def _year_of(session: Session, entry: AuditEntry, changes: dict[str, list[Any]], at: datetime) -> int:
    """The plan year of an entry nothing else could be said about: an activity's, else the edit's."""
    if entry.object_type == "activity" and entry.object_id is not None:
        row = session.get(Activity, entry.object_id)
        years = changes.get("plan_year", [None, None])
        return int((row.plan_year if row else None) or years[1] or years[0] or at.year)
    return at.year


def _changes(raw: str | None) -> dict[str, list[Any]]:
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 2}


def _day(value: str | date | datetime) -> str:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return f"{moment:%d.%m.}"


def _when(value: str) -> str:
    moment = datetime.fromisoformat(value)
    return f"{moment:%d.%m.} um {moment:%H:%M} Uhr" if isinstance(moment, datetime) and len(value) > 10 else _day(value)


def _quoted(text: object) -> str:
    return f"„{text}“"


# --- activities ------------------------------------------------------------------------


def _activity(
    session: Session, entry: AuditEntry, changes: dict[str, list[Any]], at: datetime
) -> list[tuple[int, str]]:
    row = session.get(Activity, entry.object_id) if entry.object_id else None
    new = {k: v[1] for k, v in changes.items()}
    old = {k: v[0] for k, v in changes.items()}
    number = new.get("number") or old.get("number") or (row.number if row else "?")
    title = new.get("title") or old.get("title") or (row.title if row else "")
    year = int(new.get("plan_year") or old.get("plan_year") or (row.plan_year if row else at.year))
    name = f"Aktivität {number} {_quoted(title)}" if title else f"Aktivität {number}"
    if entry.action == "create":
        return [(year, f"neue Aktivität {number}: {title} ({new.get('terminierung') or 'ohne Terminierung'})")]
    if entry.action == "delete":
        return [(year, f"{name} gestrichen")]
    if entry.action == "progress":
        note = str(new.get("progress") or "")
        day, _, rest = note.partition(" ")
        status, _, text = rest.partition(": ")
        when = f" am {_day(day)}" if day else ""
        return [(year, f"{name}{when}: {status}" + (f" – {text}" if text else ""))]
    said = []
    if "terminierung" in changes:
        said.append(f"Terminierung jetzt {_quoted(new['terminierung'])} (bisher {_quoted(old['terminierung'])})")
    if "title" in changes:
        said.append(f"heißt jetzt {_quoted(new['title'])}")
    if "status" in changes:
        said.append(f"Stand jetzt {new['status']}")
    if "responsible" in changes:
        said.append("zuständig jetzt " + (", ".join(new["responsible"] or []) or "niemand"))
    if "number" in changes:
        said.append(f"jetzt Nr. {new['number']}")
    if "plan_year" in changes:
        said.append(f"jetzt im Arbeitsplan {new['plan_year']}")
    if not said:
        return []
    label = f"Aktivität {old.get('number') or number} {_quoted(old.get('title') or title)}"
    return [(year, f"{label}: {', '.join(said)}")]


# --- meeting series --------------------------------------------------------------------


def _series_name(session: Session, entry: AuditEntry, changes: dict[str, list[Any]]) -> str:
    row = session.get(MeetingSeries, entry.object_id) if entry.object_id else None
    if row is not None and row.gremium is not None:
        return row.gremium.name if len(row.gremium.name) <= len(row.title) else row.title
    title = changes.get("title", [None, None])
    return (row.title if row else None) or title[0] or title[1] or "Termin"


def _series(session: Session, entry: AuditEntry, changes: dict[str, list[Any]], at: datetime) -> list[tuple[int, str]]:
    name = _series_name(session, entry, changes)
    out: list[tuple[int, str]] = []
    dates: dict[str, dict[str, list[Any]]] = {}
    for key, pair in changes.items():
        if match := _EXC.fullmatch(key):
            dates.setdefault(match["rid"], {})[match["field"]] = pair
        elif match := _EXTRA.fullmatch(key):
            before, after = pair
            snap = after if isinstance(after, dict) else before if isinstance(before, dict) else {}
            start = str(snap.get("start") or "")
            if not start:
                continue
            if after:
                out.append((int(start[:4]), f"{name}: zusätzlicher Termin am {_when(start)}"))
            else:
                out.append((int(start[:4]), f"{name}: Zusatztermin am {_when(start)} entfällt"))
    for rid, fields in dates.items():
        out.append((int(rid[:4]), _date_sentence(name, rid, fields, entry.action)))
    if entry.action == "restore_occurrence" and not dates:
        out.append((at.year, f"{name}: ein abgesagter oder verlegter Termin findet wieder wie geplant statt"))
    out.extend((at.year, text) for text in _whole_series(name, entry.action, changes, at))
    return out


def _date_sentence(name: str, rid: str, fields: dict[str, list[Any]], action: str) -> str:
    new = {k: v[1] for k, v in fields.items()}
    note = f" ({new['note']})" if new.get("note") else ""
    if action == "cancel_occurrence" or new.get("cancelled"):
        return f"{name} am {_day(rid)} abgesagt{note}"
    if new.get("new_start"):
        return f"{name} vom {_day(rid)} auf den {_when(str(new['new_start']))} verlegt{note}"
    if new.get("new_location"):
        return f"{name} am {_day(rid)} im {new['new_location']}{note}"
    return f"{name} am {_day(rid)} findet wie geplant statt"


def _whole_series(name: str, action: str, changes: dict[str, list[Any]], at: datetime) -> Iterable[str]:
    new = {k: v[1] for k, v in changes.items()}
    old = {k: v[0] for k, v in changes.items()}
    since = f"ab {at:%d.%m.}"
    if action == "create":
        start = str(new.get("dtstart") or "")
        rhythm = rule_text(new.get("rrule"))
        yield f"neuer Termin: {name} " + (f"{rhythm}, ab {_when(start)}" if rhythm else f"am {_when(start)}")
        return
    if action == "delete":
        yield f"{name}: Terminreihe gestrichen"
        return
    if action != "update":
        return
    if "title" in changes:
        yield f"{_quoted(old['title'])} heißt jetzt {_quoted(new['title'])}"
    if "location" in changes:
        yield f"{name} {since} im {new['location']}" if new["location"] else f"{name} {since} ohne festen Ort"
    if "rrule" in changes:
        yield f"{name} {since} {rule_text(new['rrule']) or 'als Einzeltermin'}"
    if "dtstart" in changes and new.get("dtstart"):
        yield f"{name} beginnt jetzt am {_when(str(new['dtstart']))}"
    if "duration_minutes" in changes:
        yield f"{name} dauert jetzt {new['duration_minutes']} Minuten"
    if "status" in changes:
        word = {"cancelled": "abgesagt", "tentative": "vorläufig", "confirmed": "bestätigt"}.get(new["status"], "")
        yield f"{name}: ganze Terminreihe {word}"
    if "gremium" in changes:
        yield f"{name} gehört jetzt zu einem anderen Gremium"


def rule_text(rule: object) -> str:
    """A recurrence rule in German words: "alle 2 Wochen", "jeden zweiten Donnerstag im Monat"."""
    if not isinstance(rule, str) or not rule:
        return ""
    parts = dict(p.split("=", 1) for p in rule.removeprefix("RRULE:").split(";") if "=" in p)
    interval = int(parts.get("INTERVAL", "1") or 1)
    unit = {"DAILY": ("täglich", "Tage"), "WEEKLY": ("wöchentlich", "Wochen"), "MONTHLY": ("monatlich", "Monate"),
            "YEARLY": ("jährlich", "Jahre")}.get(parts.get("FREQ", ""), ("regelmäßig", ""))  # fmt: skip
    text = unit[0] if interval == 1 else f"alle {interval} {unit[1]}"
    byday = parts.get("BYDAY", "")
    if match := re.fullmatch(r"([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)", byday):
        day = _DAYS[match[2]]
        if match[1]:
            text += f" am {_ORDINAL.get(int(match[1]), match[1] + '.')} {day}"
        else:
            text += f" am {day}"
    if "BYMONTH" in parts and parts["BYMONTH"].count(",") >= 6:
        text += " (nicht in allen Monaten)"
    return text


# --- Gremien and persons ------------------------------------------------------------------


def _gremium(session: Session, entry: AuditEntry, changes: dict[str, list[Any]], at: datetime) -> list[tuple[int, str]]:
    row = session.get(Gremium, entry.object_id) if entry.object_id else None
    name_pair = changes.get("name", [None, None])
    name = (row.name if row else None) or name_pair[1] or name_pair[0] or "Gremium"
    if entry.action == "create":
        return [(at.year, f"neues Gremium: {name}")]
    if entry.action == "delete":
        return [(at.year, f"Gremium {name} aufgelöst")]
    if "members" in changes:
        before, after = (set(v or []) for v in changes["members"])
        said = []
        for member in sorted(after - before):
            code, _, role = member.partition(":")
            said.append(f"{code} {'leitet jetzt' if role == 'lead' else 'arbeitet jetzt mit in'} {name}")
        for member in sorted(before - after):
            code, _, _role = member.partition(":")
            if not any(m.startswith(code + ":") for m in after):
                said.append(f"{code} nicht mehr in {name}")
        return [(at.year, s) for s in said]
    if "name" in changes:
        return [(at.year, f"Gremium {_quoted(name_pair[0])} heißt jetzt {_quoted(name_pair[1])}")]
    return [(at.year, f"Gremium {name} geändert")]


def _person(session: Session, entry: AuditEntry, changes: dict[str, list[Any]], at: datetime) -> list[tuple[int, str]]:
    row = session.get(Person, entry.object_id) if entry.object_id else None
    code = (row.code if row else None) or next((v for v in changes.get("code", []) if v), "Stelle")
    if entry.action == "create":
        return [(at.year, f"neue Stelle {code}")]
    if entry.action == "delete":
        return [(at.year, f"Stelle {code} gestrichen")]
    if "vacant" in changes:
        return [(at.year, f"{code} {'ist unbesetzt' if changes['vacant'][1] else 'ist wieder besetzt'}")]
    return []


_TELLERS = {"activity": _activity, "series": _series, "gremium": _gremium, "person": _person}


def plan_entries(session: Session, lo: datetime, hi: datetime | None = None) -> list[AuditEntry]:
    """Audit entries of plan objects from ``lo`` (to ``hi``), naive UTC, oldest first."""
    query = select(AuditEntry).where(AuditEntry.at >= lo, AuditEntry.object_type.in_(tuple(_TELLERS)))
    if hi is not None:
        query = query.where(AuditEntry.at < hi)
    return list(session.scalars(query.order_by(AuditEntry.at, AuditEntry.id)))
