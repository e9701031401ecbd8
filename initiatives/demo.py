"""Demo data for `make run`: a small organisation with initiatives in different stages.

Idempotent: running it twice leaves the same data. Each process app adds its own
story through its registry entry's `seed_demo(demo)`.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from initiatives import registry, roles
from initiatives.models import CustomerSegment, Department, Initiative, Membership, Stage

User = get_user_model()

# username: (first, last, role, password). Demo only: printed on the terminal.
DEMO_USERS = {
    "admin": ("Ada", "Admin", None, "holdfast-admin"),
    "exec": ("Erin", "Executive", roles.EXECUTIVE, "holdfast-exec"),
    "leader": ("Leo", "Leader", roles.CHANGE_LEADER, "holdfast-leader"),
    "member": ("Mia", "Member", roles.TEAM_MEMBER, "holdfast-member"),
    "sam": ("Sam", "Service", roles.TEAM_MEMBER, "holdfast-member"),
    "cmo": ("Cara", "Manager", roles.EXECUTIVE, "holdfast-exec"),
}
DEPARTMENTS = ["Customer Service", "Sales", "Marketing", "Operations", "Finance", "IT", "HR"]
SEGMENTS = {
    "Households": "Private customers on monthly plans.",
    "Small business": "Firms with up to 50 employees.",
    "Premium": "High-value customers with a dedicated manager.",
}
INITIATIVES = [
    {
        "key": "fcr",
        "days_in_stage": 75,
        "title": "Resolve it on the first contact",
        "problem": "Customers call two or three times about the same issue; repeat contacts "
        "drive most complaints and detractor scores.",
        "stage": Stage.LEARNING,
        "segments": ["Households", "Small business"],
        "departments": ["Customer Service", "IT", "Operations"],
        "investment": "250000",
        "expected_benefit": "600000",
    },
    {
        "key": "onboarding",
        "days_in_stage": 40,
        "title": "A first month that small businesses love",
        "problem": "A third of new small-business customers leave within 90 days, mostly "
        "after a confusing setup.",
        "stage": Stage.CHARTERING,
        "segments": ["Small business"],
        "departments": ["Sales", "Customer Service"],
        "investment": "120000",
        "expected_benefit": "300000",
    },
    {
        "key": "retention",
        "days_in_stage": 170,
        "title": "Keep premium customers before they go quiet",
        "problem": "Most premium customers who leave never complain first; silence is not "
        "satisfaction.",
        "stage": Stage.MOBILIZING,
        "segments": ["Premium"],
        "departments": ["Marketing", "Sales", "Finance"],
        "investment": "400000",
        "expected_benefit": "1100000",
    },
    {
        "key": "billing",
        "days_in_stage": 120,
        "title": "Bills customers understand",
        "problem": "Billing questions are the top reason to call; the bill's layout is the cause.",
        "stage": Stage.REALIGNING,
        "segments": ["Households"],
        "departments": ["Finance", "IT", "Customer Service"],
        "investment": "180000",
        "expected_benefit": "450000",
    },
]


@dataclass
class DemoData:
    users: dict[str, object] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    segments: dict[str, CustomerSegment] = field(default_factory=dict)
    initiatives: dict[str, Initiative] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)


def _users(demo: DemoData) -> None:
    groups = roles.ensure_groups()
    for username, (first, last, role, password) in DEMO_USERS.items():
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first, last
        user.email = f"{username}@holdfast.example"
        user.is_staff = user.is_superuser = role is None
        user.set_password(password)
        user.save()
        if role:
            user.groups.set([groups[role]])
        demo.users[username] = user


def _organisation(demo: DemoData) -> None:
    for name in DEPARTMENTS:
        demo.departments[name] = Department.objects.get_or_create(name=name)[0]
    managers = [demo.users["cmo"], demo.users["exec"], demo.users["cmo"]]
    for (name, description), manager in zip(SEGMENTS.items(), managers, strict=True):
        demo.segments[name] = CustomerSegment.objects.update_or_create(
            name=name, defaults={"description": description, "customer_manager": manager}
        )[0]


def _initiatives(demo: DemoData) -> None:
    for i, spec in enumerate(INITIATIVES):
        initiative, _ = Initiative.objects.update_or_create(
            title=spec["title"],
            defaults={
                "problem": spec["problem"],
                "stage": spec["stage"],
                # How long it has been in its stage: the dashboard shows who is stuck.
                "stage_changed_at": timezone.now() - dt.timedelta(days=spec["days_in_stage"]),
                "sponsor": demo.users["exec"],
                "leader": demo.users["leader"],
                "start_date": demo.today - dt.timedelta(days=300 - 60 * i),
                "target_date": demo.today + dt.timedelta(days=200 + 30 * i),
                "investment": Decimal(spec["investment"]),
                "expected_benefit": Decimal(spec["expected_benefit"]),
            },
        )
        initiative.segments.set([demo.segments[s] for s in spec["segments"]])
        initiative.departments.set([demo.departments[d] for d in spec["departments"]])
        team = [
            ("member", "Analyst", spec["departments"][0], "data analysis, process design"),
            ("sam", "Frontline lead", spec["departments"][-1], "coaching, customer contact"),
        ]
        for username, role, department, skills in team:
            Membership.objects.update_or_create(
                initiative=initiative,
                user=demo.users[username],
                defaults={
                    "role": role,
                    "department": demo.departments[department],
                    "skills": skills,
                },
            )
        demo.initiatives[spec["key"]] = initiative


@transaction.atomic
def seed() -> DemoData:
    demo = DemoData()
    _users(demo)
    _organisation(demo)
    _initiatives(demo)
    for process in registry.processes():
        if process.seed_demo:
            process.seed_demo(demo)
    return demo
