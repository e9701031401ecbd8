"""The learning checklist in the stage registry, for many initiatives at once (2 queries)."""

from django.db.models import Count, Q

from initiatives.registry import ChecklistItem
from learning.models import Experiment, ExperimentStatus, Metric


def learning_checklist(initiatives) -> dict[int, list[ChecklistItem]]:
    ids = [i.pk for i in initiatives]
    # Query 1: KPIs per initiative, and how many have a baseline.
    kpis = {
        row["initiative_id"]: row
        for row in Metric.objects.filter(initiative_id__in=ids)
        .values("initiative_id")
        .annotate(n=Count("id"), with_baseline=Count("id", filter=Q(baseline__isnull=False)))
    }
    # Query 2: initiatives with an experiment concluded with a decision.
    decided = set(
        Experiment.objects.filter(initiative_id__in=ids, status=ExperimentStatus.CONCLUDED)
        .exclude(decision="")
        .order_by()
        .values_list("initiative_id", flat=True)
        .distinct()
    )
    result = {}
    for pk in ids:
        row = kpis.get(pk, {"n": 0, "with_baseline": 0})
        missing = row["n"] - row["with_baseline"]
        result[pk] = [
            ChecklistItem(
                "KPIs defined, each with a baseline",
                row["n"] > 0 and missing == 0,
                "Add at least one KPI."
                if row["n"] == 0
                else f"{missing} KPI{'s' if missing != 1 else ''} without a baseline."
                if missing
                else "",
            ),
            ChecklistItem(
                "An experiment concluded with a decision",
                pk in decided,
                "Pilot an element, then adopt, adapt or abandon it.",
            ),
        ]
    return result
