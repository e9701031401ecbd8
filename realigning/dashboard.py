"""Realigning on the executive dashboard: health, relapse flags, financial return, cockpit.

Registered with `initiatives.registry.register_dashboard` in `RealigningConfig.ready()`.
Every function answers for a whole list of initiatives in a fixed number of queries, with
the sums and counts done by the database.

Health rules (what a sponsor reads when hovering over the badge):
- red: a relapse flag nobody has acknowledged yet (a KPI slides back and nobody said so);
- amber: relapse flags that are acknowledged but still active;
- amber: realignment actions past their due date; red once one is OVERDUE_RED_DAYS late.
"""

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Exists, Max, Min, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse

from initiatives.registry import (
    AMBER,
    RED,
    DashboardProvider,
    DashboardScope,
    HealthReason,
    url_maker,
)
from realigning import finance
from realigning.models import (
    ACTIVE_FLAG_STATUSES,
    ActionStatus,
    EntryKind,
    FinancialEntry,
    FlagStatus,
    RealignmentAction,
    RelapseFlag,
    Severity,
)

OVERDUE_RED_DAYS = 60
TOP_FLAGS = 20  # flags listed on the dashboard; the rest are one click away
TOP_RETURNS = 10  # initiatives with their payback on the dashboard; all of them in the CSV
ZERO = Decimal("0")
SEVERITY_NAME = {3: Severity.HIGH.label, 2: Severity.MEDIUM.label, 1: Severity.LOW.label}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def health(scope: DashboardScope) -> dict[int, list[HealthReason]]:
    ids = scope.in_sql
    overview = url_maker("realigning:overview")
    result: dict[int, list[HealthReason]] = {}
    # Query 1: active relapse flags per initiative.
    for row in (
        RelapseFlag.objects.filter(metric__initiative__in=ids, status__in=ACTIVE_FLAG_STATUSES)
        .values("metric__initiative_id")
        .annotate(
            n=Count("id"),
            unacknowledged=Count("id", filter=Q(status=FlagStatus.OPEN)),
            worst=Max("severity_rank"),
            since=Min("slide_began"),
        )
    ):
        pk = row["metric__initiative_id"]
        url = overview(pk)
        worst = SEVERITY_NAME.get(row["worst"], "low").lower()
        if row["unacknowledged"]:
            text = (
                f"{_plural(row['unacknowledged'], 'relapse flag')} nobody has acknowledged "
                f"(worst: {worst}; sliding back since {row['since']:%d %b %Y})."
            )
            result.setdefault(pk, []).append(HealthReason(RED, text, url))
        else:
            text = (
                f"{_plural(row['n'], 'relapse flag')} acknowledged but still active "
                f"(worst: {worst})."
            )
            result.setdefault(pk, []).append(HealthReason(AMBER, text, url))
    # Query 2: realignment actions past their due date.
    for row in (
        RealignmentAction.objects.filter(initiative__in=ids, due_date__lt=scope.today)
        .exclude(status__in=[ActionStatus.DONE, ActionStatus.CANCELLED])
        .values("initiative_id")
        .annotate(n=Count("id"), oldest=Min("due_date"))
    ):
        late = (scope.today - row["oldest"]).days
        level = RED if late > OVERDUE_RED_DAYS else AMBER
        text = (
            f"{_plural(row['n'], 'realignment action')} overdue "
            f"(the oldest was due {row['oldest']:%d %b %Y}, {late} days ago)."
        )
        url = overview(row["initiative_id"])
        result.setdefault(row["initiative_id"], []).append(HealthReason(level, text, url))
    return result


# --- Portfolio panels ----------------------------------------------------------------------------


def open_flags(ids) -> dict:
    """Active relapse flags across the initiatives: newest and most severe first. 2 queries."""
    chart = url_maker("realigning:control-chart", 2)
    active = RelapseFlag.objects.filter(metric__initiative__in=ids, status__in=ACTIVE_FLAG_STATUSES)
    # Query 1: how many, by severity.
    by_severity = {
        row["severity"]: row["n"]
        for row in active.values("severity").annotate(n=Count("id")).order_by()
    }
    # Query 2: the newest, most severe ones, with their KPI and initiative.
    rows = active.order_by("-fired_on", "-severity_rank", "-id").values(
        "id",
        "severity",
        "status",
        "fired_on",
        "slide_began",
        "rule",
        "metric_id",
        "metric__name",
        "metric__initiative_id",
        "metric__initiative__title",
    )[:TOP_FLAGS]
    flags = [
        {
            "id": r["id"],
            "severity": r["severity"],
            "severity_label": Severity(r["severity"]).label,
            "status": r["status"],
            "status_label": FlagStatus(r["status"]).label,
            "fired_on": r["fired_on"],
            "slide_began": r["slide_began"],
            "rule": r["rule"],
            "metric_id": r["metric_id"],
            "metric": r["metric__name"],
            "initiative_id": r["metric__initiative_id"],
            "initiative": r["metric__initiative__title"],
            "url": chart(r["metric__initiative_id"], r["metric_id"]),
        }
        for r in rows
    ]
    return {
        "flags": flags,
        "total": sum(by_severity.values()),
        "by_severity": [(s.label, by_severity.get(s.value, 0)) for s in Severity][::-1],
        "all_url": reverse("realigning:flags"),
    }


