"""Realigning: change the system so the change holds, and watch for relapse (DOMAIN.md, 4).

Realignment actions change structures, processes, systems, measures, rewards and
budgets; financial entries weigh the investment against the benefit realised; relapse
flags say when a KPI slides back toward its old baseline after the change.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from initiatives.models import Initiative
from learning.models import Metric


class MetricWatch(models.Model):
    """Where the relapse scan is for one metric: the watermark and the last chart figures.

    `checked_version` is the metric's `data_version` the last check saw: a metric whose
    data_version is higher has new data to check, whether or not its task was enqueued.
    """

    metric = models.OneToOneField(
        Metric, on_delete=models.CASCADE, primary_key=True, related_name="watch"
    )
    checked_version = models.PositiveBigIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, blank=True)  # the detector's ok/insufficient_data
    reason = models.CharField(max_length=200, blank=True)
    level = models.FloatField(null=True, blank=True)
    sigma = models.FloatField(null=True, blank=True)
    lower_limit = models.FloatField(null=True, blank=True)
    upper_limit = models.FloatField(null=True, blank=True)

    def __str__(self) -> str:
        return f"watch of {self.metric_id} at v{self.checked_version}"


class FlagStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"
    FALSE_ALARM = "false_alarm", "False alarm"


ACTIVE_FLAG_STATUSES = (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED)


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


SEVERITY_RANK = {Severity.HIGH: 3, Severity.MEDIUM: 2, Severity.LOW: 1}


class RelapseFlagQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(metric__initiative__in=Initiative.objects.visible_to(user))

    def active(self):
        return self.filter(status__in=ACTIVE_FLAG_STATUSES)


class RelapseFlag(models.Model):
    """A KPI sliding back toward its old baseline: one flag per metric and episode."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="relapse_flags")
    rule = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    severity_rank = models.PositiveSmallIntegerField(default=1)  # for "most severe first"
    fired_on = models.DateField()
    slide_began = models.DateField()
    evidence = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    status_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    notified_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = RelapseFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-fired_on", "-severity_rank", "-id"]
        constraints = [
            # The episode is keyed by when the slide began: rescans never duplicate a flag.
            models.UniqueConstraint(
                fields=["metric", "slide_began"], name="one_flag_per_metric_episode"
            ),
        ]
        indexes = [models.Index(fields=["status", "-fired_on"])]

    def __str__(self) -> str:
        return f"{self.metric.name}: {self.rule} on {self.fired_on}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_FLAG_STATUSES


class ActionKind(models.TextChoices):
    STRUCTURE = "structure", "Structure (ownership of the customer, reporting lines)"
    PROCESS = "process", "Process"
    SYSTEMS = "systems", "Systems"
    MEASURES = "measures", "Measures (KPIs in reporting, cross-department targets)"
    REWARDS = "rewards", "Rewards and incentives"
    BUDGET = "budget", "Budget"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class RealignmentAction(models.Model):
    """A change to the organisation's system so the new way of working holds."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="realignment_actions"
    )
    kind = models.CharField(max_length=20, choices=ActionKind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    evidence = models.TextField(blank=True, help_text="What shows it is done (a link, a memo).")
    completed_at = models.DateField(null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "due_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(evidence=""),
                name="done_action_has_evidence",
            )
        ]

    def __str__(self) -> str:
        return self.title


class EntryKind(models.TextChoices):
    INVESTMENT = "investment", "Investment"
    BENEFIT = "benefit", "Realised benefit"


class FinancialEntry(models.Model):
    """Money spent on, or benefit realised by, an initiative on a date."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="financial_entries"
    )
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    date = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)
    supporting_metric = models.ForeignKey(
        Metric,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The KPI whose held gain this benefit rests on.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="entry_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} on {self.date}"
