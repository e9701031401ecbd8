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

    # No separate index on metric (the unique (metric, period) index leads with it) nor on
    # entered_by (users are deactivated, rarely deleted): each index slows every import.
    metric = models.ForeignKey(
        Metric, on_delete=models.CASCADE, related_name="measurements", db_index=False
    )
    period = models.DateField(help_text="The first day of the period.")
    value = models.FloatField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
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


class InsightSource(models.TextChoices):
    INTERVIEW = "interview", "Interview"
    FORUM = "forum", "Forum"
    COMPLAINT = "complaint", "Complaint"
    SURVEY = "survey", "Survey"
    NPS = "nps", "NPS verbatim"
    SOCIAL = "social", "Social media"


class Insight(models.Model):
    """Something customers told us, in their words: the discovery that sets objectives."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="insights")
    source = models.CharField(max_length=20, choices=InsightSource.choices)
    segment = models.ForeignKey(
        CustomerSegment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The department whose touchpoint this is about.",
    )
    touchpoint = models.CharField(max_length=100, blank=True, help_text="e.g. phone, bill, app")
    text = models.TextField(help_text="What the customer said or did, in their words.")
    tags = models.CharField(max_length=200, blank=True, help_text="Comma-separated.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.text[:60]}"

    @property
    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.tags.split(",") if t.strip()]


class NpsCategory(models.TextChoices):
    PROMOTER = "promoter", "Promoter (9-10)"
    PASSIVE = "passive", "Passive (7-8)"
    DETRACTOR = "detractor", "Detractor (0-6)"


class NpsResponse(models.Model):
    """One customer's answer to "would you recommend us?" (0-10) with the why, in their words."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="nps_responses"
    )
    segment = models.ForeignKey(
        CustomerSegment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    responded_on = models.DateField()
    score = models.PositiveSmallIntegerField()
    why = models.TextField(blank=True, help_text="The customer's own words.")
    respondent = models.CharField(
        max_length=100,
        blank=True,
        help_text="The survey tool's response id: importing it again updates, not duplicates.",
    )
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.CSV)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-responded_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__lte=10), name="nps_score_0_to_10"),
            models.UniqueConstraint(
                fields=["initiative", "respondent"],
                condition=~models.Q(respondent=""),
                name="one_nps_response_per_respondent",
            ),
        ]
        indexes = [models.Index(fields=["initiative", "responded_on"])]

    def __str__(self) -> str:
        return f"NPS {self.score} on {self.responded_on}"

    @property
    def category(self) -> str:
        return nps_category(self.score)


def nps_category(score: int) -> str:
    if score >= 9:
        return NpsCategory.PROMOTER
    if score >= 7:
        return NpsCategory.PASSIVE
    return NpsCategory.DETRACTOR


class Lesson(models.Model):
    """What an initiative tried, what failed and why: offered to later initiatives."""

    initiative = models.ForeignKey(
        Initiative,
        on_delete=models.CASCADE,
        related_name="lessons",
        help_text="The initiative the lesson was learnt in.",
    )
    title = models.CharField(max_length=200)
    tried = models.TextField("What was tried")
    failed = models.TextField("What failed", blank=True)
    why = models.TextField("Why", help_text="The reason, as far as the team understands it.")
    segments = models.ManyToManyField(CustomerSegment, blank=True, related_name="+")
    departments = models.ManyToManyField(Department, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ExperimentStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    CONCLUDED = "concluded", "Concluded"


class Decision(models.TextChoices):
    ADOPT = "adopt", "Adopt"
    ADAPT = "adapt", "Adapt"
    ABANDON = "abandon", "Abandon"


class Experiment(models.Model):
    """A pilot that tests one element before full rollout: plan, do, study, act.

    The result is computed from the metric's measurements (learning.effects), never typed.
    An iteration `refines` the experiment it improves on (the next PDSA cycle).
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="experiments")
    title = models.CharField(max_length=200)
    hypothesis = models.TextField(help_text="If we do X for Y, then Z will move because ...")
    metric = models.ForeignKey(
        Metric,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="experiments",
        help_text="The KPI this pilot should move.",
    )
    control_metric = models.ForeignKey(
        Metric,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: the same KPI measured where the pilot did not run (control group).",
    )
    segments = models.ManyToManyField(CustomerSegment, blank=True, related_name="+")
    departments = models.ManyToManyField(Department, blank=True, related_name="+")
    sites = models.CharField(max_length=200, blank=True, help_text="Where the pilot runs.")
    start = models.DateField()
    end = models.DateField()
    status = models.CharField(
        max_length=10, choices=ExperimentStatus.choices, default=ExperimentStatus.PLANNED
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    learned = models.TextField("What we learned", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    refines = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="iterations",
        help_text="The earlier experiment this iteration refines.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="experiment_ends_after_start"
            ),
            # A decision is the act of concluding: no decision on a pilot still running.
            models.CheckConstraint(
                condition=models.Q(decision="") | models.Q(status="concluded"),
                name="experiment_decision_only_when_concluded",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def decided(self) -> bool:
        return self.status == ExperimentStatus.CONCLUDED and bool(self.decision)


class ImportStatus(models.TextChoices):
    INVALID = "invalid", "Has errors: nothing written"
    READY = "ready", "Checked: ready to confirm"
    QUEUED = "queued", "Queued"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed: nothing written"


class MeasurementImport(models.Model):
    """An uploaded CSV of measurements, kept between the preview and the confirmation.

    Large files are written by a Celery task (learning.tasks), which reads the file from
    here; rows_done feeds the progress bar.
    """

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="measurement_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255, blank=True)
    raw_text = models.TextField()
    status = models.CharField(max_length=10, choices=ImportStatus.choices)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"line": 3, "reason": "..."}]
    error_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.filename or 'a CSV file'} ({self.status})"

    @property
    def percent(self) -> int:
        return round(100 * self.rows_done / self.rows_total) if self.rows_total else 0
