"""Chartering: boundary setting and team design (DOMAIN.md, process 1).

A charter is versioned: editing an approved charter makes a new draft version that
needs the sponsor's approval again, and earlier versions stay readable.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from initiatives.models import Initiative

MAX_PRIORITIES = 3


class CharterStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    SUPERSEDED = "superseded", "Superseded"


class CharterQuerySet(models.QuerySet):
    def current(self):
        """The newest version of each initiative's charter."""
        return self.exclude(status=CharterStatus.SUPERSEDED)


class Charter(models.Model):
    """One version of an initiative's charter: purpose, scope and how the team works."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="charters")
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=20, choices=CharterStatus.choices, default=CharterStatus.DRAFT
    )
    # Boundary setting
    problem_area = models.TextField(
        help_text="The single most crucial problem area this initiative tackles."
    )
    priorities = models.TextField(blank=True, help_text="One per line; three at most is wise.")
    resources = models.TextField(blank=True)
    reporting_line = models.CharField(max_length=200, blank=True)
    # Team design
    guiding_principles = models.TextField(blank=True)
    ground_rules = models.TextField(blank=True, help_text="How members interact; one per line.")
    conflict_resolution = models.TextField(blank=True, help_text="How conflicts are resolved.")
    decision_approach = models.TextField(blank=True, help_text="How decisions are made.")
    # Approval
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = CharterQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "version"], name="charter_version_unique"
            ),
            # Only one version of a charter is the live one.
            models.UniqueConstraint(
                fields=["initiative"],
                condition=~Q(status="superseded"),
                name="one_current_charter_per_initiative",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved")
                | (Q(approved_by__isnull=False) & Q(approved_at__isnull=False)),
                name="approved_charter_records_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"Charter v{self.version} of {self.initiative}"

    @property
    def priority_list(self) -> list[str]:
        return _lines(self.priorities)

    @property
    def ground_rule_list(self) -> list[str]:
        return _lines(self.ground_rules)

    @property
    def too_many_priorities(self) -> bool:
        return len(self.priority_list) > MAX_PRIORITIES

    @property
    def is_approved(self) -> bool:
        return self.status == CharterStatus.APPROVED


def _lines(text: str) -> list[str]:
    return [line.strip(" -*\t") for line in text.splitlines() if line.strip(" -*\t")]


class ScopeKind(models.TextChoices):
    IN = "in", "In scope"
    OUT = "out", "Out of scope"


class ScopeItem(models.Model):
    """A problem the initiative will tackle (in) or explicitly will not (out)."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="scope_items")
    kind = models.CharField(max_length=3, choices=ScopeKind.choices)
    text = models.CharField(max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text}"


class Deliverable(models.Model):
    """Something the team owes, with a RACI of accountabilities."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="deliverables")
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "name"], name="deliverable_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class RaciRole(models.TextChoices):
    RESPONSIBLE = "R", "Responsible"
    ACCOUNTABLE = "A", "Accountable"
    CONSULTED = "C", "Consulted"
    INFORMED = "I", "Informed"


class RaciAssignment(models.Model):
    """Who is responsible, accountable, consulted or informed for a deliverable."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="raci")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=1, choices=RaciRole.choices)

    class Meta:
        ordering = ["deliverable", "role"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "user"], name="one_raci_role_per_user"),
            # Exactly one accountable: the database forbids a second, the checklist a missing one.
            models.UniqueConstraint(
                fields=["deliverable"],
                condition=Q(role="A"),
                name="one_accountable_per_deliverable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} for {self.deliverable}"
