"""Mobilizing: bring the organisation along (DOMAIN.md, process 3).

Stakeholders and their support, engagement activities, pulse surveys that measure
trust and skepticism instead of guessing them, and the rollout in waves from pilot to
the whole organisation (where programmes usually stall). The organisation-wide
importance-performance survey lives here too: it says where to concentrate next.

Anonymity of survey answers: a response row never points at the invitation that
allowed it, has a random UUID key (its order says nothing about who answered when) and
carries no timestamp; responses and answers keep no history for the same reason.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from initiatives.models import CustomerSegment, Department, Initiative

PULSE_SCALE = 5  # pulse questions are answered from 1 (strongly disagree) to 5 (strongly agree)


def new_token() -> str:
    return secrets.token_urlsafe(24)


# --- Stakeholders ---------------------------------------------------------------------------


class Influence(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


class Support(models.IntegerChoices):
    OPPONENT = 1, "Opponent"
    SKEPTIC = 2, "Skeptic"
    NEUTRAL = 3, "Neutral"
    SUPPORTER = 4, "Supporter"
    CHAMPION = 5, "Champion"


class StakeholderKind(models.TextChoices):
    PERSON = "person", "Person"
    GROUP = "group", "Group"


class StakeholderQuerySet(models.QuerySet):
    def still_to_win(self):
        """Stakeholders whose planned support is above where they stand today."""
        return self.filter(target_support__gt=F("support"))


class Stakeholder(models.Model):
    """A person or group whose support the initiative needs, and the move planned for them."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="stakeholders"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=10, choices=StakeholderKind.choices, default=StakeholderKind.PERSON
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    influence = models.PositiveSmallIntegerField(
        choices=Influence.choices, default=Influence.MEDIUM
    )
    support = models.PositiveSmallIntegerField(choices=Support.choices, default=Support.NEUTRAL)
    target_support = models.PositiveSmallIntegerField(
        choices=Support.choices,
        default=Support.SUPPORTER,
        help_text="Where you plan to bring them.",
    )
    planned_move = models.TextField(
        blank=True, help_text="What you will do to move them (who talks to them, when, how)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = StakeholderQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "-influence", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "name"], name="stakeholder_name_unique_per_initiative"
            ),
            models.CheckConstraint(
                condition=Q(influence__gte=1, influence__lte=3), name="stakeholder_influence_range"
            ),
            models.CheckConstraint(
                condition=Q(support__gte=1, support__lte=5)
                & Q(target_support__gte=1, target_support__lte=5),
                name="stakeholder_support_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def to_win(self) -> bool:
        return self.target_support > self.support


# --- Engagement activities --------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    COMMUNICATION = "communication", "Communication"
    TRAINING = "training", "Training session"
    TOWN_HALL = "town_hall", "Town hall"
    OTHER = "other", "Other"


class EngagementActivity(models.Model):
    """A workshop, communication, training or town hall that builds awareness and buy-in."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="engagement_activities"
    )
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=200, help_text="Who it was for, e.g. Sales managers.")
    date = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reach = models.PositiveIntegerField(
        null=True, blank=True, help_text="Attendance (events) or reach (communications)."
    )
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "engagement activities"
        indexes = [models.Index(fields=["initiative", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


# --- Pulse surveys ----------------------------------------------------------------------------


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class QuestionKind(models.TextChoices):
    TRUST = "trust", "Trust in leadership"
    SKEPTICISM = "skepticism", "Skepticism about the change"
    READINESS = "readiness", "Readiness to work the new way"
    AWARENESS = "adkar-awareness", "ADKAR: awareness"
    DESIRE = "adkar-desire", "ADKAR: desire"
    KNOWLEDGE = "adkar-knowledge", "ADKAR: knowledge"
    ABILITY = "adkar-ability", "ADKAR: ability"
    REINFORCEMENT = "adkar-reinforcement", "ADKAR: reinforcement"
    OTHER = "other", "Other"


class PulseSurvey(models.Model):
    """A short recurring survey of the people the change touches."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="pulse_surveys"
    )
    title = models.CharField(max_length=200)
    opens = models.DateField()
    closes = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    invited_elsewhere = models.PositiveIntegerField(
        default=0,
        help_text="People invited outside Holdfast (paper, another tool) whose answers you "
        "import by CSV: they count in the response rate.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "opens", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__isnull=True) | Q(closes__gte=F("opens")),
                name="pulse_closes_after_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT


class PulseQuestion(models.Model):
    """One statement answered from 1 (strongly disagree) to 5 (strongly agree)."""

    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=QuestionKind.choices, default=QuestionKind.OTHER)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "order", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def trend_key(self) -> str:
        """Questions of recurring surveys are compared by kind (free questions by text)."""
        return self.kind if self.kind != QuestionKind.OTHER else f"other:{self.text.lower()}"


class PulseInvitation(models.Model):
    """A shareable link for one respondent: it answers once, and is then spent."""

    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "department__name", "id"]

    def __str__(self) -> str:
        return f"Invitation to {self.survey}"


