"""Mobilizing's part of the demo: every page tells a story out of the box.

- "retention" (in mobilizing): stakeholders across the grid, trust in leadership falling
  over three pulse surveys, the pilot done and wave 2 stalling at scale;
- "billing" (in realigning): most stakeholders won, trust rising, the rollout on track;
- "fcr" (in learning): a first stakeholder map and a planned pilot;
- one organisation-wide importance-performance survey: 26 statements, 150 respondents.

Idempotent (each part is skipped when it exists) and deterministic (seeded randomness).
"""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from mobilizing import pulse
from mobilizing.models import (
    AdoptionReading,
    EngagementActivity,
    IpaInvitation,
    IpaResponse,
    IpaScore,
    IpaStatement,
    IpaSurvey,
    PulseAnswer,
    PulseInvitation,
    PulseResponse,
    PulseSurvey,
    QuestionKind,
    RolloutWave,
    Stakeholder,
    SurveyStatus,
    WaveUnit,
)

# name, kind, department, influence, support, target, planned move
STAKEHOLDERS = {
    "retention": [
        (
            "Head of Sales",
            "person",
            "Sales",
            3,
            2,
            4,
            "Show her the churn of her own top 50 "
            "accounts; ask her to co-own the early-warning list.",
        ),
        (
            "CFO",
            "person",
            "Finance",
            3,
            3,
            4,
            "A one-page business case: retained revenue per "
            "premium customer against the programme's cost.",
        ),
        (
            "Premium account managers",
            "group",
            "Sales",
            2,
            2,
            5,
            "Two workshops on the quiet-customer signals; let the pilot team tell their stories.",
        ),
        (
            "Marketing director",
            "person",
            "Marketing",
            3,
            4,
            5,
            "Invite her to sponsor the customer-voice dashboard.",
        ),
        ("Billing operations", "group", "Finance", 1, 3, 3, ""),
        (
            "Regional managers",
            "group",
            "Sales",
            2,
            1,
            3,
            "One-to-ones: what would make them trust the programme this time?",
        ),
        ("Customer Service team leads", "group", "Marketing", 1, 5, 5, ""),
        (
            "Works council",
            "group",
            None,
            2,
            3,
            4,
            "Explain early that no targets will be used for individual appraisal.",
        ),
    ],
    "billing": [
        ("Head of IT", "person", "IT", 3, 4, 5, "Keep her in the monthly review."),
        ("Finance controllers", "group", "Finance", 2, 4, 4, ""),
        ("Call-centre agents", "group", "Customer Service", 1, 5, 5, ""),
        ("Print supplier", "group", None, 1, 2, 3, "Contract change for the new layout."),
        ("CFO", "person", "Finance", 3, 5, 5, ""),
        ("Legal", "group", None, 2, 3, 4, "Review the new bill wording together, early."),
    ],
    "fcr": [
        (
            "Head of Customer Service",
            "person",
            "Customer Service",
            3,
            4,
            5,
            "Co-present the pilot results.",
        ),
        (
            "IT architecture board",
            "group",
            "IT",
            3,
            2,
            4,
            "Bring the agent-tool prototype to their next session.",
        ),
        ("Field operations", "group", "Operations", 2, 1, 3, "Site visits with the pilot team."),
        (
            "Frontline agents",
            "group",
            "Customer Service",
            1,
            3,
            5,
            "Involve them in the script redesign.",
        ),
    ],
}

# kind, title, audience, days ago, reach, notes
ACTIVITIES = {
    "retention": [
        (
            "town_hall",
            "Why silence is not satisfaction",
            "All Sales and Marketing",
            120,
            240,
            "Good questions; many doubted that leadership will keep funding it.",
        ),
        (
            "workshop",
            "Quiet-customer signals, pilot team",
            "Premium account managers (pilot)",
            100,
            18,
            "Built the first early-warning list together.",
        ),
        ("communication", "Pilot results newsletter", "Sales, Marketing, Finance", 70, 410, ""),
        (
            "training",
            "Early-warning dashboard training",
            "Wave 2 account managers",
            45,
            26,
            "Only half of the invited came: quarter-end.",
        ),
        (
            "workshop",
            "Regional managers: what would make it stick?",
            "Regional managers",
            20,
            9,
            "Skepticism is high: 'we have seen three programmes like this'.",
        ),
        ("communication", "CEO video message", "Whole company", 10, 1200, ""),
    ],
    "billing": [
        (
            "workshop",
            "Redesign the bill with customers",
            "Billing team and 12 customers",
            200,
            30,
            "",
        ),
        ("training", "Explaining the new bill", "Call-centre agents", 150, 85, ""),
        (
            "town_hall",
            "The new bill: what changed and why",
            "Finance and Customer Service",
            120,
            160,
            "",
        ),
        ("communication", "Intranet: billing calls down 18%", "Whole company", 60, 900, ""),
        ("training", "Wave 3 refresher", "Regional call centres", 25, 64, ""),
    ],
    "fcr": [
        ("workshop", "Root causes of repeat contacts", "Pilot agents", 40, 14, ""),
        (
            "communication",
            "What we learned from 2,000 repeat calls",
            "Customer Service",
            15,
            310,
            "",
        ),
    ],
}

