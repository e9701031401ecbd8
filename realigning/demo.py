"""Realigning's part of the demo: actions, money, and a relapse scan over the demo KPIs."""

import datetime as dt
from decimal import Decimal

from learning.models import Metric
from realigning import flags, scan
from realigning.models import (
    ActionStatus,
    EntryKind,
    FinancialEntry,
    FlagStatus,
    RealignmentAction,
    RelapseFlag,
)

ACTIONS = [
    (
        "structure",
        "Name a customer manager for every household segment",
        ActionStatus.DONE,
        "Org chart v3 published on the intranet",
    ),
    (
        "measures",
        "Put first-contact resolution in the monthly board pack",
        ActionStatus.DONE,
        "Board pack, March: page 4",
    ),
    (
        "rewards",
        "Tie the service bonus to resolution, not call length",
        ActionStatus.IN_PROGRESS,
        "",
    ),
    ("systems", "One customer history screen for agents", ActionStatus.PLANNED, ""),
]


def seed_demo(demo) -> None:
    for key in ("billing", "retention"):
        initiative = demo.initiatives[key]
        for i, (kind, title, status, evidence) in enumerate(ACTIONS):
            RealignmentAction.objects.get_or_create(
                initiative=initiative,
                title=title,
                defaults={
                    "kind": kind,
                    "status": status,
                    "evidence": evidence,
                    "owner": demo.users["leader"],
                    "due_date": demo.today + dt.timedelta(days=30 * (i - 1)),
                },
            )
        _money(initiative, demo.today)
    # The scan that a worker would run: flags for the demo KPIs that slid back.
    scan.check_metrics(scan.all_metric_ids(), force=True)
    _triage(demo)


def _triage(demo) -> None:
    """The leader has looked at the older flags: the demo KPIs were in control then.

    At the designed false-alarm rate (about one in 370+ in-control points) a year of daily
    data may raise one; the demo shows what people do with it. The newest flag per KPI,
    the real slide, stays open.
    """
    for metric_id in set(RelapseFlag.objects.active().values_list("metric_id", flat=True)):
        older = RelapseFlag.objects.active().filter(metric_id=metric_id).order_by("-fired_on")[1:]
        for flag in older:
            flags.set_status(
                flag,
                demo.users["leader"],
                FlagStatus.FALSE_ALARM,
                "Checked with the team: an ordinary busy week, no change in how we work.",
            )


def _money(initiative, today) -> None:
    if FinancialEntry.objects.filter(initiative=initiative).exists():
        return
    metric = Metric.objects.filter(initiative=initiative).order_by("pk").first()
    investment = initiative.investment or Decimal("100000")
    FinancialEntry.objects.create(
        initiative=initiative,
        kind=EntryKind.INVESTMENT,
        date=today - dt.timedelta(days=300),
        amount=investment * Decimal("0.6"),
        note="Tooling and training",
    )
    FinancialEntry.objects.create(
        initiative=initiative,
        kind=EntryKind.INVESTMENT,
        date=today - dt.timedelta(days=200),
        amount=investment * Decimal("0.4"),
        note="Rollout to all sites",
    )
    for months in (5, 3, 1):
        FinancialEntry.objects.create(
            initiative=initiative,
            kind=EntryKind.BENEFIT,
            date=today - dt.timedelta(days=30 * months),
            amount=investment * Decimal("0.45"),
            note="Fewer repeat calls",
            supporting_metric=metric,
        )
