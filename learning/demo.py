"""Learning's part of the demo: KPIs with a year of measurements that tell a story.

- "fcr": first-contact resolution rose after a pilot of knowledge prompts (concluded:
  adopt) and holds; an iteration is planned, another pilot is running.
- "billing": billing calls fell after the bill redesign, then slide back toward the
  baseline over the last six weeks (the relapse detector should flag it).
- insights, NPS responses with the why, and lessons that later initiatives are offered.

Deterministic (seeded random) and idempotent: existing data is never rewritten.
"""

import datetime as dt
import math
import random

from django.utils import timezone

from learning.measurements import record_measurements
from learning.models import (
    Experiment,
    ExperimentStatus,
    Insight,
    Lesson,
    Metric,
    NpsResponse,
    Source,
)

D = dt.timedelta


def _level(day_offset: int, points: list[tuple[int, float]]) -> float:
    """Piecewise-linear level through (days from today, level) points."""
    points = sorted(points)
    if day_offset <= points[0][0]:
        return points[0][1]
    for (d0, v0), (d1, v1) in zip(points, points[1:], strict=False):
        if d0 <= day_offset <= d1:
            return v0 + (v1 - v0) * (day_offset - d0) / (d1 - d0)
    return points[-1][1]


# key -> [(name, unit, direction, cadence, noise, weekly swing, level points,
#          baseline period (days from today), target, hold_from, in reporting)]
KPIS = {
    "fcr": [
        (
            "First-contact resolution",
            "%",
            "higher",
            "daily",
            2.2,
            1.2,
            [(-365, 62.0), (-262, 62.0), (-258, 66.0), (-230, 66.0), (-200, 71.0), (0, 71.5)],
            (-365, -300),
            72.0,
            -200,
            True,
        ),
        (
            "Repeat contacts per 100 customers",
            "",
            "lower",
            "weekly",
            0.8,
            0.0,
            [(-365, 18.0), (-230, 17.5), (-190, 13.5), (0, 13.0)],
            (-365, -300),
            12.0,
            -190,
            False,
        ),
    ],
    "billing": [
        (
            "Billing calls per 1,000 bills",
            "",
            "lower",
            "daily",
            1.6,
            1.5,
            [
                (-365, 48.0),
                (-302, 48.0),
                (-298, 44.5),
                (-282, 44.5),
                (-240, 36.0),
                (-43, 36.0),
                (0, 45.0),
            ],
            (-365, -305),
            35.0,
            -230,
            True,
        ),
        (
            "Bill clarity score",
            "/10",
            "higher",
            "weekly",
            0.25,
            0.0,
            [(-365, 6.1), (-280, 6.1), (-240, 7.6), (0, 7.6)],
            (-365, -300),
            7.5,
            -230,
            False,
        ),
    ],
    "retention": [
        (
            "Premium churn rate",
            "%",
            "lower",
            "monthly",
            0.12,
            0.0,
            [(-365, 2.4), (-150, 2.4), (-60, 1.9), (0, 1.9)],
            (-365, -180),
            1.8,
            None,
            False,
        ),
    ],
    "onboarding": [
        (
            "New small businesses lost within 90 days",
            "%",
            "lower",
            "weekly",
            1.5,
            0.0,
            [(-84, 33.0), (0, 33.0)],
            None,
            20.0,
            None,
            False,
        ),
    ],
}

STEP = {"daily": 1, "weekly": 7, "monthly": 30}


def _kpis(demo) -> None:
    for key, specs in KPIS.items():
        initiative = demo.initiatives[key]
        for name, unit, direction, cadence, noise, swing, points, base, target, hold, rep in specs:
            metric, _ = Metric.objects.get_or_create(
                initiative=initiative,
                name=name,
                defaults={
                    "unit": unit,
                    "direction": direction,
                    "cadence": cadence,
                    "owner": demo.users["member"],
                    "department": initiative.departments.order_by("name").first(),
                    "segment": initiative.segments.order_by("name").first(),
                    "target": target,
                    "hold_from": demo.today + D(days=hold) if hold is not None else None,
                    "in_management_reporting": rep,
                },
            )
            if metric.measurements.exists():
                continue  # idempotent: never rewrite a series someone may have extended
            rng = random.Random(f"holdfast-demo-{name}")  # noqa: S311 - seeded demo data
            start = min(p[0] for p in points)
            rows = []
            for offset in range(start, 1, STEP[cadence]):
                day = demo.today + D(days=offset)
                weekly = swing * math.sin(2 * math.pi * day.weekday() / 7)
                value = _level(offset, points) + weekly + rng.gauss(0, noise)
                rows.append((metric.pk, day, round(value, 2)))
            record_measurements(rows, source=Source.DEMO, user=demo.users["member"])
            if base is not None and metric.baseline is None:
                _set_baseline(metric, demo.today + D(days=base[0]), demo.today + D(days=base[1]))