# Mean answer per question kind in each of the three surveys (oldest first).
PULSE_STORY = {
    "retention": {
        QuestionKind.TRUST: (3.6, 3.2, 2.6),
        QuestionKind.SKEPTICISM: (3.0, 3.4, 3.9),
        QuestionKind.READINESS: (3.1, 3.3, 3.2),
    },
    "billing": {
        QuestionKind.TRUST: (3.2, 3.6, 3.9),
        QuestionKind.SKEPTICISM: (3.4, 2.9, 2.5),
        QuestionKind.READINESS: (3.0, 3.7, 4.1),
    },
}
DEFAULT_MEAN = (3.2, 3.4, 3.5)

IPA_STATEMENTS = [
    # (statement, importance mean, performance mean) on a 1-7 scale
    ("We know which customers are the most profitable", 6.2, 3.4),
    ("Customer profitability is measured and reported", 5.9, 3.1),
    ("Every customer segment has a manager accountable for its value", 5.6, 3.0),
    ("Senior management talks about customers in every meeting", 5.4, 4.9),
    ("We act on complaints within 48 hours", 5.8, 5.4),
    ("We ask customers why they leave", 6.0, 2.9),
    ("Customer satisfaction is part of the bonus of every manager", 5.5, 2.7),
    ("Departments share customer information", 6.1, 3.3),
    ("Frontline staff may solve problems without asking a manager", 5.7, 3.6),
    ("We design processes from the customer's point of view", 5.9, 3.8),
    ("NPS is reported together with the customers' own words", 5.0, 4.5),
    ("We test new propositions with customers before launch", 5.2, 4.2),
    ("Our website is easy to use", 4.6, 5.3),
    ("We send customers a regular newsletter", 3.4, 5.6),
    ("Customer data is in one system", 5.8, 2.8),
    ("Silo-busting goals are shared across departments", 5.6, 3.2),
    ("We reward employees for customer-centric behaviour", 5.3, 3.0),
    ("We benchmark our service against competitors", 4.2, 4.8),
    ("Brand advertising speaks to customer needs", 3.9, 5.1),
    ("Our loyalty programme rewards the best customers", 4.4, 4.9),
    ("The CEO visits customers regularly", 4.8, 3.7),
    ("Customer experience is built at every touchpoint", 6.0, 4.0),
    ("We know the lifetime value of a customer", 5.7, 2.6),
    ("Social media complaints are answered the same day", 4.1, 5.5),
    ("Call-centre scripts are reviewed every quarter", 3.6, 4.6),
    ("A Chief Customer Officer reports to the CEO", 4.9, 3.9),
]
IPA_TITLE = "Customer-centricity: where do we stand? (executive survey)"
IPA_RESPONDENTS = 150


def _score(rng: random.Random, mean: float, high: int) -> int:
    return max(1, min(high, round(rng.gauss(mean, 0.9))))


def seed_demo(demo) -> None:
    rng = random.Random(20240601)  # noqa: S311 - demo data, not security
    for key, rows in STAKEHOLDERS.items():
        _stakeholders(demo, demo.initiatives[key], rows)
    for key, rows in ACTIVITIES.items():
        _activities(demo, demo.initiatives[key], rows)
    for key in ("retention", "billing"):
        _pulse(demo, key, rng)
    _waves(demo)
    _ipa(demo, rng)


def _stakeholders(demo, initiative, rows) -> None:
    if Stakeholder.objects.filter(initiative=initiative).exists():
        return
    Stakeholder.objects.bulk_create(
        Stakeholder(
            initiative=initiative,
            name=name,
            kind=kind,
            department=demo.departments[dept] if dept else None,
            influence=influence,
            support=support,
            target_support=target,
            planned_move=move,
        )
        for name, kind, dept, influence, support, target, move in rows
    )


def _activities(demo, initiative, rows) -> None:
    if EngagementActivity.objects.filter(initiative=initiative).exists():
        return
    owners = [demo.users["leader"], demo.users["member"], demo.users["sam"]]
    EngagementActivity.objects.bulk_create(
        EngagementActivity(
            initiative=initiative,
            kind=kind,
            title=title,
            audience=audience,
            date=demo.today - dt.timedelta(days=days),
            owner=owners[i % len(owners)],
            reach=reach,
            notes=notes,
            created_by=owners[i % len(owners)],
        )
        for i, (kind, title, audience, days, reach, notes) in enumerate(rows)
    )


