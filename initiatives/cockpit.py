"""The initiative cockpit: one page a sponsor reads in a minute.

The charter's problem and scope, the four-process progress with what blocks the next
stage, KPIs as small multiples, experiments, waves, stakeholders still to win,
realignment actions, return and the recent history. The hub asks each process for its
sections (`registry.cockpit_sections`) and caches the answer per portfolio version.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from initiatives import charts, dashboard_cache, registry
from initiatives.dashboard import LEVEL_BADGE, LEVEL_LABEL
from initiatives.models import PROCESS_STAGES, Initiative

HISTORY = 8


def _blockers(initiative: Initiative, progress) -> list[str]:
    """What blocks the next stage (as initiatives.stages.blockers, from progress we have)."""
    if initiative.stage not in PROCESS_STAGES:
        return []
    current = next(p for p in progress if p.stage == initiative.stage)
    return [item.label for item in current.items if not item.done] if current.registered else []


def compute(initiative: Initiative, today: dt.date) -> dict:
    progress = registry.progress_for([initiative])[initiative.pk]
    scope = registry.DashboardScope(initiative_ids=[initiative.pk], user=None, today=today)
    reasons = registry.health_for(scope)[initiative.pk]
    level = registry.health_level(reasons)
    sections = registry.cockpit_sections(initiative, today)
    marks = sections.get("relapse_marks", {})
    for kpi in sections.get("kpis", []):
        kpi["marks"] = marks.get(kpi["id"], [])
        kpi["relapsed"] = bool(kpi["marks"])
    history = [
        (h.history_date.date(), f"{h.get_history_type_display()} by {h.history_user or 'system'}")
        for h in initiative.history.select_related("history_user")[:HISTORY]
    ]
    events = sorted(
        sections.pop("events", []) + [(d, f"Initiative {t.lower()}") for d, t in history],
        key=lambda e: e[0],
        reverse=True,
    )
    return {
        "progress": progress,
        "blockers": _blockers(initiative, progress),
        "health": {
            "level": level,
            "label": LEVEL_LABEL[level],
            "badge": LEVEL_BADGE[level],
            "reasons": [{"level": r.level, "text": r.text, "url": r.url} for r in reasons],
        },
        "sections": sections,
        "events": events[:12],
        "days_in_stage": max((timezone.now() - initiative.stage_changed_at).days, 0),
        "providers": {stage for stage, _ in registry.dashboard_providers()},
    }


def cockpit_for(initiative: Initiative, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    data = dashboard_cache.cached(
        ("cockpit", initiative.pk, today.isoformat()), lambda: compute(initiative, today)
    )
    for kpi in data["sections"].get("kpis", []):
        kpi["svg"] = charts.sparkline(
            [tuple(p) for p in kpi["points"]],
            baseline=kpi["baseline"],
            target=kpi["target"],
            marks=kpi["marks"],
            title=f"{kpi['name']}: the last year, weekly",
        )
    return data
