"""The API: same rules as the pages, 400 with field messages on bad input, results actions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from mobilizing.models import IpaResponse, IpaScore, PulseSurvey
from tests.factories import InitiativeFactory
from tests.mobilizing.factories import (
    IpaStatementFactory,
    IpaSurveyFactory,
    PulseQuestionFactory,
    PulseSurveyFactory,
    StakeholderFactory,
    WaveFactory,
    WaveUnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def login(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return login


def test_stakeholder_field_errors(api, leader, initiative):
    StakeholderFactory(initiative=initiative, name="CFO")
    response = api(leader).post(
        reverse("stakeholder-list"),
        {"initiative": initiative.pk, "name": "cfo", "influence": 4, "support": 0},
        format="json",
    )
    assert response.status_code == 400
    assert response.data["influence"] == ['"4" is not a valid choice.']
    assert response.data["support"] == ['"0" is not a valid choice.']
    ok = api(leader).post(
        reverse("stakeholder-list"),
        {"initiative": initiative.pk, "name": "cfo"},
        format="json",
    )
    assert ok.status_code == 400
    assert ok.data["name"] == ["This initiative already has a stakeholder of that name."]


def test_a_stale_lock_version_is_refused(api, leader, initiative):
    s = StakeholderFactory(initiative=initiative)
    url = reverse("stakeholder-detail", args=[s.pk])
    assert (
        api(leader).patch(url, {"support": 5, "lock_version": 1}, format="json").status_code == 200
    )
    stale = api(leader).patch(url, {"support": 1, "lock_version": 1}, format="json")
    assert stale.status_code == 400
    assert "Someone else saved this meanwhile" in stale.data["lock_version"]


def test_stakeholders_filter_still_to_win(api, leader, initiative):
    StakeholderFactory(initiative=initiative, name="a", support=2, target_support=4)
    StakeholderFactory(initiative=initiative, name="b", support=4, target_support=4)
    StakeholderFactory(name="elsewhere", support=1, target_support=5)  # not visible
    response = api(leader).get(reverse("stakeholder-list"), {"to_win": "true"})
    assert [r["name"] for r in response.data["results"]] == ["a"]
    assert response.data["results"][0]["to_win"] is True


def test_activity_owner_must_be_on_the_team(api, member, initiative, outsider):
    response = api(member).post(
        reverse("engagement-activity-list"),
        {
            "initiative": initiative.pk,
            "kind": "training",
            "title": "T",
            "audience": "A",
            "date": "2025-01-01",
            "owner": outsider.pk,
            "reach": -3,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "reach" in response.data
    response = api(member).post(
        reverse("engagement-activity-list"),
        {
            "initiative": initiative.pk,
            "kind": "training",
            "title": "T",
            "audience": "A",
            "date": "2025-01-01",
            "owner": outsider.pk,
        },
        format="json",
    )
    assert response.data["owner"] == ["The owner must be the leader or on the team."]


def test_a_new_pulse_survey_gets_the_default_questions(api, leader, initiative):
    response = api(leader).post(
        reverse("pulse-survey-list"),
        {"initiative": initiative.pk, "title": "P1", "opens": "2025-02-01", "closes": "2025-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.data["closes"] == ["The survey cannot close before it opens."]
    response = api(leader).post(
        reverse("pulse-survey-list"),
        {"initiative": initiative.pk, "title": "P1", "opens": "2025-02-01"},
        format="json",
    )
    assert response.status_code == 201
    assert PulseSurvey.objects.get().questions.count() == 8


def test_questions_of_an_open_survey_cannot_change(api, leader, initiative):
    survey = PulseSurveyFactory(initiative=initiative, status="open")
    response = api(leader).post(
        reverse("pulse-question-list"), {"survey": survey.pk, "text": "New"}, format="json"
    )
    assert response.status_code == 400
    assert response.data["survey"] == ["Questions can only change while the survey is a draft."]


def test_pulse_results_action(api, member, initiative):
    from tests.mobilizing.test_pulse import answer

    survey = PulseSurveyFactory(initiative=initiative, status="open")
    q = PulseQuestionFactory(survey=survey, kind="trust")
    answer(survey, {q: 4})
    answer(survey, {q: 2})
    data = api(member).get(reverse("pulse-survey-results", args=[survey.pk])).data
    assert data["responses"] == 2 and data["rate"] is None
    assert data["questions"][0]["figure"] == {"mean": 3.0, "n": 2, "rate": None, "hidden": False}


def test_waves_report_why_they_stall(api, member, initiative):
    wave = WaveFactory(
        initiative=initiative,
        order=1,
        status="running",
        planned_end=timezone.localdate() - dt.timedelta(days=1),
    )
    data = api(member).get(reverse("rollout-wave-detail", args=[wave.pk])).data
    assert data["stalling"][0].startswith("Overdue")


def test_wave_field_errors(api, leader, initiative):
    WaveFactory(initiative=initiative, order=1)
    response = api(leader).post(
        reverse("rollout-wave-list"),
        {
            "initiative": initiative.pk,
            "name": "W",
            "order": 1,
            "planned_start": "2025-02-01",
            "planned_end": "2025-01-01",
            "status": "done",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.data["planned_end"] == ["The planned end cannot be before the planned start."]
    assert response.data["actual_end"] == ["A done wave needs its actual end date."]


def test_readings_are_percentages_once_per_day(api, member, initiative):
    unit = WaveUnitFactory(wave=WaveFactory(initiative=initiative, order=1))
    url = reverse("adoption-reading-list")
    bad = api(member).post(
        url, {"unit": unit.pk, "date": "2025-01-01", "adoption_pct": "101"}, format="json"
    )
    assert bad.status_code == 400 and "adoption_pct" in bad.data
    assert (
        api(member)
        .post(url, {"unit": unit.pk, "date": "2025-01-01", "adoption_pct": "50"}, format="json")
        .status_code
        == 201
    )
    twice = api(member).post(
        url, {"unit": unit.pk, "date": "2025-01-01", "adoption_pct": "55"}, format="json"
    )
    assert twice.status_code == 400
    assert twice.data["date"] == ["This unit has a reading on that date already; change that one."]


def test_outsiders_cannot_name_units_they_cannot_see(api, outsider, initiative):
    unit = WaveUnitFactory(wave=WaveFactory(initiative=initiative, order=1))
    response = api(outsider).post(
        reverse("adoption-reading-list"),
        {"unit": unit.pk, "date": "2025-01-01", "adoption_pct": "50"},
        format="json",
    )
    assert response.status_code == 400
    assert "does not exist" in str(response.data["unit"])


def test_ipa_results_action_and_frozen_scale(api, member, leader):
    survey = IpaSurveyFactory(status="open", scale=5)
    statement = IpaStatementFactory(survey=survey)
    response = IpaResponse.objects.create(survey=survey)
    IpaScore.objects.create(response=response, statement=statement, importance=5, performance=2)
    data = api(member).get(reverse("ipa-survey-results", args=[survey.pk])).data
    assert data["statements"][0]["gap"] == 3.0
    assert data["statements"][0]["quadrant"] == "keep_up"  # one statement: it is the mean
    change = api(leader).patch(
        reverse("ipa-survey-detail", args=[survey.pk]), {"scale": 7}, format="json"
    )
    assert change.status_code == 400
    assert change.data["scale"] == ["The survey has responses: its scale can no longer change."]
    assert (
        api(member)
        .patch(reverse("ipa-survey-detail", args=[survey.pk]), {"title": "x"}, format="json")
        .status_code
        == 403
    )


def test_ipa_statements_of_an_open_survey_are_frozen(api, leader):
    survey = IpaSurveyFactory(status="open")
    response = api(leader).post(
        reverse("ipa-statement-list"), {"survey": survey.pk, "text": "New"}, format="json"
    )
    assert response.status_code == 400
    assert response.data["survey"] == ["Statements can only change while the survey is a draft."]


def test_lists_only_show_visible_initiatives(api, outsider, initiative):
    StakeholderFactory(initiative=initiative)
    StakeholderFactory(initiative=InitiativeFactory(leader=outsider))
    data = api(outsider).get(reverse("stakeholder-list")).data
    assert data["count"] == 1


def test_a_survey_without_questions_cannot_open(api, leader, initiative):
    survey = PulseSurveyFactory(initiative=initiative, status="draft")
    url = reverse("pulse-survey-detail", args=[survey.pk])
    response = api(leader).patch(url, {"status": "open"}, format="json")
    assert response.status_code == 400
    assert response.data["status"] == ["Add at least one question before opening the survey."]
    PulseQuestionFactory(survey=survey)
    assert api(leader).patch(url, {"status": "open"}, format="json").status_code == 200
