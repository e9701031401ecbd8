"""The realigning checklist that gates "sustained", for many initiatives at once."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from initiatives.registry import ChecklistItem
from learning.models import Measurement, Metric
from realigning.models import (
    ACTIVE_FLAG_STATUSES,
    ActionStatus,
    RealignmentAction,
    RelapseFlag,
)


def realigning_checklist(initiatives) -> dict[int, list[ChecklistItem]]:
    ids = [i.pk for i in initiatives]
    quiet = settings.RELAPSE_QUIET_PERIODS
    # Query 1: actions, done and not.
    actions = {
        row["initiative_id"]: row
        for row in RealignmentAction.objects.filter(initiative_id__in=ids)
        .exclude(status=ActionStatus.CANCELLED)
        .values("initiative_id")
        .annotate(total=Count("id"), done=Count("id", filter=Q(status=ActionStatus.DONE)))
    }
    # Query 2: KPIs, and how many are in management reporting.
    kpis = {
        row["initiative_id"]: row
        for row in Metric.objects.filter(initiative_id__in=ids)
        .values("initiative_id")
        .annotate(total=Count("id"), reported=Count("id", filter=Q(in_management_reporting=True)))
    }
    quiet_ok = _quiet_long_enough(ids, quiet)
    result = {}
    for pk in ids:
        a, k = actions.get(pk, {}), kpis.get(pk, {})
        result[pk] = [
            ChecklistItem(
                "All realignment actions done",
                bool(a.get("total")) and a["done"] == a["total"],
                "Structures, processes, systems, measures, rewards and budgets.",
            ),
            ChecklistItem(
                "KPIs in management reporting",
                bool(k.get("total")) and k["reported"] == k["total"],
            ),
            ChecklistItem(
                f"No open relapse flag for {quiet} periods",
                pk in quiet_ok,
                "Every KPI has held its gain for the configured number of periods.",
            ),
        ]
    return result


def _quiet_long_enough(ids: list[int], quiet: int) -> set[int]:
    """Initiatives with KPIs, no active flag, and `quiet` periods of data since the last.

    One query: per metric, the date to count from (its newest flag, else its hold date),
    whether a flag is active, and the number of periods measured since.
    """
    newest_flag = RelapseFlag.objects.filter(metric=OuterRef("pk")).order_by("-fired_on")
    periods_since = (
        Measurement.objects.filter(metric=OuterRef("pk"), period__gt=OuterRef("since"))
        .values("metric")
        .annotate(n=Count("id"))
        .values("n")
    )
    metrics = (
        Metric.objects.filter(initiative_id__in=ids)
        .annotate(
            since=Coalesce(Subquery(newest_flag.values("fired_on")[:1]), F("hold_from")),
            active=Exists(
                RelapseFlag.objects.filter(metric=OuterRef("pk"), status__in=ACTIVE_FLAG_STATUSES)
            ),
        )
        .annotate(n=Coalesce(Subquery(periods_since[:1]), 0))
        .values_list("initiative_id", "active", "since", "n")
    )
    ok_by_initiative: dict[int, list[bool]] = defaultdict(list)
    for initiative_id, active, since, n in metrics:
        ok_by_initiative[initiative_id].append(not active and since is not None and n >= quiet)
    return {pk for pk, oks in ok_by_initiative.items() if oks and all(oks)}
