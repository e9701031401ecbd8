"""Experiments: their computed result and the decision that concludes them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from initiatives.access import MANAGE
from learning.effects import Effect, experiment_effect
from learning.models import Experiment, ExperimentStatus, Measurement


@dataclass(frozen=True)
class Result:
    effect: Effect | None  # None: no KPI linked
    reference_label: str
    reference_from: dt.date | None = None
    reference_to: dt.date | None = None


def reference_window(experiment: Experiment) -> tuple[dt.date, dt.date, str]:
    """The baseline period of the KPI, or else as many days just before the pilot."""
    metric = experiment.metric
    if metric.baseline_from and metric.baseline_to:
        return metric.baseline_from, metric.baseline_to, "the KPI's baseline period"
    days = (experiment.end - experiment.start).days
    end = experiment.start - dt.timedelta(days=1)
    return end - dt.timedelta(days=days), end, "the same length of time before the pilot"


def result(experiment: Experiment) -> Result:
    """The effect on the KPI during the pilot: 1 query (2 with a control KPI)."""
    metric = experiment.metric
    if metric is None:
        return Result(None, "")
    start, end = experiment.start, experiment.end
    if experiment.control_metric_id:
        pilot = _values(metric.pk, start, end)
        reference = _values(experiment.control_metric_id, start, end)
        ref = (start, end, f"the control KPI “{experiment.control_metric.name}”")
        against = "control"
    else:
        ref = reference_window(experiment)
        pilot, reference = [], []
        for period, value in Measurement.objects.filter(
            Q(period__gte=start, period__lte=end) | Q(period__gte=ref[0], period__lte=ref[1]),
            metric_id=metric.pk,
        ).values_list("period", "value"):
            if start <= period <= end:
                pilot.append(value)
            elif ref[0] <= period <= ref[1]:
                reference.append(value)
        against = "baseline"
    effect = experiment_effect(
        pilot,
        reference,
        metric_name=metric.name,
        unit=metric.unit,
        higher_is_better=metric.higher_is_better,
        against=against,
    )
    return Result(effect, ref[2], ref[0], ref[1])


def _values(metric_id: int, start: dt.date, end: dt.date) -> list[float]:
    return list(
        Measurement.objects.filter(
            metric_id=metric_id, period__gte=start, period__lte=end
        ).values_list("value", flat=True)
    )


@transaction.atomic
def decide(experiment: Experiment, user, decision: str, learned: str) -> Experiment:
    """A change leader concludes the experiment: adopt, adapt or abandon, and why."""
    if not user.has_perm(MANAGE, experiment.initiative):
        raise PermissionDenied("Only the change leader decides on an experiment.")
    if not learned.strip():
        raise ValidationError({"learned": "Say what was learned: it is the point of the pilot."})
    experiment.status = ExperimentStatus.CONCLUDED
    experiment.decision = decision
    experiment.learned = learned.strip()
    experiment.decided_by = user
    experiment.decided_at = timezone.now()
    experiment.lock_version += 1
    experiment.save(
        update_fields=[
            "status",
            "decision",
            "learned",
            "decided_by",
            "decided_at",
            "lock_version",
            "updated_at",
        ]
    )
    return experiment