def _pulse(demo, key: str, rng: random.Random) -> None:
    initiative = demo.initiatives[key]
    if PulseSurvey.objects.filter(initiative=initiative).exists():
        return
    story = PULSE_STORY[key]
    departments = list(initiative.departments.all())
    now = timezone.now()
    for round_, days_ago in enumerate((150, 90, 30)):
        last = round_ == 2
        opens = demo.today - dt.timedelta(days=days_ago)
        survey = PulseSurvey.objects.create(
            initiative=initiative,
            title=f"Pulse {round_ + 1}: {opens:%B %Y}",
            opens=opens,
            closes=None if last else opens + dt.timedelta(days=14),
            status=SurveyStatus.OPEN if last else SurveyStatus.CLOSED,
        )
        pulse.add_default_questions(survey)
        questions = list(survey.questions.all())
        for d_index, department in enumerate(departments):
            invited = 16 + 4 * d_index
            answering = round(invited * (0.75 - 0.1 * round_ + 0.05 * d_index))
            invitations = PulseInvitation.objects.bulk_create(
                PulseInvitation(survey=survey, department=department) for _ in range(invited)
            )
            PulseInvitation.objects.filter(pk__in=[i.pk for i in invitations[:answering]]).update(
                used_at=now
            )
            responses = PulseResponse.objects.bulk_create(
                PulseResponse(survey=survey, department=department) for _ in range(answering)
            )
            PulseAnswer.objects.bulk_create(
                PulseAnswer(
                    response=response,
                    question=q,
                    value=_score(
                        rng,
                        story.get(q.kind, DEFAULT_MEAN)[round_] - 0.2 * (d_index == 1),
                        5,
                    ),
                )
                for response in responses
                for q in questions
            )


def _waves(demo) -> None:
    today = demo.today
    plans = {
        # key: [(name, status, planned start/end in days from today, actual start/end,
        #        units, adoption series per unit: (weeks ago, pct))]
        "retention": [
            (
                "Pilot: Premium North",
                "done",
                (-200, -120),
                (-198, -115),
                ["North accounts", "North key accounts"],
                [(20, 30), (16, 62), (12, 88), (9, 93)],
            ),
            (
                "Wave 2: Premium South and West",
                "running",
                (-100, -10),
                (-95, None),
                ["South accounts", "West accounts", "Key accounts desk"],
                [(12, 10), (10, 28), (8, 41), (6, 52), (4, 53), (2, 52), (0, 53)],
            ),
            ("Wave 3: All premium", "planned", (20, 110), (None, None), ["All regions"], []),
        ],
        "billing": [
            (
                "Pilot: households in one region",
                "done",
                (-260, -200),
                (-258, -196),
                ["Region East"],
                [(36, 40), (32, 85), (29, 96)],
            ),
            (
                "Wave 2: all households",
                "running",
                (-150, 40),
                (-148, None),
                ["Region North", "Region South", "Region West"],
                [(16, 20), (12, 45), (8, 63), (4, 74), (1, 82)],
            ),
        ],
        "fcr": [
            (
                "Pilot: two contact centres",
                "planned",
                (30, 90),
                (None, None),
                ["Contact centre Leeds", "Contact centre Cork"],
                [],
            ),
        ],
    }
    for key, waves in plans.items():
        initiative = demo.initiatives[key]
        if RolloutWave.objects.filter(initiative=initiative).exists():
            continue
        for order, (name, status, planned, actual, units, series) in enumerate(waves, start=1):
            wave = RolloutWave.objects.create(
                initiative=initiative,
                name=name,
                order=order,
                status=status,
                planned_start=today + dt.timedelta(days=planned[0]),
                planned_end=today + dt.timedelta(days=planned[1]),
                actual_start=today + dt.timedelta(days=actual[0])
                if actual[0] is not None
                else None,
                actual_end=today + dt.timedelta(days=actual[1]) if actual[1] is not None else None,
            )
            for u_index, unit_name in enumerate(units):
                unit = WaveUnit.objects.create(wave=wave, name=unit_name, kind="site")
                AdoptionReading.objects.bulk_create(
                    AdoptionReading(
                        unit=unit,
                        date=today - dt.timedelta(weeks=weeks_ago),
                        adoption_pct=Decimal(max(0, min(100, pct - 4 * u_index))),
                        recorded_by=demo.users["member"],
                    )
                    for weeks_ago, pct in series
                )


def _ipa(demo, rng: random.Random) -> None:
    if IpaSurvey.objects.filter(title=IPA_TITLE).exists():
        return
    survey = IpaSurvey.objects.create(
        title=IPA_TITLE,
        description="Modelled on the study in which 150 senior executives scored 26 statements "
        "twice: importance for the company and current performance.",
        scale=7,
        status=SurveyStatus.CLOSED,
        created_by=demo.users["leader"],
    )
    statements = IpaStatement.objects.bulk_create(
        IpaStatement(survey=survey, text=text, order=i)
        for i, (text, _, _) in enumerate(IPA_STATEMENTS, start=1)
    )
    now = timezone.now()
    invitations = IpaInvitation.objects.bulk_create(
        IpaInvitation(survey=survey) for _ in range(180)
    )
    IpaInvitation.objects.filter(pk__in=[i.pk for i in invitations[:IPA_RESPONDENTS]]).update(
        used_at=now
    )
    responses = IpaResponse.objects.bulk_create(
        IpaResponse(survey=survey) for _ in range(IPA_RESPONDENTS)
    )
    IpaScore.objects.bulk_create(
        IpaScore(
            response=response,
            statement=statement,
            importance=_score(rng, imp, 7),
            performance=_score(rng, perf, 7),
        )
        for response in responses
        for statement, (_, imp, perf) in zip(statements, IPA_STATEMENTS, strict=True)
    )
