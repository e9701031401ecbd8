"""Learning on the executive dashboard: NPS per segment with its reasons, KPIs, experiments.

Registered with `initiatives.registry.register_dashboard` in `LearningConfig.ready()`, which
also tells the dashboard's cache when measurements are written in bulk.

Counting is done by the database (NPS per segment and month, weekly means of a KPI); only
the themes of the why texts are counted in Python, over a bounded number of the newest
texts (learning.themes).
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.urls import reverse

from initiatives.registry import DashboardProvider, DashboardScope
from learning.models import Experiment, Measurement, Metric, NpsResponse
from learning.nps import nps_of
from learning.themes import themes

NPS_MONTHS = 12  # the trend shows the last year
THEME_TEXTS = 1000  # the newest why texts per segment and side considered for its reasons
SPARK_DAYS = 365  # a KPI's sparkline covers the last year, one point per week


def _month(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def nps_by_segment(scope: DashboardScope) -> dict:
    """NPS per segment and month over the last year, with the top reasons: 2 queries."""
    since = (scope.today.replace(day=1) - dt.timedelta(days=31 * (NPS_MONTHS - 1))).replace(day=1)
    qs = NpsResponse.objects.filter(initiative__in=scope.in_sql, responded_on__gte=since)
    if scope.segment_id:
        qs = qs.filter(segment_id=scope.segment_id)
    # Query 1: responses, promoters and detractors per segment and month.
    segments: dict[int | None, dict] = {}
    months: set[dt.date] = set()
    for row in (
        qs.annotate(month=TruncMonth("responded_on"))
        .values("segment_id", "segment__name", "month")
        .annotate(
            n=Count("id"),
            promoters=Count("id", filter=Q(score__gte=9)),
            detractors=Count("id", filter=Q(score__lte=6)),
        )
        .order_by("segment__name", "month")
    ):
        month = _month(row["month"])
        months.add(month)
        seg = segments.setdefault(
            row["segment_id"],
            {"name": row["segment__name"] or "No segment", "months": {}, "n": 0, "p": 0, "d": 0},
        )
        seg["months"][month] = (row["n"], nps_of(row["n"], row["promoters"], row["detractors"]))
        seg["n"] += row["n"]
        seg["p"] += row["promoters"]
        seg["d"] += row["detractors"]
    # Query 2: the newest why texts of detractors and promoters.
    texts: dict[tuple, list[str]] = defaultdict(list)
    limit = THEME_TEXTS * 2 * max(len(segments), 1)
    for segment_id, score, why in (
        qs.exclude(why="")
        .filter(Q(score__lte=6) | Q(score__gte=9))
        .order_by("-responded_on", "-id")
        .values_list("segment_id", "score", "why")[:limit]
    ):
        bucket = texts[(segment_id, score >= 9)]
        if len(bucket) < THEME_TEXTS:
            bucket.append(why)
    axis = sorted(months)
    rows = []
    for segment_id, seg in sorted(segments.items(), key=lambda kv: (kv[0] is None, kv[1]["name"])):
        rows.append(
            {
                "segment_id": segment_id,
                "name": seg["name"],
                "n": seg["n"],
                "nps": nps_of(seg["n"], seg["p"], seg["d"]),
                "series": [seg["months"].get(m, (0, None))[1] for m in axis],
                "counts": [seg["months"].get(m, (0, None))[0] for m in axis],
                "detractor_reasons": [
                    (t.phrase, t.count) for t in themes(texts[(segment_id, False)], top=3)
                ],
                "promoter_reasons": [
                    (t.phrase, t.count) for t in themes(texts[(segment_id, True)], top=3)
                ],
            }
        )
    return {"months": axis, "segments": rows}


def portfolio(scope: DashboardScope) -> dict:
    return {"nps": nps_by_segment(scope)}


def cockpit(initiative, today: dt.date) -> dict:
    """KPIs with a year of weekly means, and the experiments with their decisions: 3 queries."""
    metrics = list(Metric.objects.filter(initiative=initiative).order_by("name"))
    since = today - dt.timedelta(days=SPARK_DAYS)
    points: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for metric_id, week, value in (
        Measurement.objects.filter(metric__initiative=initiative, period__gte=since)
        .annotate(week=TruncWeek("period"))
        .values("metric_id", "week")
        .annotate(value=Avg("value"))
        .order_by("metric_id", "week")
        .values_list("metric_id", "week", "value")
    ):
        points[metric_id].append((_month(week).isoformat(), round(value, 3)))
    kpis = [
        {
            "id": m.pk,
            "name": m.name,
            "unit": m.unit,
            "higher_is_better": m.higher_is_better,
            "baseline": m.baseline,
            "target": m.target,
            "points": points.get(m.pk, []),
            "latest": points[m.pk][-1][1] if points.get(m.pk) else None,
            "url": reverse("learning:metric", args=[initiative.pk, m.pk]),
        }
        for m in metrics
    ]
    experiments = list(
        Experiment.objects.filter(initiative=initiative)
        .select_related("metric")
        .order_by("-start", "-id")
    )
    return {
        "kpis": kpis,
        "kpis_url": reverse("learning:overview", args=[initiative.pk]),
        "experiments": [
            {
                "title": e.title,
                "status": e.status,
                "status_label": e.get_status_display(),
                "decision": e.decision,
                "decision_label": e.get_decision_display() if e.decision else "",
                "metric": e.metric.name if e.metric else "",
                "start": e.start,
                "end": e.end,
                "learned": e.learned,
                "url": reverse("learning:experiment", args=[initiative.pk, e.pk]),
            }
            for e in experiments
        ],
        "events": [
            (e.decided_at, f"Experiment decided: {e.get_decision_display()} “{e.title}”")
            for e in experiments
            if e.decided_at
        ],
    }


PROVIDER = DashboardProvider(portfolio=portfolio, cockpit=cockpit)


def register() -> None:
    """Called from LearningConfig.ready(): the provider, and cache invalidation on writes."""
    from initiatives import registry
    from initiatives.dashboard_cache import portfolio_changed
    from initiatives.models import Stage
    from learning.hooks import measurement_listeners

    registry.register_dashboard(Stage.LEARNING, PROVIDER)
    if portfolio_changed not in measurement_listeners:
        measurement_listeners.append(portfolio_changed)
