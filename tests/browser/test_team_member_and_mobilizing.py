"""A team member logs on a phone; the leader moves a stakeholder; a stranger answers a pulse."""

import datetime as dt
import time

import pytest
from playwright.sync_api import expect

from initiatives import roles
from learning.models import Experiment, Measurement
from mobilizing.models import PulseAnswer, PulseResponse, Stakeholder
from tests.browser.conftest import PHONE
from tests.factories import InitiativeFactory, MembershipFactory, UserFactory
from tests.learning.factories import MetricFactory
from tests.mobilizing.browser_steps import answer_pulse_link, drag_stakeholder, move_with_form
from tests.mobilizing.factories import (
    PulseInvitationFactory,
    PulseQuestionFactory,
    PulseSurveyFactory,
    StakeholderFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-tests"


@pytest.fixture
def initiative(transactional_db):
    leader = UserFactory(username="lena", role=roles.CHANGE_LEADER)
    initiative = InitiativeFactory(
        title="Resolve it on the first contact",
        leader=leader,
        sponsor=UserFactory(username="erin", role=roles.EXECUTIVE),
    )
    member = UserFactory(
        username="mia", first_name="Mia", last_name="Member", role=roles.TEAM_MEMBER
    )
    MembershipFactory(initiative=initiative, user=member)
    MetricFactory(
        initiative=initiative, name="First-contact resolution", unit="%", baseline=62.0, target=72.0
    )
    return initiative


def test_team_member_logs_a_value_and_an_experiment_on_a_phone(open_session, initiative):
    phone = open_session(PHONE)
    phone.login("mia", PASSWORD)
    page = phone.page
    page.goto(f"/initiatives/{initiative.pk}/learning/")
    # A few taps: the KPI's own Log button preselects it; the date defaults to today.
    page.get_by_role("link", name="Log a value of First-contact resolution").click()
    page.get_by_label("Value").fill("68.5")
    phone.shot("20-phone-log-value")
    page.get_by_role("button", name="Save value").click()
    expect(page.get_by_role("status")).to_be_visible()
    measurement = Measurement.objects.get()
    assert (measurement.value, measurement.entered_by.username) == (68.5, "mia")

    page.goto(f"/initiatives/{initiative.pk}/learning/")
    page.get_by_role("link", name="Log an experiment").first.click()
    page.get_by_label("Title").fill("Callback within the hour")
    page.get_by_label("Hypothesis").fill("Calling back within the hour resolves more at once.")
    page.get_by_label("KPI it should move").select_option(
        label="First-contact resolution (Resolve it on the first contact)"
    )
    page.get_by_label("Start").fill(dt.date.today().isoformat())
    page.get_by_label("End").fill((dt.date.today() + dt.timedelta(days=28)).isoformat())
    phone.shot("21-phone-log-experiment")
    page.get_by_role("button", name="Save experiment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Callback within the hour")
    experiment = Experiment.objects.get()
    assert experiment.metric.name == "First-contact resolution"
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 1, f"the experiment page scrolls sideways by {overflow}px on a phone"
    assert phone.errors == []


def test_leader_edits_the_stakeholder_grid(open_session, initiative):
    cfo = StakeholderFactory(initiative=initiative, name="CFO", influence=3, support=2)
    StakeholderFactory(initiative=initiative, name="Works council", influence=2, support=1)
    desk = open_session()
    desk.login("lena", PASSWORD)
    desk.page.goto(f"/initiatives/{initiative.pk}/mobilizing/stakeholders/")
    drag_stakeholder(desk.page, cfo.pk, influence=3, support=4)
    expect(desk.page.locator("#grid-status")).to_have_attribute("data-state", "ok")
    cfo.refresh_from_db()
    assert (cfo.influence, cfo.support) == (3, 4)
    move_with_form(desk.page, "Works council", "Medium", "Neutral")
    _eventually(lambda: Stakeholder.objects.get(name="Works council").support == 3)
    desk.shot("22-leader-stakeholder-grid")
    assert desk.errors == []


def _eventually(check, seconds=10):
    """The form posts in the background; give the server a moment, boundedly."""
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "the change never reached the database"
        time.sleep(0.1)


def test_anonymous_respondent_answers_a_pulse_survey_by_link(open_session, initiative):
    survey = PulseSurveyFactory(initiative=initiative, status="open")
    for text in ("I trust leadership to see this through", "I know how to work the new way"):
        PulseQuestionFactory(survey=survey, text=text)
    invitation = PulseInvitationFactory(survey=survey)
    stranger = open_session(PHONE)  # no login
    answer_pulse_link(stranger.page, invitation.token, value=4)
    stranger.shot("23-anonymous-pulse-answered")
    assert PulseResponse.objects.filter(survey=survey).count() == 1
    assert set(PulseAnswer.objects.values_list("value", flat=True)) == {4}
    # The same link cannot answer twice.
    stranger.page.goto(f"/pulse/{invitation.token}/")
    expect(stranger.page.locator('[data-testid="public-message"]')).to_be_visible()
    assert PulseResponse.objects.filter(survey=survey).count() == 1
    assert stranger.errors == [] or all("410" in e or "Gone" in e for e in stranger.errors)
