"""A portfolio with something in every process, built with bulk_create (fast at 1,000).

Every initiative gets a charter, two KPIs with a few measurements, money, an experiment and
NPS responses; a regular share of them gets the troubles the health rules look for:
every 3rd an unacknowledged relapse flag, every 4th an overdue realignment action, every
5th a stalling rollout wave, every 6th falling trust, every 7th an unapproved charter.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from chartering.models import Charter
from initiatives.models import CustomerSegment, Department, Initiative, Stage
from learning.models import Experiment, Measurement, Metric, NpsResponse
from mobilizing.models import (
    AdoptionReading,
    IpaResponse,
    IpaScore,
    IpaStatement,
    IpaSurvey,
    PulseAnswer,
    PulseQuestion,
    PulseResponse,
    PulseSurvey,
    RolloutWave,
    WaveUnit,
)
from realigning.models import FinancialEntry, RealignmentAction, RelapseFlag

STAGES = [Stage.CHARTERING, Stage.LEARNING, Stage.MOBILIZING, Stage.REALIGNING, Stage.SUSTAINED]


def build_portfolio(n: int, *, sponsor, leader, today: dt.date, start: int = 0) -> list[int]:
    """n initiatives with their process data; returns their ids."""
    segment, _ = CustomerSegment.objects.get_or_create(name="Households")
    department, _ = Department.objects.get_or_create(name="Customer Service")
    now = timezone.now()
    initiatives = Initiative.objects.bulk_create(
        Initiative(
            title=f"Initiative {start + i:04d}",
            problem="Customers call twice about the same issue.",
            sponsor=sponsor,
            leader=leader,
            stage=STAGES[i % len(STAGES)],
            stage_changed_at=now - dt.timedelta(days=(i * 37) % 300),
            investment=Decimal("1000"),
        )
        for i in range(n)
    )
    ids = [i.pk for i in initiatives]
    Initiative.segments.through.objects.bulk_create(
        Initiative.segments.through(initiative_id=pk, customersegment_id=segment.pk) for pk in ids
    )
    Initiative.departments.through.objects.bulk_create(
        Initiative.departments.through(initiative_id=pk, department_id=department.pk) for pk in ids
    )
    Charter.objects.bulk_create(
        Charter(
            initiative_id=pk,
            version=1,
            status="draft" if k % 7 == 0 else "approved",
            approved_by=None if k % 7 == 0 else sponsor,
            approved_at=None if k % 7 == 0 else now,
            problem_area="Repeat contacts",
        )
        for k, pk in enumerate(ids)
    )
    metrics = Metric.objects.bulk_create(
        Metric(
            initiative_id=pk,
            name=f"KPI {j}",
            direction="higher",
            cadence="weekly",
            baseline=50.0,
            target=70.0,
        )
        for pk in ids
        for j in range(2)
    )
    monday = today - dt.timedelta(days=today.weekday())
    Measurement.objects.bulk_create(
        Measurement(metric=m, period=monday - dt.timedelta(weeks=w), value=60.0 + w % 5)
        for m in metrics
        for w in range(6)
    )
    first_metric = {m.initiative_id: m for m in reversed(metrics)}
    RelapseFlag.objects.bulk_create(
        RelapseFlag(
            metric=first_metric[pk],
            rule="cusum",
            severity="high" if k % 2 else "medium",
            severity_rank=3 if k % 2 else 2,
            fired_on=today - dt.timedelta(days=k % 30),
            slide_began=today - dt.timedelta(days=30 + k % 30),
        )
        for k, pk in enumerate(ids)
        if k % 3 == 0
    )
    RealignmentAction.objects.bulk_create(
        RealignmentAction(
            initiative_id=pk,
            kind="process",
            title="Change the process",
            due_date=today - dt.timedelta(days=10 if k % 4 == 0 else -30),
        )
        for k, pk in enumerate(ids)
    )
    FinancialEntry.objects.bulk_create(
        entry
        for pk in ids
        for entry in (
            FinancialEntry(
                initiative_id=pk,
                kind="investment",
                date=today - dt.timedelta(days=200),
                amount=Decimal("1000"),
            ),
            FinancialEntry(
                initiative_id=pk,
                kind="benefit",
                date=today - dt.timedelta(days=60),
                amount=Decimal("1500"),
                supporting_metric=first_metric[pk],
            ),
        )
    )
    Experiment.objects.bulk_create(
        Experiment(
            initiative_id=pk,
            title="Pilot",
            hypothesis="If we do X, Y moves.",
            start=today - dt.timedelta(days=90),
            end=today - dt.timedelta(days=30),
            status="concluded",
            decision="adopt",
        )
        for pk in ids
    )
    NpsResponse.objects.bulk_create(
        NpsResponse(
            initiative_id=pk,
            segment=segment,
            responded_on=today - dt.timedelta(days=20 * r),
            score=(3, 9, 10, 7)[r % 4],
            why=("long wait on hold", "friendly agent fixed it", "long wait again", "")[r % 4],
        )
        for pk in ids
        for r in range(4)
    )
    stalling = [pk for k, pk in enumerate(ids) if k % 5 == 0]
    waves = RolloutWave.objects.bulk_create(
        RolloutWave(
            initiative_id=pk,
            name="Pilot",
            order=1,
            planned_start=today - dt.timedelta(days=120),
            planned_end=today - dt.timedelta(days=40),
            actual_start=today - dt.timedelta(days=120),
            status="running",
        )
        for pk in stalling
    )
    units = WaveUnit.objects.bulk_create(WaveUnit(wave=w, name="Site A") for w in waves)
    AdoptionReading.objects.bulk_create(
        AdoptionReading(unit=u, date=today - dt.timedelta(days=d), adoption_pct=Decimal("40"))
        for u in units
        for d in (60, 10)
    )
    falling = [pk for k, pk in enumerate(ids) if k % 6 == 0]
    surveys = PulseSurvey.objects.bulk_create(
        PulseSurvey(
            initiative_id=pk,
            title=f"Pulse {s}",
            opens=today - dt.timedelta(days=90 - 45 * s),
            status="closed",
        )
        for pk in falling
        for s in range(2)
    )
    questions = PulseQuestion.objects.bulk_create(
        PulseQuestion(survey=s, kind="trust", text="I trust senior leadership.", order=1)
        for s in surveys
    )
    responses = PulseResponse.objects.bulk_create(
        PulseResponse(survey=s) for s in surveys for _ in range(3)
    )
    by_survey = {q.survey_id: q for q in questions}
    PulseAnswer.objects.bulk_create(
        PulseAnswer(
            response=r,
            question=by_survey[r.survey_id],
            value=4 if r.survey.title == "Pulse 0" else 2,
        )
        for r in responses
    )
    return ids


def build_ipa(statements: int = 4) -> IpaSurvey:
    survey = IpaSurvey.objects.create(title="Where do we stand?", status="closed", scale=7)
    rows = IpaStatement.objects.bulk_create(
        IpaStatement(survey=survey, text=f"Statement {k}", order=k + 1) for k in range(statements)
    )
    responses = IpaResponse.objects.bulk_create(IpaResponse(survey=survey) for _ in range(3))
    IpaScore.objects.bulk_create(
        IpaScore(response=r, statement=s, importance=7 - (k % 2) * 4, performance=2 + (k % 3) * 2)
        for r in responses
        for k, s in enumerate(rows)
    )
    return survey