class ResponseSource(models.TextChoices):
    LINK = "link", "Link"
    IMPORT = "import", "CSV import"


class PulseResponse(models.Model):
    """One anonymous response: its department and answers, nothing that points at a person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(PulseSurvey, on_delete=models.CASCADE, related_name="responses")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(
        max_length=10, choices=ResponseSource.choices, default=ResponseSource.LINK
    )

    class Meta:
        # No ordering by time: there is no time, on purpose.
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return f"Response to {self.survey}"


class PulseAnswer(models.Model):
    response = models.ForeignKey(PulseResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(PulseQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["response", "question"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="one_answer_per_question"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=PULSE_SCALE), name="pulse_answer_in_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"


# --- Rollout waves ----------------------------------------------------------------------------


class WaveStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    RUNNING = "running", "Running"
    DONE = "done", "Done"


class RolloutWave(models.Model):
    """A step of the rollout from the pilot to the whole organisation."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(help_text="1 is the pilot.")
    planned_start = models.DateField()
    planned_end = models.DateField()
    actual_start = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=WaveStatus.choices, default=WaveStatus.PLANNED)
    target_adoption = models.PositiveSmallIntegerField(
        default=90, help_text="Adoption (%) at which the wave counts as landed."
    )
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "order"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "order"], name="wave_order_unique"),
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("planned_start")),
                name="wave_planned_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(actual_end__isnull=True)
                | (Q(actual_start__isnull=False) & Q(actual_end__gte=F("actual_start"))),
                name="wave_actual_end_after_start",
            ),
            models.CheckConstraint(
                condition=Q(target_adoption__gte=1, target_adoption__lte=100),
                name="wave_target_adoption_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_pilot(self) -> bool:
        return self.order == 1


class UnitKind(models.TextChoices):
    SITE = "site", "Site"
    DEPARTMENT = "department", "Department"
    SEGMENT = "segment", "Segment"


class WaveUnit(models.Model):
    """A site, department or customer segment that a wave brings onto the new way."""

    wave = models.ForeignKey(RolloutWave, on_delete=models.CASCADE, related_name="units")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=12, choices=UnitKind.choices, default=UnitKind.SITE)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    segment = models.ForeignKey(
        CustomerSegment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["wave", "name"]
        constraints = [
            models.UniqueConstraint(fields=["wave", "name"], name="wave_unit_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class AdoptionReading(models.Model):
    """How far a unit works the new way on a date, in percent."""

    unit = models.ForeignKey(WaveUnit, on_delete=models.CASCADE, related_name="readings")
    date = models.DateField()
    adoption_pct = models.DecimalField(max_digits=5, decimal_places=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["unit", "date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(adoption_pct__gte=0, adoption_pct__lte=100),
                name="adoption_pct_0_to_100",
            ),
            models.UniqueConstraint(fields=["unit", "date"], name="one_reading_per_unit_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.date}: {self.adoption_pct}%"


# --- Importance-performance analysis (organisation-wide) --------------------------------------


class IpaSurvey(models.Model):
    """Statements scored twice: importance for the company and current performance."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    scale = models.PositiveSmallIntegerField(
        choices=[(5, "1 to 5"), (7, "1 to 7")], default=7, help_text="Both scores use it."
    )
    status = models.CharField(
        max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "importance-performance survey"
        constraints = [
            models.CheckConstraint(condition=Q(scale__in=[5, 7]), name="ipa_scale_5_or_7"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_draft(self) -> bool:
        return self.status == SurveyStatus.DRAFT


class IpaStatement(models.Model):
    """A statement about customer-centricity, e.g. "We measure customer profitability"."""

    survey = models.ForeignKey(IpaSurvey, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    initiative = models.ForeignKey(
        Initiative,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The initiative created from this statement, if any.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["survey", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "text"], name="ipa_statement_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class IpaInvitation(models.Model):
    """A shareable link for one respondent of an importance-performance survey."""

    survey = models.ForeignKey(IpaSurvey, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return f"Invitation to {self.survey}"


class IpaResponse(models.Model):
    """One respondent's scores; anonymous like a pulse response."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(IpaSurvey, on_delete=models.CASCADE, related_name="responses")
    source = models.CharField(
        max_length=10, choices=ResponseSource.choices, default=ResponseSource.LINK
    )

    class Meta:
        ordering = ["survey", "id"]

    def __str__(self) -> str:
        return f"Response to {self.survey}"


class IpaScore(models.Model):
    response = models.ForeignKey(IpaResponse, on_delete=models.CASCADE, related_name="scores")
    statement = models.ForeignKey(IpaStatement, on_delete=models.CASCADE, related_name="scores")
    importance = models.PositiveSmallIntegerField()
    performance = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["response", "statement"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="one_score_per_statement"
            ),
            # The survey's scale (5 or 7) is checked on input; the database holds the widest.
            models.CheckConstraint(
                condition=Q(importance__gte=1, importance__lte=7)
                & Q(performance__gte=1, performance__lte=7),
                name="ipa_score_in_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement}: I{self.importance} P{self.performance}"
