"""The database guards the invariants, not only the forms."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from mobilizing.models import (
    AdoptionReading,
    IpaResponse,
    IpaScore,
    PulseAnswer,
    PulseResponse,
    RolloutWave,
    Stakeholder,
)
from tests.mobilizing.factories import (
    IpaStatementFactory,
    PulseQuestionFactory,
    PulseSurveyFactory,
    ReadingFactory,
    StakeholderFactory,
    WaveFactory,
    WaveUnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "fields",
    [{"influence": 4}, {"influence": 0}, {"support": 6}, {"target_support": 0}],
)
def test_stakeholder_grid_positions_are_bounded(initiative, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Stakeholder.objects.create(initiative=initiative, name="X", **fields)


def test_stakeholder_names_are_unique_per_initiative(initiative):
    StakeholderFactory(initiative=initiative, name="CFO")
    with pytest.raises(IntegrityError), transaction.atomic():
        StakeholderFactory(initiative=initiative, name="CFO")
    StakeholderFactory(name="CFO")  # another initiative may have its own CFO


def test_still_to_win_is_target_above_support(initiative):
    StakeholderFactory(initiative=initiative, name="a", support=2, target_support=4)
    StakeholderFactory(initiative=initiative, name="b", support=4, target_support=4)
    StakeholderFactory(initiative=initiative, name="c", support=5, target_support=3)
    assert [s.name for s in Stakeholder.objects.still_to_win()] == ["a"]


def test_pulse_answers_stay_on_the_scale_and_once_per_question():
    question = PulseQuestionFactory()
    response = PulseResponse.objects.create(survey=question.survey)
    for value in (0, 6):
        with pytest.raises(IntegrityError), transaction.atomic():
            PulseAnswer.objects.create(response=response, question=question, value=value)
    PulseAnswer.objects.create(response=response, question=question, value=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        PulseAnswer.objects.create(response=response, question=question, value=4)


def test_a_survey_cannot_close_before_it_opens(initiative):
    with pytest.raises(IntegrityError), transaction.atomic():
        PulseSurveyFactory(
            initiative=initiative, opens=dt.date(2025, 5, 1), closes=dt.date(2025, 4, 1)
        )


@pytest.mark.parametrize(
    "dates",
    [
        {"planned_start": dt.date(2025, 5, 1), "planned_end": dt.date(2025, 4, 1)},
        {"actual_end": dt.date(2025, 4, 1)},  # ended without starting
        {"actual_start": dt.date(2025, 5, 1), "actual_end": dt.date(2025, 4, 1)},
    ],
)
def test_wave_dates_are_consistent(initiative, dates):
    with pytest.raises(IntegrityError), transaction.atomic():
        WaveFactory(initiative=initiative, **dates)


def test_wave_positions_are_unique_per_initiative(initiative):
    WaveFactory(initiative=initiative, order=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        WaveFactory(initiative=initiative, order=1)
    assert RolloutWave.objects.count() == 1


def test_adoption_is_a_percentage_once_per_unit_and_day():
    unit = WaveUnitFactory()
    for pct in (-1, 101):
        with pytest.raises(IntegrityError), transaction.atomic():
            AdoptionReading.objects.create(unit=unit, date=dt.date(2025, 1, 1), adoption_pct=pct)
    ReadingFactory(unit=unit, date=dt.date(2025, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        ReadingFactory(unit=unit, date=dt.date(2025, 1, 1))


def test_ipa_scores_stay_on_the_widest_scale_and_once_per_statement():
    statement = IpaStatementFactory()
    response = IpaResponse.objects.create(survey=statement.survey)
    with pytest.raises(IntegrityError), transaction.atomic():
        IpaScore.objects.create(response=response, statement=statement, importance=8, performance=3)
    IpaScore.objects.create(response=response, statement=statement, importance=7, performance=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        IpaScore.objects.create(response=response, statement=statement, importance=6, performance=2)


def test_edits_keep_history(initiative):
    stakeholder = StakeholderFactory(initiative=initiative, support=2)
    stakeholder.support = 4
    stakeholder.save()
    assert [h.support for h in stakeholder.history.order_by("history_date")] == [2, 4]
