"""``calsvc conflicts``: the conflicts of a period as a German table or JSON; exit 1 when there are any."""

from __future__ import annotations

import json
import shutil
import textwrap
from datetime import date, datetime, timedelta

import click
from flask import current_app

from calsvc.config import conflict_settings
from calsvc.db import session_scope
from calsvc.errors import CalsvcError
from calsvc.schedule.bounds import window_problem

from .digest import Entry, VacancyHint, reaches
from .entries import ConflictDigest, conflict_digest
from .sweep import KIND_LABELS, SEVERITY_LABELS, at_least, count_by_kind

__all__ = ["conflicts_command", "format_table"]

HEADERS = ("Datum", "Art", "Schwere", "Person", "Erklärung")


def format_table(entries: list[Entry], width: int = 120) -> str:
    """A plain-text table, one row per entry (clash); the explanation column wraps to fit ``width``."""
    rows = [
        (
            f"{e.day:%d.%m.%Y}",
            e.title,
            SEVERITY_LABELS[e.severity],
            ", ".join(e.persons) or "–",
            " ".join(c.message for c in e.conflicts)
            + (f" [zur Kenntnis genommen: {e.acknowledged.actor}]" if e.acknowledged else ""),
        )
        for e in entries
    ]
    fixed = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADERS[:4])]
    text_width = max(30, width - sum(fixed) - 2 * len(fixed))
    lines = ["  ".join(h.ljust(w) for h, w in zip(HEADERS[:4], fixed, strict=True)) + "  " + HEADERS[4]]
    lines.append("  ".join("-" * w for w in fixed) + "  " + "-" * min(text_width, 40))
    indent = " " * (sum(fixed) + 2 * len(fixed))
    for row in rows:
        wrapped = textwrap.wrap(row[4], text_width) or [""]
        lines.append("  ".join(v.ljust(w) for v, w in zip(row[:4], fixed, strict=True)) + "  " + wrapped[0])
        lines.extend(indent + more for more in wrapped[1:])
    return "\n".join(lines)


def _summary(digest: ConflictDigest, entries: list[Entry], hints: list[VacancyHint]) -> str:
    counts = ", ".join(
        f"{KIND_LABELS[k]}: {n}" for k, n in count_by_kind(c for e in entries for c in e.conflicts).items()
    )
    hidden = f"; {digest.hidden} zur Kenntnis genommen (--alle zeigt sie)" if digest.hidden else ""
    return f"{len(entries)} Eintrag/Einträge und {len(hints)} Hinweis(e) aus {len(digest.conflicts)} Konflikt(e) – {counts}{hidden}"


def _hint_lines(hints: list[VacancyHint]) -> list[str]:
    return [f"  {SEVERITY_LABELS[h.severity]}: {h.message}" for h in hints]


@click.command("conflicts")
@click.option("--person", help="Nur Konflikte dieser Person (Kürzel, z. B. IntB).")
@click.option("--gremium", help="Nur Konflikte bei Terminen dieses Gremiums (Slug).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="Erster Tag (JJJJ-MM-TT), Standard: heute.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Letzter Tag einschließlich; Standard: 31 Tage.")
@click.option("--severity", type=click.Choice(["info", "warning", "critical"]), help="Nur ab dieser Schwere.")
@click.option("--alle", "show_all", is_flag=True, help="Auch zur Kenntnis genommene Einträge zeigen.")
@click.option("--json", "as_json", is_flag=True, help="Als JSON ausgeben.")
def conflicts_command(
    person: str | None,
    gremium: str | None,
    start: datetime | None,
    end: datetime | None,
    severity: str | None,
    show_all: bool,
    as_json: bool,
) -> None:
    """List conflicts, one entry per clash and one hint per vacant post; exit 1 if any are open."""
    first = start.date() if start else date.today()
    last = end.date() if end else first + timedelta(days=30)
    if problem := window_problem(first, last, ("--from", "--to")):
        raise click.BadParameter(problem, param_hint="--to")
    try:
        with session_scope(current_app) as session:
            digest = conflict_digest(
                session,
                first,
                last + timedelta(days=1),
                person=person,
                gremium=gremium,
                settings=conflict_settings(),
                show_acknowledged=show_all,
            )
        found = at_least(digest.conflicts, severity)
    except CalsvcError as exc:
        raise click.BadParameter(exc.message, param_hint=f"--{exc.field}" if exc.field else None) from None
    entries = [e for e in digest.entries if at_least(e.conflicts, severity)]
    hints = [h for h in digest.hints if reaches(h.severity, severity)]
    if as_json:
        payload = {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "count": len(found),
            "by_kind": count_by_kind(found),
            "entries": [e.to_dict() for e in entries],
            "hints": [h.to_dict() for h in hints],
            "acknowledged_hidden": digest.hidden,
            "conflicts": [c.to_dict() for c in found],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    elif entries or hints:
        click.echo(f"Konflikte vom {first:%d.%m.%Y} bis {last:%d.%m.%Y}:\n")
        if hints:
            click.echo("Unbesetzte Stellen:\n" + "\n".join(_hint_lines(hints)) + "\n")
        if entries:
            click.echo(format_table(entries, shutil.get_terminal_size((120, 24)).columns))
        click.echo(f"\n{_summary(digest, entries, hints)}")
    else:
        hidden = f" ({digest.hidden} zur Kenntnis genommen)" if digest.hidden else ""
        click.echo(f"Keine Konflikte vom {first:%d.%m.%Y} bis {last:%d.%m.%Y}{hidden}.")
    if entries or hints:
        click.get_current_context().exit(1)