def _counted_benefit():
    """A benefit counts when its supporting KPI has no active relapse flag (finance.py's rule)."""
    relapsed = RelapseFlag.objects.filter(
        metric_id=OuterRef("supporting_metric_id"), status__in=ACTIVE_FLAG_STATUSES
    )
    return Q(kind=EntryKind.BENEFIT, supporting_metric__isnull=False) & ~Q(Exists(relapsed))


def _roi(investment: Decimal, counted: Decimal) -> float | None:
    return round(float(100 * (counted - investment) / investment), 1) if investment else None


def financial_return(ids) -> dict:
    """Investment, claimed and counted benefit, ROI and payback: portfolio and per initiative.

    Sums by the database (3 queries), then finance.returns_for for the payback dates and
    the withheld benefit of the largest investments shown (2 queries).
    """
    overview = url_maker("realigning:overview")
    entries = FinancialEntry.objects.filter(initiative__in=ids)
    counted = _counted_benefit()
    sums = {
        "investment": Sum("amount", filter=Q(kind=EntryKind.INVESTMENT), default=ZERO),
        "claimed": Sum("amount", filter=Q(kind=EntryKind.BENEFIT), default=ZERO),
        "counted": Sum("amount", filter=counted, default=ZERO),
    }
    # Query 1: per initiative.
    per = list(
        entries.values("initiative_id", "initiative__title")
        .annotate(**sums)
        .order_by("-investment", "initiative_id")
    )
    # Query 2: per month, for the portfolio's payback.
    months = list(
        entries.annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(**sums)
        .order_by("month")
    )
    total_inv = sum((r["investment"] for r in per), ZERO)
    total_claimed = sum((r["claimed"] for r in per), ZERO)
    total_counted = sum((r["counted"] for r in per), ZERO)
    balance, payback = ZERO, None
    for m in months:
        balance += m["counted"] - m["investment"]
        if payback is None and total_inv and balance >= 0 and m["investment"] != m["counted"]:
            payback = m["month"]
    if payback is not None and balance < 0:
        payback = None  # later investment has not paid back yet
    top_ids = [r["initiative_id"] for r in per[:TOP_RETURNS]]
    details = finance.returns_for(top_ids) if top_ids else {}  # queries 3 and 4
    rows = []
    for r in per:
        d = details.get(r["initiative_id"])
        rows.append(
            {
                "initiative_id": r["initiative_id"],
                "initiative": r["initiative__title"],
                "investment": r["investment"],
                "claimed": r["claimed"],
                "counted": r["counted"],
                "withheld": r["claimed"] - r["counted"],
                "roi_percent": _roi(r["investment"], r["counted"]),
                "payback": d.payback_date if d else None,
                "why_withheld": d.withheld if d else [],
                "url": overview(r["initiative_id"]),
            }
        )
    if isinstance(payback, dt.datetime):
        payback = payback.date()
    return {
        "total": {
            "investment": total_inv,
            "claimed": total_claimed,
            "counted": total_counted,
            "withheld": total_claimed - total_counted,
            "roi_percent": _roi(total_inv, total_counted),
            "payback": payback,
        },
        "rows": rows,
        "shown": TOP_RETURNS,
    }


def portfolio(scope: DashboardScope) -> dict:
    ids = scope.in_sql
    return {"relapse_flags": open_flags(ids), "finance": financial_return(ids)}


# --- The cockpit -------------------------------------------------------------------------------


def cockpit(initiative, today: dt.date) -> dict:
    """Actions, return, flags and relapse marks for one initiative: 4 queries."""
    actions = [
        {
            "title": a.title,
            "kind": a.get_kind_display(),
            "status": a.status,
            "status_label": a.get_status_display(),
            "due_date": a.due_date,
            "overdue": bool(
                a.due_date
                and a.due_date < today
                and a.status not in (ActionStatus.DONE, ActionStatus.CANCELLED)
            ),
            "owner": (a.owner.get_full_name() or a.owner.username) if a.owner else "",
            "completed_at": a.completed_at,
        }
        for a in RealignmentAction.objects.filter(initiative=initiative).select_related("owner")
    ]
    flags = list(
        RelapseFlag.objects.filter(metric__initiative=initiative)
        .select_related("metric")
        .order_by("-fired_on", "-severity_rank", "-id")
    )
    marks: dict[int, list[str]] = {}
    for f in flags:
        marks.setdefault(f.metric_id, []).append(f.slide_began.isoformat())
    ret = finance.returns_for([initiative.pk])[initiative.pk]
    events = [
        (f.fired_on, f"Relapse flag on {f.metric.name} ({f.get_severity_display().lower()})")
        for f in flags[:10]
    ] + [
        (a["completed_at"], f"Realignment action done: {a['title']}")
        for a in actions
        if a["completed_at"]
    ]
    return {
        "realignment_actions": actions,
        "return": {
            "investment": ret.investment,
            "claimed": ret.benefit_claimed,
            "counted": ret.benefit_counted,
            "roi_percent": ret.roi_percent,
            "payback": ret.payback_date,
            "withheld": ret.withheld,
        },
        "relapse_flags": [
            {
                "metric": f.metric.name,
                "metric_id": f.metric_id,
                "severity": f.severity,
                "severity_label": f.get_severity_display(),
                "status_label": f.get_status_display(),
                "active": f.is_active,
                "fired_on": f.fired_on,
                "url": reverse("realigning:control-chart", args=[initiative.pk, f.metric_id]),
            }
            for f in flags[:10]
        ],
        "relapse_marks": marks,
        "events": events,
    }


PROVIDER = DashboardProvider(health=health, portfolio=portfolio, cockpit=cockpit)
