"""Pulse surveys: response rate, results per question and department, trends, trust_trend."""

import datetime as dt

import pytest

from mobilizing import pulse
from mobilizing.models import PulseAnswer, PulseQuestion, PulseResponse, QuestionKind
from tests.factories import DepartmentFactory, InitiativeFactory
from tests.mobilizing.factories import (
    PulseInvitationFactory,
    PulseQuestionFactory,
    PulseSurveyFactory,
)

pytestmark = pytest.mark.django_db


def answer(survey, values: dict, department=None):
    """One response: {question: value}."""
    response = PulseResponse.objects.create(survey=survey, department=department)
    for question, value in values.items():
        PulseAnswer.objects.create(response=response, question=question, value=value)
    return response


def test_response_rate_is_responses_over_invitations():
    assert pulse.rate(3, 4) == 0.75
    assert pulse.rate(0, 0) is None


def test_the_default_template_asks_trust_skepticism_readiness_and_adkar(initiative):
    survey = PulseSurveyFactory(initiative=initiative)
    pulse.add_default_questions(survey)
    kinds = list(survey.questions.values_list("kind", flat=True))
    assert kinds[:3] == ["trust", "skepticism", "readiness"]
    assert {k for k in kinds if k.startswith("adkar-")} == {
        "adkar-awareness",
        "adkar-desire",
        "adkar-knowledge",
        "adkar-ability",
        "adkar-reinforcement",
    }


def test_results_per_question_and_department_with_n_and_rate(initiative):
    sales, it = DepartmentFactory(name="Sales"), DepartmentFactory(name="IT")
    survey = PulseSurveyFactory(initiative=initiative, status="open", invited_elsewhere=2)
    trust = PulseQuestionFactory(survey=survey, kind="trust")
    for _ in range(4):
        PulseInvitationFactory(survey=survey, department=sales)
    for _ in range(4):
        PulseInvitationFactory(survey=survey, department=it)
    for v in (2, 3, 4):
        answer(survey, {trust: v}, sales)
    answer(survey, {trust: 5}, it)
    res = pulse.survey_results(survey)
    assert (res.responses, res.invited) == (4, 10)
    assert res.rate == 0.4
    ((q, figure),) = res.questions
    assert figure.mean == 3.5 and figure.n == 4 and figure.rate == 0.4
    rows = {name: (n, rate, hidden, figures) for name, n, rate, hidden, figures in res.departments}
    assert rows["Sales"][:3] == (3, 0.75, False)
    assert rows["Sales"][3][0].mean == 3.0
    # One answer from IT: hidden, so nobody can tell what that person said.
    assert rows["IT"][:3] == (1, 0.25, True)
    assert rows["IT"][3][0].mean is None


def _recurring(initiative, trust_means, dept=None):
    surveys = []
    for i, values in enumerate(trust_means):
        survey = PulseSurveyFactory(
            initiative=initiative, status="closed", opens=dt.date(2025, 1 + i, 1), title=f"P{i}"
        )
        q = PulseQuestionFactory(survey=survey, kind=QuestionKind.TRUST)
        PulseQuestionFactory(survey=survey, kind=QuestionKind.OTHER, text="Free")
        for _ in range(len(values) + 1):
            PulseInvitationFactory(survey=survey, department=dept)
        for v in values:
            answer(survey, {q: v}, dept)
        surveys.append(survey)
    return surveys


def test_trends_compare_questions_by_kind_over_the_recurring_surveys(initiative):
    _recurring(initiative, [[4, 4, 5], [3, 4, 3], [2, 3, 2]])
    PulseSurveyFactory(initiative=initiative, status="draft", opens=dt.date(2026, 1, 1))
    surveys, rows = pulse.trends(initiative)
    assert [s.title for s in surveys] == ["P0", "P1", "P2"]  # drafts left out
    trust = next(r for r in rows if r.key == "trust")
    assert [round(f.mean, 2) for f in trust.figures] == [4.33, 3.33, 2.33]
    assert [f.n for f in trust.figures] == [3, 3, 3]
    assert [f.rate for f in trust.figures] == [0.75, 0.75, 0.75]
    assert trust.change == pytest.approx(-2.0)
    free = next(r for r in rows if r.key == "other:free")
    assert free.label == "Free" and free.figures[0].mean is None and free.change is None


def test_trends_per_department(initiative):
    sales = DepartmentFactory(name="Sales")
    _recurring(initiative, [[4, 4, 4], [2, 2, 2]], dept=sales)
    _, rows = pulse.trends(initiative, department_id=sales.pk)
    trust = next(r for r in rows if r.key == "trust")
    assert [f.mean for f in trust.figures] == [4.0, 2.0]
    other = DepartmentFactory(name="Other")
    _, rows = pulse.trends(initiative, department_id=other.pk)
    assert all(f.mean is None for f in next(r for r in rows if r.key == "trust").figures)


def test_trust_trend_is_the_change_between_the_last_two_surveys(django_assert_num_queries):
    falling, rising, single, none = (InitiativeFactory() for _ in range(4))
    _recurring(falling, [[5, 5], [4, 4], [2, 3]])
    _recurring(rising, [[2, 2], [4, 4]])
    _recurring(single, [[3]])
    with django_assert_num_queries(1):
        trend = pulse.trust_trend([falling, rising, single, none])
    assert trend[falling.pk] == pytest.approx(-1.5)
    assert trend[rising.pk] == pytest.approx(2.0)
    assert trend[single.pk] is None and trend[none.pk] is None


def test_a_recurring_survey_can_copy_the_previous_questions(initiative):
    first = PulseSurveyFactory(initiative=initiative)
    pulse.add_default_questions(first)
    second = PulseSurveyFactory(initiative=initiative)
    pulse.copy_questions(first, second)
    assert list(second.questions.values_list("kind", "text")) == list(
        first.questions.values_list("kind", "text")
    )
    assert PulseQuestion.objects.count() == 16
