"""Mobilizing on the executive dashboard: health, the importance-performance view, cockpit.

Registered with `initiatives.registry.register_dashboard` in `MobilizingConfig.ready()`.

Health rules:
- amber: a rollout wave stalls (mobilizing.stalling says why); red once a stalling wave
  is more than STALL_RED_DAYS past its planned end;
- amber: trust in leadership fell between the last two pulse surveys by FALLING_TRUST
  points or more (on the 1-5 scale); red from FALLING_TRUST_RED points.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from initiatives.registry import (
    AMBER,
    RED,
    DashboardProvider,
    DashboardScope,
    HealthReason,
    url_maker,
)
from mobilizing import ipa, stalling
from mobilizing.models import (
    AdoptionReading,
    IpaSurvey,
    PulseSurvey,
    RolloutWave,
    Stakeholder,
    SurveyStatus,
    WaveStatus,
    WaveUnit,
)
from mobilizing.pulse import trust_trend
from mobilizing.rules import VIEW_IPA

FALLING_TRUST = 0.2
FALLING_TRUST_RED = 0.5
STALL_RED_DAYS = 30


def stalling_by_initiative(scope: DashboardScope) -> dict[int, list[tuple[dict, list[str]]]]:
    """{initiative id: [(wave, reasons)]} for the waves that stall: mobilizing.stalling's rule.

    The same `stalling.assess` as `stalling.stalling_waves`, fed from three light `values()`
    queries instead of model instances, because at a thousand initiatives the prefetch of
    every unit and reading as objects costs seconds.
    """
    # Query 1: waves that can stall: not done, and running or past their planned end.
    waves = {
        w["id"]: w
        for w in RolloutWave.objects.filter(initiative__in=scope.in_sql)
        .exclude(status=WaveStatus.DONE)
        .filter(Q(status=WaveStatus.RUNNING) | Q(planned_end__lt=scope.today))
        .order_by()
        .values(
            "id",
            "initiative_id",
            "name",
            "status",
            "planned_end",
            "actual_start",
            "target_adoption",
        )
    }
    if not waves:
        return {}
    running = RolloutWave.objects.filter(
        initiative__in=scope.in_sql, status=WaveStatus.RUNNING
    ).values("id")
    # Query 2: the units of the running waves (a unit without a reading counts as 0).
    units: dict[int, dict[int, list]] = defaultdict(dict)
    for wave_id, unit_id in WaveUnit.objects.filter(wave__in=running).values_list("wave_id", "id"):
        units[wave_id][unit_id] = []
    # Query 3: their readings, oldest first.
    for wave_id, unit_id, day, pct in (
        AdoptionReading.objects.filter(unit__wave__in=running, date__lte=scope.today)
        .order_by("unit_id", "date")
        .values_list("unit__wave_id", "unit_id", "date", "adoption_pct")
    ):
        units[wave_id][unit_id].append((day, float(pct)))
    result: dict[int, list] = {}
    for wave in waves.values():
        reasons = stalling.assess(
            status=wave["status"],
            planned_end=wave["planned_end"],
            actual_start=wave["actual_start"],
            units=units.get(wave["id"], {}),
            today=scope.today,
            target=float(wave["target_adoption"]),
        )
        if reasons:
            result.setdefault(wave["initiative_id"], []).append((wave, reasons))
    return result


def health(scope: DashboardScope) -> dict[int, list[HealthReason]]:
    waves_url, trends_url = url_maker("mobilizing:waves"), url_maker("mobilizing:pulse-trends")
    result: dict[int, list[HealthReason]] = {}
    # Queries 1-3: stalling waves.
    for pk, stalls in stalling_by_initiative(scope).items():
        url = waves_url(pk)
        for wave, reasons in sorted(stalls, key=lambda s: s[0]["planned_end"]):
            late = (scope.today - wave["planned_end"]).days
            level = RED if late > STALL_RED_DAYS else AMBER
            text = f"Rollout wave “{wave['name']}” is stalling: " + " ".join(reasons)
            result.setdefault(pk, []).append(HealthReason(level, text, url))
    # Query 4: who has run two pulse surveys (trust can only fall between two).
    surveyed = list(
        PulseSurvey.objects.filter(initiative__in=scope.in_sql)
        .exclude(status=SurveyStatus.DRAFT)
        .values("initiative_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values_list("initiative_id", flat=True)
    )
    # Query 5: trust in leadership between the last two pulse surveys.
    for pk, change in (trust_trend(surveyed) if surveyed else {}).items():
        if change is None or change > -FALLING_TRUST:
            continue
        level = RED if change <= -FALLING_TRUST_RED else AMBER
        text = f"Trust in leadership fell by {-change:.1f} points (1-5) in the last pulse survey."
        url = trends_url(pk)
        result.setdefault(pk, []).append(HealthReason(level, text, url))
    return result


def importance_performance(user) -> dict | None:
    """The newest importance-performance survey with answers, for those who may read it.

    The survey is organisation-wide (no initiative), so the portfolio filters don't apply.
    """
    if not user.has_perm(VIEW_IPA):
        return None
    survey = (
        IpaSurvey.objects.exclude(status=SurveyStatus.DRAFT)
        .filter(responses__isnull=False)
        .order_by("-created_at", "-id")
        .first()
    )
    if survey is None:
        return {"survey": None}
    res = ipa.results(survey)
    return {
        "survey": {
            "title": survey.title,
            "url": reverse("mobilizing:ipa-detail", args=[survey.pk]),
        },
        "responses": res.responses,
        "chart": ipa.chart_data(res),
        "concentrate": [
            {
                "text": r.statement.text,
                "importance": round(r.importance, 2),
                "performance": round(r.performance, 2),
                "gap": round(r.gap, 2),
                "n": r.n,
            }
            for r in res.concentrate_here
        ],
        "quadrant_labels": ipa.QUADRANTS,
    }


def portfolio(scope: DashboardScope) -> dict:
    return {"ipa": importance_performance(scope.user)}


def cockpit(initiative, today: dt.date) -> dict:
    """Waves with adoption and stall reasons, stakeholders still to win: 4 queries."""
    waves = list(
        RolloutWave.objects.filter(initiative=initiative).prefetch_related(
            Prefetch(
                "units",
                queryset=WaveUnit.objects.prefetch_related(
                    Prefetch("readings", queryset=AdoptionReading.objects.order_by("date"))
                ),
            )
        )
    )
    wave_rows = []
    for wave in waves:
        adoption = stalling.adoption_on(stalling.wave_readings(wave), today)
        wave_rows.append(
            {
                "name": wave.name,
                "order": wave.order,
                "status": wave.status,
                "status_label": wave.get_status_display(),
                "planned_start": wave.planned_start,
                "planned_end": wave.planned_end,
                "adoption": round(adoption) if adoption is not None else None,
                "target": wave.target_adoption,
                "stalling": stalling.assess_wave(wave, today),
            }
        )
    to_win = [
        {
            "name": s.name,
            "influence": s.get_influence_display(),
            "support": s.get_support_display(),
            "target": s.get_target_support_display(),
            "move": s.planned_move,
        }
        for s in Stakeholder.objects.filter(initiative=initiative)
        .still_to_win()
        .order_by("-influence", "support", "name")
    ]
    closed = PulseSurvey.objects.filter(initiative=initiative, status=SurveyStatus.CLOSED)
    events = [(w.actual_end, f"Rollout wave landed: {w.name}") for w in waves if w.actual_end]
    events += [(s.closes or s.opens, f"Pulse survey closed: {s.title}") for s in closed]
    return {
        "waves": wave_rows,
        "waves_url": reverse("mobilizing:waves", args=[initiative.pk]),
        "stakeholders_to_win": to_win,
        "stakeholders_url": reverse("mobilizing:stakeholders", args=[initiative.pk]),
        "trust_change": trust_trend([initiative.pk]).get(initiative.pk),
        "events": events,
    }


PROVIDER = DashboardProvider(health=health, portfolio=portfolio, cockpit=cockpit)
