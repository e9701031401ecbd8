"""The anonymous answer links: the only pages besides login open without an account."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from mobilizing import pulse
from mobilizing.models import (
    IpaResponse,
    PulseAnswer,
    PulseInvitation,
    PulseResponse,
)
from tests.factories import DepartmentFactory
from tests.mobilizing.factories import (
    IpaInvitationFactory,
    IpaStatementFactory,
    IpaSurveyFactory,
    PulseInvitationFactory,
    PulseQuestionFactory,
    PulseSurveyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(initiative):
    survey = PulseSurveyFactory(
        initiative=initiative, status="open", opens=dt.date(2020, 1, 1), title="Pulse May"
    )
    PulseQuestionFactory(survey=survey, kind="trust", text="I trust leadership", order=1)
    PulseQuestionFactory(survey=survey, kind="readiness", text="I am ready", order=2)
    return survey


@pytest.fixture
def invitation(survey):
    return PulseInvitationFactory(survey=survey, department=DepartmentFactory(name="Sales"))


def url(invitation):
    return reverse("mobilizing:pulse-answer", args=[invitation.token])


def answers(survey, value=4):
    return {f"q{q.pk}": str(value) for q in survey.questions.all()}


def test_an_anonymous_respondent_answers_and_is_thanked(client, survey, invitation):
    page = client.get(url(invitation))
    assert page.status_code == 200
    assert b"I trust leadership" in page.content
    response = client.post(url(invitation), answers(survey, 2))
    assert response.status_code == 200
    assert b'data-testid="pulse-thanks"' in response.content
    assert PulseResponse.objects.get().department.name == "Sales"
    assert sorted(PulseAnswer.objects.values_list("value", flat=True)) == [2, 2]
    invitation.refresh_from_db()
    assert invitation.used_at is not None


def test_one_response_per_token_a_double_submit_writes_once(client, survey, invitation):
    assert client.post(url(invitation), answers(survey)).status_code == 200
    second = client.post(url(invitation), answers(survey))
    assert second.status_code == 410
    assert b"Already answered" in second.content
    assert PulseResponse.objects.count() == 1


def test_submit_refuses_a_token_spent_between_reading_and_writing(survey, invitation):
    stale = PulseInvitation.objects.get(pk=invitation.pk)  # read before the first submit
    pulse.submit(invitation, {q.pk: 3 for q in survey.questions.all()})
    with pytest.raises(pulse.TokenSpent):
        pulse.submit(stale, {q.pk: 3 for q in survey.questions.all()})
    assert PulseResponse.objects.count() == 1


def test_a_used_token_gets_a_friendly_410(client, survey, invitation):
    client.post(url(invitation), answers(survey))
    page = client.get(url(invitation))
    assert page.status_code == 410
    assert b"each link answers once" in page.content


def test_an_unknown_token_is_404(client):
    page = client.get(reverse("mobilizing:pulse-answer", args=["no-such-token"]))
    assert page.status_code == 404
    assert b"does not exist" in page.content


def test_a_closed_survey_is_410_and_writes_nothing(client, survey, invitation):
    survey.status = "closed"
    survey.save()
    assert client.get(url(invitation)).status_code == 410
    assert client.post(url(invitation), answers(survey)).status_code == 410
    assert PulseResponse.objects.count() == 0


def test_a_survey_past_its_closing_date_is_closed(client, survey, invitation):
    survey.closes = dt.date(2020, 2, 1)
    survey.save()
    page = client.get(url(invitation))
    assert page.status_code == 410 and b"Survey closed" in page.content


def test_a_draft_survey_is_not_open_yet_403(client, survey, invitation):
    survey.status = "draft"
    survey.save()
    page = client.get(url(invitation))
    assert page.status_code == 403 and b"not open yet" in page.content


def test_every_question_must_be_answered(client, survey, invitation):
    data = answers(survey)
    data.popitem()
    page = client.post(url(invitation), data)
    assert page.status_code == 400
    assert b"Please choose a number from 1 to 5." in page.content
    bad = client.post(url(invitation), answers(survey, 9))
    assert bad.status_code == 400
    assert PulseResponse.objects.count() == 0
    invitation.refresh_from_db()
    assert invitation.used_at is None  # a failed attempt does not spend the link


def test_the_answer_page_is_csrf_protected(survey, invitation):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(invitation), answers(survey)).status_code == 403
    page = strict.get(url(invitation))
    token = page.cookies["csrftoken"].value
    data = answers(survey) | {"csrfmiddlewaretoken": token}
    assert strict.post(url(invitation), data).status_code == 200


def test_the_response_cannot_be_tied_to_the_invitation(client, survey, invitation):
    """Nothing in a response row points at the invitation, the person or the moment."""
    client.post(url(invitation), answers(survey))
    response = PulseResponse.objects.get()
    fields = {f.name for f in PulseResponse._meta.concrete_fields}
    assert fields == {"id", "survey", "department", "source"}
    assert not any(
        f.is_relation and f.related_model is PulseInvitation
        for f in PulseResponse._meta.get_fields()
    )
    assert isinstance(response.pk, type(response.id)) and len(str(response.pk)) == 36  # UUID
    assert not hasattr(PulseResponse, "history") and not hasattr(PulseAnswer, "history")


def test_the_leader_sees_the_link_but_not_who_answered_what(client_for, leader, survey, invitation):
    client = client_for(leader)
    page = client.get(
        reverse("mobilizing:pulse-invitations", args=[survey.initiative_id, survey.pk])
    )
    assert invitation.token.encode() in page.content


@pytest.fixture
def ipa_invitation():
    survey = IpaSurveyFactory(status="open", scale=5)
    IpaStatementFactory(survey=survey, text="We know our best customers")
    IpaStatementFactory(survey=survey, text="We ask why customers leave")
    return IpaInvitationFactory(survey=survey)


def ipa_scores(invitation, value=3):
    return {
        f"{part}_{s.pk}": str(value)
        for s in invitation.survey.statements.all()
        for part in ("importance", "performance")
    }


def test_an_anonymous_respondent_scores_an_ipa_survey_once(client, ipa_invitation):
    link = reverse("mobilizing:ipa-answer", args=[ipa_invitation.token])
    assert client.get(link).status_code == 200
    assert client.post(link, ipa_scores(ipa_invitation)).status_code == 200
    assert client.post(link, ipa_scores(ipa_invitation)).status_code == 410
    response = IpaResponse.objects.get()
    assert response.scores.count() == 2
    assert {f.name for f in IpaResponse._meta.concrete_fields} == {"id", "survey", "source"}


def test_ipa_scores_must_be_on_the_survey_scale(client, ipa_invitation):
    link = reverse("mobilizing:ipa-answer", args=[ipa_invitation.token])
    page = client.post(link, ipa_scores(ipa_invitation, 7))  # the survey uses 1 to 5
    assert page.status_code == 400
    assert b"Please choose a number from 1 to 5." in page.content
    assert IpaResponse.objects.count() == 0


def test_a_closed_ipa_survey_refuses_answers(client, ipa_invitation):
    ipa_invitation.survey.status = "closed"
    ipa_invitation.survey.save()
    link = reverse("mobilizing:ipa-answer", args=[ipa_invitation.token])
    assert client.get(link).status_code == 410