def _set_baseline(metric: Metric, start: dt.date, end: dt.date) -> None:
    from learning.baselines import baseline_of_period

    stats = baseline_of_period(metric.pk, start, end)
    Metric.objects.filter(pk=metric.pk).update(
        baseline=round(stats.mean, 2),
        baseline_spread=round(stats.spread, 2) if stats.spread else None,
        baseline_from=start,
        baseline_to=end,
    )


EXPERIMENTS = [
    # key, title, metric, hypothesis, start, end, status, decision, learned, refines, sites
    (
        "fcr",
        "Knowledge prompts in the agent desktop",
        "First-contact resolution",
        "If agents see the three most likely fixes for the caller's issue while they talk, "
        "more issues are resolved on the first call.",
        -260,
        -231,
        ExperimentStatus.CONCLUDED,
        "adopt",
        "Resolution rose clearly at both pilot sites; agents asked for photos of the "
        "equipment in the prompts. Roll out to all sites; iterate on the content.",
        None,
        "Leeds and Cardiff contact centres",
    ),
    (
        "fcr",
        "Knowledge prompts v2 with equipment photos",
        "First-contact resolution",
        "Photos of the customer's router model in the prompt cut the time to the right fix.",
        10,
        40,
        ExperimentStatus.PLANNED,
        "",
        "",
        "Knowledge prompts in the agent desktop",
        "Leeds contact centre",
    ),
    (
        "fcr",
        "Call back within two hours when unresolved",
        "Repeat contacts per 100 customers",
        "A promised callback within two hours stops customers calling again themselves.",
        -28,
        20,
        ExperimentStatus.RUNNING,
        "",
        "",
        None,
        "Cardiff contact centre",
    ),
    (
        "billing",
        "Plain-language bill pilot",
        "Billing calls per 1,000 bills",
        "A bill that explains changes in plain words halves the questions about it.",
        -300,
        -281,
        ExperimentStatus.CONCLUDED,
        "adopt",
        "Calls about the bill fell in the pilot region; the pro-rata line still confused "
        "people, so it was rewritten before the rollout.",
        None,
        "North region",
    ),
    (
        "retention",
        "Quiet-customer outreach calls",
        "Premium churn rate",
        "Calling premium customers whose usage dropped keeps them before they leave.",
        -150,
        -60,
        ExperimentStatus.CONCLUDED,
        "adapt",
        "Calls helped when the manager had a reason to call; scripted calls annoyed people. "
        "Adapt: call only with a concrete offer or fix.",
        None,
        "Premium desk",
    ),
]


def _experiments(demo) -> None:
    by_title = {}
    for (
        key,
        title,
        metric_name,
        hyp,
        start,
        end,
        status,
        decision,
        learned,
        refines,
        sites,
    ) in EXPERIMENTS:
        initiative = demo.initiatives[key]
        experiment, created = Experiment.objects.get_or_create(
            initiative=initiative,
            title=title,
            defaults={
                "metric": initiative.metrics.filter(name=metric_name).first(),
                "hypothesis": hyp,
                "start": demo.today + D(days=start),
                "end": demo.today + D(days=end),
                "status": status,
                "decision": decision,
                "learned": learned,
                "decided_by": demo.users["leader"] if decision else None,
                "decided_at": timezone.now() if decision else None,
                "refines": by_title.get(refines),
                "sites": sites,
                "created_by": demo.users["member"],
            },
        )
        if created:
            experiment.segments.set(initiative.segments.all())
            experiment.departments.set(initiative.departments.all()[:1])
        by_title[title] = experiment


INSIGHTS = {
    "fcr": [
        ("complaint", "I explained my fault three times to three different people.", "repeat"),
        (
            "interview",
            "The agent was kind but had to ask a colleague and never called back.",
            "callback, knowledge",
        ),
        (
            "forum",
            "Tip: ask for the second-line team straight away, the first line can't fix anything.",
            "escalation",
        ),
        ("survey", "Fixed in one call, finally. The agent knew my router.", "knowledge"),
        ("nps", "Every call starts from zero, nobody reads the notes.", "notes, repeat"),
        ("social", "45 minutes on hold to be told to call back tomorrow.", "wait time"),
        (
            "interview",
            "Small business: we lose money every hour the line is down; we need one "
            "person who owns the problem.",
            "ownership, small business",
        ),
        ("complaint", "The engineer and the call centre told me different things.", "consistency"),
    ],
    "billing": [
        (
            "complaint",
            "Why is this month's bill higher? Nothing explains the pro-rata line.",
            "pro-rata, bill layout",
        ),
        ("survey", "The new bill is much clearer, I can see what I pay for.", "bill layout"),
        (
            "forum",
            "Anyone understand the 'adjustments' section? Called twice about it.",
            "adjustments, repeat",
        ),
    ],
    "retention": [
        ("interview", "Nobody noticed I had stopped using half the services.", "silence"),
        ("survey", "My account manager only calls when the contract is up.", "relationship"),
        ("complaint", "I left after the third price rise nobody explained.", "price"),
    ],
}


