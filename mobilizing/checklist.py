"""The mobilizing checklist that gates the move to realigning, for many initiatives at once."""

from django.db.models import Count, Q

from initiatives.registry import ChecklistItem
from mobilizing.models import PulseSurvey, RolloutWave, Stakeholder, SurveyStatus, WaveStatus


def mobilizing_checklist(initiatives) -> dict[int, list[ChecklistItem]]:
    ids = [i.pk for i in initiatives]
    # Query 1: stakeholders mapped per initiative.
    stakeholders = dict(
        Stakeholder.objects.filter(initiative_id__in=ids)
        .values("initiative_id")
        .annotate(n=Count("id"))
        .values_list("initiative_id", "n")
    )
    # Query 2: closed pulse surveys per initiative.
    closed = dict(
        PulseSurvey.objects.filter(initiative_id__in=ids)
        .values("initiative_id")
        .annotate(n=Count("id", filter=Q(status=SurveyStatus.CLOSED)))
        .values_list("initiative_id", "n")
    )
    # Query 3: the waves (status and order only), in rollout order.
    waves: dict[int, list[str]] = {}
    for initiative_id, status in (
        RolloutWave.objects.filter(initiative_id__in=ids)
        .order_by("initiative_id", "order")
        .values_list("initiative_id", "status")
    ):
        waves.setdefault(initiative_id, []).append(status)
    result = {}
    for pk in ids:
        statuses = waves.get(pk, [])
        result[pk] = [
            ChecklistItem(
                "Stakeholders mapped",
                bool(stakeholders.get(pk)),
                "Place the people and groups you need on the influence x support grid.",
            ),
            ChecklistItem(
                "At least one pulse survey closed",
                bool(closed.get(pk)),
                "Measure trust and skepticism: run a pulse survey and close it.",
            ),
            ChecklistItem(
                "Pilot wave done",
                bool(statuses) and statuses[0] == WaveStatus.DONE,
                "Plan the rollout in waves, starting with a pilot.",
            ),
            ChecklistItem(
                "Next wave started",
                len(statuses) > 1 and statuses[1] in (WaveStatus.RUNNING, WaveStatus.DONE),
                "Scale beyond the pilot: this is where programmes stall.",
            ),
        ]
    return result
