"""Query counts on list pages are pinned, and do not grow with the data (two sizes)."""

import datetime as dt

import pytest
from django.urls import reverse

from mobilizing.models import IpaResponse, IpaScore
from tests.factories import DepartmentFactory
from tests.mobilizing.factories import (
    ActivityFactory,
    IpaInvitationFactory,
    IpaStatementFactory,
    IpaSurveyFactory,
    PulseInvitationFactory,
    PulseQuestionFactory,
    PulseSurveyFactory,
    ReadingFactory,
    StakeholderFactory,
    WaveFactory,
    WaveUnitFactory,
)
from tests.mobilizing.test_pulse import answer


def populate(initiative, n: int) -> None:
    dept = DepartmentFactory(name=f"Dept {n}")
    for i in range(n):
        StakeholderFactory(
            initiative=initiative, department=dept, influence=1 + i % 3, support=1 + i % 5
        )
        ActivityFactory(initiative=initiative, owner=initiative.leader)
        survey = PulseSurveyFactory(
            initiative=initiative,
            status="closed",
            opens=dt.date(2025, 1, 1) + dt.timedelta(days=30 * i),
        )
        q = PulseQuestionFactory(survey=survey, kind="trust")
        PulseQuestionFactory(survey=survey, kind="readiness")
        PulseInvitationFactory(survey=survey, department=dept)
        answer(survey, {q: 3}, dept)
        wave = WaveFactory(
            initiative=initiative, order=i + 1, status="running", actual_start=dt.date(2025, 1, 1)
        )
        unit = WaveUnitFactory(wave=wave, department=dept)
        ReadingFactory(unit=unit, date=dt.date(2025, 2, 1))
        ReadingFactory(unit=unit, date=dt.date(2025, 3, 1))
        ipa = IpaSurveyFactory(status="closed")
        IpaInvitationFactory(survey=ipa)
        statement = IpaStatementFactory(survey=ipa)
        response = IpaResponse.objects.create(survey=ipa)
        IpaScore.objects.create(response=response, statement=statement, importance=5, performance=3)


def PAGES(initiative):  # noqa: N802
    def u(name, *args):
        return reverse(f"mobilizing:{name}", args=args)

    return {
        "overview": u("overview", initiative.pk),
        "stakeholders": u("stakeholders", initiative.pk),
        "activities": u("activities", initiative.pk),
        "pulse": u("pulse", initiative.pk),
        "pulse-trends": u("pulse-trends", initiative.pk),
        "waves": u("waves", initiative.pk),
        "ipa-list": u("ipa-list"),
    }


# Every page starts with 4 queries: session, user, the initiative (with leader and sponsor),
# and the user's groups (the role check of the access rule); it ends with 3 that save the
# session (SESSION_SAVE_EVERY_REQUEST: savepoint, update, release). The IPA pages belong to
# no initiative: 3 first (session, user, groups).
FRAME = 4 + 3
IPA_FRAME = 3 + 3
EXPECTED = {
    # checklist (3) + trust_trend (1) + stalling_waves (3: waves, units, readings) + four counts
    "overview": FRAME + 11,
    # the stakeholders with their departments
    "stakeholders": FRAME + 1,
    # the form's owner choices (team ids, users) + count + page of activities with owners
    "activities": FRAME + 4,
    # the surveys with their counts as subqueries
    "pulse": FRAME + 1,
    # departments, surveys, invitation counts, response counts, questions, answer means
    "pulse-trends": FRAME + 6,
    # waves, units, readings; the unit form's departments and segments; the reading form's units
    "waves": FRAME + 6,
    # count + the page of surveys with their counts as subqueries
    "ipa-list": IPA_FRAME + 2,
}


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize("page", list(EXPECTED))
def test_list_pages_take_a_fixed_number_of_queries(
    page, size, client_for, leader, initiative, django_assert_num_queries
):
    populate(initiative, size)
    url = PAGES(initiative)[page]
    client = client_for(leader)
    with django_assert_num_queries(EXPECTED[page]):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [2, 12])
def test_the_ipa_results_page_does_not_grow_with_statements_or_respondents(
    size, client_for, leader, django_assert_num_queries
):
    survey = IpaSurveyFactory(status="closed")
    statements = [IpaStatementFactory(survey=survey) for _ in range(size)]
    for _ in range(size):
        response = IpaResponse.objects.create(survey=survey)
        for i, statement in enumerate(statements):
            IpaScore.objects.create(
                response=response, statement=statement, importance=1 + i % 7, performance=7 - i % 7
            )
    client = client_for(leader)
    # the survey, statements, means, responses count, invitations count, executives
    with django_assert_num_queries(IPA_FRAME + 6):
        assert client.get(reverse("mobilizing:ipa-detail", args=[survey.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [1, 8])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # session, user, groups (visible_to), count, page (with departments)
        ("stakeholder-list", 5 + 3),
        # session, user, groups, count, page, units, readings (stalling computed from them)
        ("rollout-wave-list", 7 + 3),
    ],
)
def test_api_lists_take_a_fixed_number_of_queries(
    name, queries, size, client_for, leader, initiative, django_assert_num_queries
):
    populate(initiative, size)
    client = client_for(leader)
    with django_assert_num_queries(queries):
        assert client.get(reverse(name)).status_code == 200