def _insights(demo) -> None:
    for key, items in INSIGHTS.items():
        initiative = demo.initiatives[key]
        if initiative.insights.exists():
            continue
        segments = list(initiative.segments.order_by("name"))
        departments = list(initiative.departments.order_by("name"))
        Insight.objects.bulk_create(
            Insight(
                initiative=initiative,
                source=source,
                text=text,
                tags=tags,
                segment=segments[i % len(segments)] if segments else None,
                department=departments[i % len(departments)] if departments else None,
                touchpoint="phone" if source in ("complaint", "interview") else "",
                created_by=demo.users["member" if i % 2 else "sam"],
            )
            for i, (source, text, tags) in enumerate(items)
        )


WHY = {
    "detractor": [
        "I had to call three times about the same fault",
        "long wait on hold and then nobody could fix it",
        "had to explain my problem again to every agent",
        "the bill is confusing and the price went up",
        "promised a call back that never came",
        "long wait on hold, again",
        "nobody owns my problem, I get passed around",
    ],
    "passive": [
        "fine when it works",
        "ok service but the app is clumsy",
        "price is fair, support is slow",
    ],
    "promoter": [
        "fixed on the first call, friendly agent",
        "the agent knew my router and fixed it on the first call",
        "reliable service and clear bill",
        "friendly agent who called back as promised",
        "quick answer in the app chat",
    ],
}


def _nps(demo) -> None:
    for key, n, improve in (("fcr", 260, 0.25), ("billing", 140, 0.1), ("retention", 90, 0.0)):
        initiative = demo.initiatives[key]
        if initiative.nps_responses.exists():
            continue
        rng = random.Random(f"holdfast-nps-{key}")  # noqa: S311 - seeded demo data
        segments = list(initiative.segments.order_by("name"))
        rows = []
        for i in range(n):
            age = rng.randint(0, 240)  # days ago
            lift = improve * (240 - age) / 240
            r = rng.random()
            if r < 0.38 - lift:
                score, cat = rng.randint(0, 6), "detractor"
            elif r < 0.62 - lift / 2:
                score, cat = rng.randint(7, 8), "passive"
            else:
                score, cat = rng.randint(9, 10), "promoter"
            rows.append(
                NpsResponse(
                    initiative=initiative,
                    segment=segments[i % len(segments)] if segments else None,
                    responded_on=demo.today - D(days=age),
                    score=score,
                    why=rng.choice(WHY[cat]) if rng.random() < 0.85 else "",
                    respondent=f"{key}-{i:04d}",
                    source=Source.DEMO,
                )
            )
        NpsResponse.objects.bulk_create(rows)


LESSONS = [
    (
        "billing",
        "A new bill layout without briefing the call centre",
        "We launched the redesigned bill to all households in one month.",
        "Calls rose for six weeks: agents had not seen the new bill and explained the old one.",
        "Frontline teams hear about a change last. Brief and train them before customers see it.",
    ),
    (
        "retention",
        "Discounts for premium customers who go quiet",
        "An automatic 10% discount when a premium customer's usage dropped.",
        "Churn did not move and margin fell; customers read it as a sign of overcharging.",
        "Silence had causes (unsolved problems) that money did not touch. Ask before you pay.",
    ),
    (
        "onboarding",
        "Welcome calls made by sales",
        "Sales reps called every new small business in its first week.",
        "Calls turned into upselling; customers stopped answering.",
        "The caller's incentive shapes the call. Onboarding belongs to service, not sales.",
    ),
]


def _lessons(demo) -> None:
    for key, title, tried, failed, why in LESSONS:
        initiative = demo.initiatives[key]
        lesson, created = Lesson.objects.get_or_create(
            initiative=initiative,
            title=title,
            defaults={
                "tried": tried,
                "failed": failed,
                "why": why,
                "created_by": demo.users["leader"],
            },
        )
        if created:
            lesson.segments.set(initiative.segments.all())
            lesson.departments.set(initiative.departments.all())


def seed_demo(demo) -> None:
    _kpis(demo)
    _experiments(demo)
    _insights(demo)
    _nps(demo)
    _lessons(demo)
