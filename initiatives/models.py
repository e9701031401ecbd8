"""The hub: initiatives and the organisation around them (DOMAIN.md)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from initiatives import roles


class Department(models.Model):
    """A department whose touchpoints shape the customer experience (sales, IT, HR...)."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CustomerSegment(models.Model):
    """A group of customers, owned by a Customer Manager accountable for its value."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    customer_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_segments",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    """The four processes of sustainable change, then the end states."""

    CHARTERING = "chartering", "Chartering"
    LEARNING = "learning", "Learning"
    MOBILIZING = "mobilizing", "Mobilizing"
    REALIGNING = "realigning", "Realigning"
    SUSTAINED = "sustained", "Sustained"
    CLOSED = "closed", "Closed"


PROCESS_STAGES = [Stage.CHARTERING, Stage.LEARNING, Stage.MOBILIZING, Stage.REALIGNING]


class InitiativeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InitiativeQuerySet":
        """Every list of initiatives starts here, so no filter can leak another's data."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser or roles.has_role(user, roles.EXECUTIVE):
            return self
        return self.filter(Q(leader=user) | Q(sponsor=user) | Q(memberships__user=user)).distinct()

    def editable_by(self, user) -> "InitiativeQuerySet":
        if user.is_superuser:
            return self
        return self.filter(leader=user)


class Initiative(models.Model):
    """A customer-centric change initiative, run through the four processes."""

    title = models.CharField(max_length=200)
    problem = models.TextField(help_text="The customer problem this initiative attacks.")
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="sponsored_initiatives",
        help_text="The executive who approves the charter.",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="led_initiatives"
    )
    segments = models.ManyToManyField(CustomerSegment, blank=True, related_name="initiatives")
    departments = models.ManyToManyField(Department, blank=True, related_name="initiatives")
    start_date = models.DateField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    investment = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    expected_benefit = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.CHARTERING)
    stage_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: an edit page posts the version it read.
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(target_date__gte=models.F("start_date")),
                name="initiative_target_after_start",
            ),
            models.CheckConstraint(
                condition=Q(investment__gte=0) & Q(expected_benefit__gte=0),
                name="initiative_money_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["stage"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", args=[self.pk])


class Membership(models.Model):
    """A person on an initiative's team, with their role and expertise."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=100, help_text="Their role on the team, e.g. analyst.")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    skills = models.CharField(max_length=200, blank=True, help_text="Comma-separated.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["initiative", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="one_membership_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.initiative}"

    @property
    def skill_list(self) -> list[str]:
        return [s.strip() for s in self.skills.split(",") if s.strip()]
