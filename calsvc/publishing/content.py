"""Map the engine's specs to the ``feeds`` library's plain events: what each VEVENT says.

The feed publishes series as RRULE masters (not expanded), with EXDATEs, RECURRENCE-ID
overrides and extra dates as VEVENTs of their own; the interop tests prove that every
client expands them to exactly the occurrences :mod:`calsvc.schedule.engine` computes.

Meeting feeds carry meetings only; planning items (activities) have feeds of their own
("Vorhaben"). A cancelled date stays in the feed as an override "Abgesagt: <Titel>" until its
day has passed, then it becomes an EXDATE: what a series yields depends only on the series and
``FeedContext.today`` (plus the six-month horizon), never on a clock read here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, TypeAlias

from calsvc.schedule.rrule import expand_rule, last_start
from calsvc.schedule.specs import ActivitySpec, ExceptionSpec, SeriesSpec
from calsvc.schedule.walltime import BERLIN
from feeds import AllDayEvent, FeedEvent, Override, Status, TimedEvent

__all__ = [
    "CANCELLED_PREFIX",
    "FeedContent",
    "FeedContext",
    "activity_events",
    "feed_day",
    "series_events",
]

FeedContent: TypeAlias = Literal["meetings", "vorhaben"]
"""What a feed carries: meetings (series, single and extra dates) or planning items (Vorhaben)."""
CANCELLED_PREFIX = "Abgesagt: "


def feed_day(now: datetime) -> date:
    """The Berlin day of an aware instant: with the data, all a feed's content depends on."""
    return now.astimezone(BERLIN).date()


@dataclass(frozen=True, slots=True)
class FeedContext:
    """Where the feed lives and what it leaves out (DESIGN: items ended > 6 months ago).

    ``today`` (Berlin) is the only time a feed's content may depend on: an item's components
    are kept per (item, context), so they stay valid all day (:mod:`.components`).
    """

    uid_host: str
    base_url: str
    today: date
    retention: timedelta = timedelta(days=183)

    @classmethod
    def at(cls, uid_host: str, base_url: str, now: datetime, retention: timedelta = timedelta(days=183)) -> FeedContext:
        """The context of a render at ``now`` (aware): its Berlin day."""
        return cls(uid_host, base_url, feed_day(now), retention)

    @property
    def horizon(self) -> datetime:
        """Naive local time before which ended items are left out: the start of that day."""
        return datetime.combine(self.today - self.retention, time())

    @property
    def fallback_stamp(self) -> datetime:
        """LAST-MODIFIED/CREATED of a row without one (rows written before they were kept)."""
        return datetime.combine(self.today, time(), UTC)

    def uid(self, local_uid: str) -> str:
        """``series-12`` → ``series-12@host``."""
        return f"{local_uid}@{self.uid_host}"


def _utc(value: datetime | None, fallback: datetime) -> datetime:
    """Stored timestamps are naive UTC; the library wants aware ones."""
    return fallback if value is None else value.replace(tzinfo=UTC)


def series_events(spec: SeriesSpec, ctx: FeedContext) -> Iterator[FeedEvent]:
    """The master VEVENT (with EXDATEs and overrides) and one VEVENT per extra date."""
    if spec.status == "cancelled":
        return  # a cancelled whole meeting leaves the feed (clients treat CANCELLED inconsistently)
    modified = _utc(spec.updated_at, ctx.fallback_stamp)
    status: Status = "TENTATIVE" if spec.status == "tentative" else "CONFIRMED"
    description = _series_description(spec, ctx)
    last = last_start(spec.rrule, spec.dtstart)
    if spec.master and (last is None or last + spec.duration >= ctx.horizon):
        exdates, overrides = list(spec.hidden), []  # hidden: dates this feed's person misses
        for exc in spec.exceptions:
            if exc.recurrence_id in spec.hidden:
                continue
            start = exc.new_start or exc.recurrence_id
            end = start + (exc.new_duration or spec.duration)
            if exc.cancelled and exc.recurrence_id.date() >= ctx.today and _is_occurrence(spec, exc.recurrence_id):
                overrides.append(_called_off(spec, exc, description, ctx))
                continue
            if exc.cancelled or end < ctx.horizon:  # old overrides go; their slot must not reappear
                exdates.append(exc.recurrence_id)
                continue
            overrides.append(
                Override(
                    recurrence_id=exc.recurrence_id,
                    start=start,
                    end=end,
                    location=exc.new_location,
                    description=_with_note(description, exc.note),
                    sequence=spec.sequence + exc.sequence,
                    last_modified=_utc(exc.updated_at, ctx.fallback_stamp),
                )
            )
        yield TimedEvent(
            uid=ctx.uid(f"series-{spec.id}"),
            summary=spec.title,
            start=spec.dtstart,
            end=spec.dtstart + spec.duration,
            rrule=spec.rrule,
            exdates=tuple(sorted(exdates)),
            overrides=tuple(overrides),
            location=spec.location or None,
            description=description,
            categories=_categories(spec),
            sequence=spec.sequence,
            created=_utc(spec.created_at, ctx.fallback_stamp),
            last_modified=modified,
            status=status,
            url=_agenda_url(ctx, spec.dtstart.date(), spec.gremium_slug),
        )
    for extra in spec.extras:
        end = extra.start + (extra.duration or spec.duration)
        if end < ctx.horizon:
            continue
        yield TimedEvent(
            uid=ctx.uid(extra.uid or f"extra-{extra.id}"),
            summary=spec.title,
            start=extra.start,
            end=end,
            location=(extra.location if extra.location is not None else spec.location) or None,
            description=_with_note(description, extra.note),
            categories=_categories(spec),
            sequence=spec.sequence + extra.sequence,
            last_modified=_utc(extra.updated_at, ctx.fallback_stamp),
            status=status,
            url=_agenda_url(ctx, extra.start.date(), spec.gremium_slug),
        )


