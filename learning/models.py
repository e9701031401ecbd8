"""Learning: discovery and experimentation before full rollout (DOMAIN.md, process 2).

Discovery: KPIs (`Metric`) with their baseline and target, and the measurements that
show today's performance; customer insights and NPS responses with the customer's own
words; lessons from earlier initiatives. Experimentation: pilots with a hypothesis, the
metric they should move, a computed result and a decision (adopt, adapt, abandon).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from initiatives.models import CustomerSegment, Department, Initiative


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Cadence(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class Metric(models.Model):
    """A KPI of an initiative, with its baseline (today's performance) and target."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=200)
    unit = models.CharField(max_length=30, blank=True, help_text="e.g. %, minutes, calls")
    direction = models.CharField(max_length=10, choices=Direction.choices)
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.DAILY)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The department or touchpoint this KPI measures.",
    )
    segment = models.ForeignKey(
        CustomerSegment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The customer segment this KPI measures.",
    )
    baseline = models.FloatField(null=True, blank=True, help_text="Today's level, before change.")
    baseline_spread = models.FloatField(
        null=True, blank=True, help_text="Standard deviation of the baseline period's values."
    )
    baseline_from = models.DateField(null=True, blank=True)
    baseline_to = models.DateField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    hold_from = models.DateField(
        null=True, blank=True, help_text="the date from which the improved level should hold"
    )
    in_management_reporting = models.BooleanField(
        default=False, help_text="Reported in board and management reporting."
    )
    # Bumped by every write of its measurements; relapse scans compare it to their watermark.
    data_version = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1)
    # data_version changes with every import: not an edit worth a history row.
    history = HistoricalRecords(excluded_fields=["data_version"])

    class Meta:
        ordering = ["initiative", "name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "name"], name="metric_name_unique"),
            models.CheckConstraint(
                condition=models.Q(baseline_from__isnull=True)
                | models.Q(baseline_to__isnull=True)
                | models.Q(baseline_to__gte=models.F("baseline_from")),
                name="metric_baseline_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.initiative})" if self.initiative_id else self.name

    @property
    def higher_is_better(self) -> bool:
        return self.direction == Direction.HIGHER

    @property
    def has_baseline(self) -> bool:
        return self.baseline is not None


class Source(models.TextChoices):
    FORM = "form", "Form"
    CSV = "csv", "CSV import"
    API = "api", "API"
    DEMO = "demo", "Demo data"


class Measurement(models.Model):
    """One value of a KPI for one period (the period's first day: Monday, 1st of month)."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="measurements")
    period = models.DateField(help_text="The first day of the period.")
    value = models.FloatField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["metric", "period"]
        constraints = [
            # Writing the same period again updates it: every import is idempotent.
            models.UniqueConstraint(
                fields=["metric", "period"], name="one_measurement_per_metric_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric.name} {self.period}: {self.value:g}"
