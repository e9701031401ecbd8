"""Chartering's part of the demo: approved charters for initiatives past chartering."""

from django.utils import timezone

from chartering.models import Charter, CharterStatus, Deliverable, RaciAssignment, ScopeItem
from initiatives.models import Stage

SCOPE = {
    "in": ["Repeat contacts about the same issue", "Agent tools for resolving at first contact"],
    "out": ["Pricing changes", "The field technician process"],
}
DELIVERABLES = [("Root-cause map of repeat contacts", "member"), ("Pilot in two sites", "sam")]


def seed_demo(demo) -> None:
    for initiative in demo.initiatives.values():
        if Charter.objects.filter(initiative=initiative).exists():
            continue  # idempotent: never rewrite a charter someone may have edited
        approved = initiative.stage != Stage.CHARTERING
        charter = Charter.objects.create(
            initiative=initiative,
            problem_area=initiative.problem,
            priorities="Find the root causes\nPilot the fix\nScale what works",
            resources="Two analysts, one frontline lead per site, a budget for tooling.",
            reporting_line="Monthly to the executive sponsor; weekly team review.",
            guiding_principles="Start from the customer's words. Measure before and after.",
            ground_rules="Decisions are written down\nEveryone speaks before we decide\n"
            "Data beats opinion",
            conflict_resolution="Raise it in the weekly review; the sponsor breaks ties.",
            decision_approach="Consent: a proposal stands unless someone has a reasoned objection.",
            created_by=demo.users["leader"],
            status=CharterStatus.APPROVED if approved else CharterStatus.DRAFT,
            approved_by=demo.users["exec"] if approved else None,
            approved_at=timezone.now() if approved else None,
        )
        for kind, items in SCOPE.items():
            ScopeItem.objects.bulk_create(
                ScopeItem(charter=charter, kind=kind, text=t) for t in items
            )
        for name, accountable in DELIVERABLES:
            deliverable = Deliverable.objects.create(charter=charter, name=name)
            RaciAssignment.objects.create(
                deliverable=deliverable, user=demo.users[accountable], role="A"
            )
            other = "sam" if accountable == "member" else "member"
            RaciAssignment.objects.create(deliverable=deliverable, user=demo.users[other], role="C")
