"""Mobilizing on the executive dashboard: health, the importance-performance view, cockpit.

Registered with `initiatives.registry.register_dashboard` in `MobilizingConfig.ready()`.

Health rules:
- amber: a rollout wave stalls (mobilizing.stalling says why); red once a stalling wave
  is more than STALL_RED_DAYS past its planned end;
- amber: trust in leadership fell between the last two pulse surveys by FALLING_TRUST
  points or more (on the 1-5 scale); red from FALLING_TRUST_RED points.
"""

import datetime as dt

from django.db.models import Prefetch
from django.urls import reverse

from initiatives.registry import AMBER, RED, DashboardProvider, DashboardScope, HealthReason
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


def health(scope: DashboardScope) -> dict[int, list[HealthReason]]:
    ids = scope.initiative_ids
    result: dict[int, list[HealthReason]] = {}
    # Query 1: only initiatives with a wave still to land can stall.
    rolling = list(
        RolloutWave.objects.filter(initiative_id__in=ids)
        .exclude(status=WaveStatus.DONE)
        .order_by()
        .values_list("initiative_id", flat=True)
        .distinct()
    )
    # Queries 2-4: their waves, units and readings (mobilizing.stalling).
    for pk, stalls in stalling.stalling_waves(rolling, today=scope.today).items():
        url = reverse("mobilizing:waves", args=[pk])
        for stall in stalls:
            late = (scope.today - stall.wave.planned_end).days
            level = RED if late > STALL_RED_DAYS else AMBER
            text = f"Rollout wave “{stall.wave.name}” is stalling: " + " ".join(stall.reasons)
            result.setdefault(pk, []).append(HealthReason(level, text, url))
    # Query 5: trust in leadership between the last two pulse surveys.
    for pk, change in trust_trend(ids).items():
        if change is None or change > -FALLING_TRUST:
            continue
        level = RED if change <= -FALLING_TRUST_RED else AMBER
        text = f"Trust in leadership fell by {-change:.1f} points (1-5) in the last pulse survey."
        url = reverse("mobilizing:pulse-trends", args=[pk])
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
