"""Is a rollout wave stalling? The moment that, in the research, kills most programmes.

`assess(...)` is pure (dates and numbers in, reasons in words out, no Django), so it is
fast and testable alone. `stalling_waves(initiatives)` loads the waves of many
initiatives in three queries and is what the executive dashboard asks.

A wave stalls when
- it is overdue: its planned end has passed and it is not done; or
- its adoption stopped growing: the wave's adoption (the mean of each unit's latest
  reading) has not risen by at least MIN_GROWTH points over the last WINDOW_DAYS while
  still below the wave's target; or
- nobody has measured it for WINDOW_DAYS while it runs (attention moved on).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

WINDOW_DAYS = 28  # four weeks without growth is a stall, not a pause
MIN_GROWTH = 1.0  # percentage points over the window that count as still growing

Reading = tuple[dt.date, float]


def adoption_on(units: Mapping[object, Sequence[Reading]], day: dt.date) -> float | None:
    """The wave's adoption on `day`: the mean of each unit's latest reading by then.

    A unit with no reading yet counts as 0 once any unit has been measured, because a
    unit that has not started has not adopted.
    """
    latest = []
    for readings in units.values():
        known = [pct for date, pct in readings if date <= day]
        latest.append(known[-1] if known else None)
    if all(v is None for v in latest):
        return None
    values = [v if v is not None else 0.0 for v in latest]
    return sum(values) / len(values)


def assess(
    *,
    status: str,
    planned_end: dt.date,
    actual_start: dt.date | None,
    units: Mapping[object, Sequence[Reading]],
    today: dt.date,
    target: float = 90.0,
    window_days: int = WINDOW_DAYS,
    min_growth: float = MIN_GROWTH,
) -> list[str]:
    """Why the wave is stalling, in words; an empty list when it is not.

    `units` maps each unit to its readings as (date, adoption %) sorted by date.
    """
    if status == "done":
        return []
    units = {k: sorted(v) for k, v in units.items()}
    reasons = []
    if planned_end < today:
        late = (today - planned_end).days
        reasons.append(
            f"Overdue: planned to end on {planned_end.isoformat()}, {late} day"
            f"{'s' if late != 1 else ''} ago, and not done."
        )
    if status != "running":
        return reasons
    all_dates = [date for readings in units.values() for date, _ in readings]
    now = adoption_on(units, today)
    if now is None:
        started = actual_start or planned_end
        if (today - started).days >= window_days:
            reasons.append(
                f"No adoption reading since the wave started on {started.isoformat()}: "
                "nobody is measuring whether people work the new way."
            )
        return reasons
    if now >= target:
        return reasons
    last_reading = max(all_dates)
    if (today - last_reading).days >= window_days:
        reasons.append(
            f"No adoption reading for {(today - last_reading).days} days (last on "
            f"{last_reading.isoformat()}, at {now:.0f}%)."
        )
        return reasons
    window_start = today - dt.timedelta(days=window_days)
    then = adoption_on(units, window_start)
    if then is None:
        return reasons  # too young to judge its growth
    if now - then < min_growth:
        reasons.append(
            f"Adoption stopped growing: {now:.0f}% now against {then:.0f}% "
            f"{window_days // 7} weeks ago, below the {target:.0f}% target."
        )
    return reasons


@dataclass(frozen=True)
class StallingWave:
    wave: object  # a RolloutWave
    reasons: list[str]


def stalling_waves(initiatives: Iterable, today: dt.date | None = None) -> dict[int, list]:
    """{initiative id: [StallingWave(wave, reasons), ...]} for the waves that stall.

    Three queries for any number of initiatives: waves, their units, their readings.
    Initiatives with no stalling wave are left out.
    """
    from django.db.models import Prefetch
    from django.utils import timezone

    from mobilizing.models import AdoptionReading, RolloutWave, WaveUnit

    today = today or timezone.localdate()
    ids = [getattr(i, "pk", i) for i in initiatives]
    waves = RolloutWave.objects.filter(initiative_id__in=ids).prefetch_related(
        Prefetch(
            "units",
            queryset=WaveUnit.objects.prefetch_related(
                Prefetch("readings", queryset=AdoptionReading.objects.order_by("date"))
            ),
        )
    )
    result: dict[int, list[StallingWave]] = {}
    for wave in waves:
        reasons = assess_wave(wave, today)
        if reasons:
            result.setdefault(wave.initiative_id, []).append(StallingWave(wave, reasons))
    return result


def wave_readings(wave) -> dict[object, list[Reading]]:
    """A wave's (prefetched) units and readings in the shape `assess` takes."""
    return {
        unit.pk: [(r.date, float(r.adoption_pct)) for r in unit.readings.all()]
        for unit in wave.units.all()
    }


def assess_wave(wave, today: dt.date) -> list[str]:
    return assess(
        status=wave.status,
        planned_end=wave.planned_end,
        actual_start=wave.actual_start,
        units=wave_readings(wave),
        today=today,
        target=float(wave.target_adoption),
    )