def _is_occurrence(spec: SeriesSpec, local: datetime) -> bool:
    """An override must name a date the rule produces (a stale one from a backup stays an EXDATE)."""
    return local in expand_rule(spec.rrule, spec.dtstart, local, local)


def _called_off(spec: SeriesSpec, exc: ExceptionSpec, description: str, ctx: FeedContext) -> Override:
    """A cancelled date that has not passed: "Abgesagt: <Titel>" at its original slot, with the reason.

    At the original slot, as :func:`calsvc.schedule.engine.expand` lists cancelled occurrences;
    STATUS:CANCELLED and (by the library) TRANSP:TRANSPARENT, so it blocks nobody's time.
    """
    reason = [f"Dieser Termin fällt aus: {spec.title}."]
    if exc.note.strip():
        reason.append(f"Grund: {exc.note.strip()}")
    return Override(
        recurrence_id=exc.recurrence_id,
        start=exc.recurrence_id,
        end=exc.recurrence_id + spec.duration,
        summary=CANCELLED_PREFIX + spec.title,
        description="\n".join([*reason, description]),
        status="CANCELLED",
        sequence=spec.sequence + exc.sequence,
        last_modified=_utc(exc.updated_at, ctx.fallback_stamp),
    )


def activity_events(activity: ActivitySpec, ctx: FeedContext) -> Iterator[AllDayEvent]:
    """One all-day span per published period; unscheduled and dropped activities stay out."""
    if activity.unscheduled or activity.status == "entfallen":
        return
    horizon = ctx.horizon.date()
    for index, period in enumerate(activity.published_periods()):
        if period.end < horizon:
            continue
        lines = [
            f"Geplante Aktivität Nr. {activity.number} des Arbeitsplans {activity.plan_year}",
            f"Terminierung laut Plan: {activity.terminierung}",
            f"Zeitraum: {period.label or activity.label}",
            f"Zuständig: {', '.join(activity.responsible_codes) or '–'}",
            f"Stand: {activity.status}",
        ]
        yield AllDayEvent(
            uid=ctx.uid(f"activity-{activity.id}-{index}"),
            summary=f"{activity.title} ({period.label or activity.label})",
            first_day=period.start,
            last_day=period.end,
            description="\n".join(lines),
            categories=("Arbeitsplan", "Aktivität"),
            sequence=activity.sequence,
            last_modified=_utc(activity.updated_at, ctx.fallback_stamp),
            status="TENTATIVE" if activity.tentative else "CONFIRMED",
            url=_agenda_url(ctx, period.start, None),
        )


def _series_description(spec: SeriesSpec, ctx: FeedContext) -> str:
    lines = []
    if spec.gremium_name:
        lines.append(f"Gremium: {spec.gremium_name}")
    lines.append(f"Leitung: {', '.join(spec.lead_codes) or '–'}")
    lines.append(f"Teilnehmende: {', '.join(spec.participant_codes) or '–'}")
    if spec.description:
        lines.append(spec.description)
    if spec.is_example and "Beispiel" not in spec.description:
        lines.append("Beispieltermin: nicht aus dem Arbeitsplan.")
    lines.append(f"Agenda: {_agenda_url(ctx, spec.dtstart.date(), spec.gremium_slug)}")
    return "\n".join(lines)


def _with_note(description: str, note: str) -> str:
    return f"{note}\n{description}" if note else description


def _categories(spec: SeriesSpec) -> tuple[str, ...]:
    names = ["Gremium" if spec.gremium_slug else "Termin"]
    if spec.is_example:
        names.append("Beispiel")
    return tuple(names)


def _agenda_url(ctx: FeedContext, day: date, gremium: str | None) -> str:
    query = f"?gremium={gremium}" if gremium else ""
    return f"{ctx.base_url.rstrip('/')}/agenda/{day:%Y}/{day:%m}{query}"
