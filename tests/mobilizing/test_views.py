"""Pages: the stakeholder grid, engagement, pulse survey set-up, waves; field errors shown."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mobilizing.models import (
    AdoptionReading,
    EngagementActivity,
    PulseInvitation,
    PulseSurvey,
    RolloutWave,
    Stakeholder,
)
from tests.factories import DepartmentFactory
from tests.mobilizing.factories import (
    ActivityFactory,
    PulseQuestionFactory,
    PulseSurveyFactory,
    ReadingFactory,
    StakeholderFactory,
    WaveFactory,
    WaveUnitFactory,
)

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


def u(name, initiative, *args):
    return reverse(f"mobilizing:{name}", args=[initiative.pk, *args])


# --- Stakeholders -------------------------------------------------------------------------


def test_the_grid_places_cards_by_influence_and_support_and_lists_who_to_win(
    client_for, leader, initiative
):
    StakeholderFactory(
        initiative=initiative,
        name="CFO",
        influence=3,
        support=1,
        target_support=4,
        planned_move="Business case",
    )
    StakeholderFactory(
        initiative=initiative, name="Agents", influence=1, support=5, target_support=5
    )
    page = client_for(leader).get(u("stakeholders", initiative))
    html = page.content.decode()
    cell = html.index('data-testid="grid-cell-3-1"')
    assert html.index('data-name="CFO"') > cell
    assert html.index('data-name="CFO"') < html.index('data-testid="grid-cell-3-2"')
    assert html.index('data-name="Agents"') > html.index('data-testid="grid-cell-1-5"')
    to_win = html[html.index('data-testid="still-to-win"') :]
    assert "CFO" in to_win and "Business case" in to_win and "Agents" not in to_win
    assert 'draggable="true"' in html and "js/mobilizing.js" in html


def test_readers_see_the_grid_without_move_controls(client_for, member, initiative):
    StakeholderFactory(initiative=initiative, name="CFO")
    html = client_for(member).get(u("stakeholders", initiative)).content.decode()
    assert 'data-name="CFO"' in html
    assert 'draggable="true"' not in html and "data-move-form" not in html


def test_adding_a_stakeholder_shows_field_errors(client_for, leader, initiative):
    StakeholderFactory(initiative=initiative, name="CFO")
    page = client_for(leader).post(
        u("stakeholder-add", initiative),
        {"name": "cfo", "kind": "person", "influence": 9, "support": 3, "target_support": 4},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "This initiative already has a stakeholder of that name." in text
    assert "Select a valid choice. 9 is not one of the available choices." in text


def test_a_drop_moves_the_card_and_returns_the_new_lock_version(client_for, leader, initiative):
    s = StakeholderFactory(initiative=initiative, influence=1, support=2, target_support=4)
    response = client_for(leader).post(
        u("stakeholder-move", initiative, s.pk),
        {"influence": 3, "support": 5, "lock_version": 1},
        **JSON,
    )
    assert response.status_code == 200
    assert response.json() == {
        "message": f"{s.name}: high influence, champion.",
        "influence": 3,
        "support": 5,
        "lock_version": 2,
        "to_win": False,
    }
    s.refresh_from_db()
    assert (s.influence, s.support, s.lock_version) == (3, 5, 2)
    assert s.history.count() == 2  # the move is in the history


def test_a_conflicting_concurrent_move_is_refused_clearly(client_for, leader, initiative):
    s = StakeholderFactory(initiative=initiative, influence=1, support=2)
    client = client_for(leader)
    client.post(
        u("stakeholder-move", initiative, s.pk),
        {"influence": 2, "support": 4, "lock_version": 1},
        **JSON,
    )
    stale = client.post(
        u("stakeholder-move", initiative, s.pk),
        {"influence": 3, "support": 1, "lock_version": 1},
        **JSON,
    )
    assert stale.status_code == 409
    body = stale.json()
    assert body["error"].startswith(f"Not moved: someone else changed {s.name} meanwhile.")
    assert (body["influence"], body["support"], body["lock_version"]) == (2, 4, 2)
    s.refresh_from_db()
    assert (s.influence, s.support) == (2, 4)


def test_the_no_js_card_form_moves_and_reports_conflicts(client_for, leader, initiative):
    s = StakeholderFactory(initiative=initiative, influence=1, support=2)
    client = client_for(leader)
    ok = client.post(
        u("stakeholder-move", initiative, s.pk),
        {"influence": 2, "support": 3, "lock_version": 1},
        follow=True,
    )
    assert f"{s.name}: medium influence, neutral." in ok.content.decode()
    stale = client.post(
        u("stakeholder-move", initiative, s.pk),
        {"influence": 3, "support": 5, "lock_version": 1},
        follow=True,
    )
    assert "someone else changed" in stale.content.decode()
    bad = client.post(
        u("stakeholder-move", initiative, s.pk),
        {"influence": 7, "support": 3, "lock_version": 2},
        **JSON,
    )
    assert bad.status_code == 400 and "influence" in bad.json()["errors"]


def test_editing_a_stakeholder_with_a_stale_version_shows_the_conflict(
    client_for, leader, initiative
):
    s = StakeholderFactory(initiative=initiative, name="CFO")
    data = {
        "name": "CFO",
        "kind": "person",
        "influence": 3,
        "support": 2,
        "target_support": 4,
        "lock_version": 1,
    }
    client = client_for(leader)
    assert client.post(u("stakeholder-edit", initiative, s.pk), data).status_code == 302
    page = client.post(u("stakeholder-edit", initiative, s.pk), data | {"support": 5})
    assert page.status_code == 200
    assert "Someone else saved this while you were editing." in page.content.decode()
    s.refresh_from_db()
    assert s.support == 2


# --- Engagement ---------------------------------------------------------------------------


def test_team_members_log_activities(client_for, member, initiative):
    response = client_for(member).post(
        u("activities", initiative),
        {
            "kind": "town_hall",
            "title": "Why we change",
            "audience": "All staff",
            "date": "2025-03-10",
            "reach": 230,
            "owner": member.pk,
        },
    )
    assert response.status_code == 302
    activity = EngagementActivity.objects.get()
    assert activity.created_by == member and activity.owner == member and activity.reach == 230


def test_activity_errors_are_shown_next_to_the_fields(client_for, member, initiative):
    page = client_for(member).post(
        u("activities", initiative), {"kind": "party", "title": "", "date": "soon"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "Select a valid choice. party is not one of the available choices." in text
    assert "Enter a valid date." in text
    assert EngagementActivity.objects.count() == 0


def test_activities_filter_by_kind_and_search(client_for, member, initiative):
    ActivityFactory(initiative=initiative, kind="training", title="Dashboard training")
    ActivityFactory(initiative=initiative, kind="workshop", title="Root causes")
    page = client_for(member).get(u("activities", initiative), {"kind": "training"})
    assert b"Dashboard training" in page.content and b"Root causes" not in page.content
    page = client_for(member).get(u("activities", initiative), {"q": "root"})
    assert b"Root causes" in page.content and b"Dashboard training" not in page.content


# --- Pulse survey set-up ------------------------------------------------------------------


def test_a_new_survey_starts_from_the_default_or_the_previous_questions(
    client_for, leader, initiative
):
    client = client_for(leader)
    client.post(
        u("pulse-create", initiative),
        {
            "title": "Pulse 1",
            "opens": "2025-01-01",
            "invited_elsewhere": 0,
            "start_from": "default",
        },
    )
    first = PulseSurvey.objects.get(title="Pulse 1")
    assert first.questions.count() == 8 and first.status == "draft"
    first.questions.filter(kind="adkar-ability").delete()
    client.post(
        u("pulse-create", initiative),
        {
            "title": "Pulse 2",
            "opens": "2025-03-01",
            "invited_elsewhere": 0,
            "start_from": "previous",
        },
    )
    assert PulseSurvey.objects.get(title="Pulse 2").questions.count() == 7


def test_survey_dates_are_checked(client_for, leader, initiative):
    page = client_for(leader).post(
        u("pulse-create", initiative),
        {
            "title": "P",
            "opens": "2025-05-01",
            "closes": "2025-04-01",
            "invited_elsewhere": 0,
            "start_from": "default",
        },
    )
    assert "The survey cannot close before it opens." in page.content.decode()


def test_questions_are_fixed_once_the_survey_opens(client_for, leader, initiative):
    survey = PulseSurveyFactory(initiative=initiative, status="draft")
    client = client_for(leader)
    empty = client.post(u("pulse-status", initiative, survey.pk), {"status": "open"}, follow=True)
    assert "Add at least one question before opening the survey." in empty.content.decode()
    q = PulseQuestionFactory(survey=survey, text="Trust?")
    client.post(u("pulse-status", initiative, survey.pk), {"status": "open"})
    survey.refresh_from_db()
    assert survey.status == "open"
    page = client.post(
        u("pulse-question-edit", initiative, survey.pk, q.pk),
        {"text": "Changed", "kind": "trust", "order": 1},
        follow=True,
    )
    assert "Questions can only change while the survey is a draft" in page.content.decode()
    q.refresh_from_db()
    assert q.text == "Trust?"


def test_invitations_are_created_per_department(client_for, leader, initiative):
    survey = PulseSurveyFactory(initiative=initiative, status="open")
    sales = DepartmentFactory(name="Sales")
    client = client_for(leader)
    client.post(u("pulse-invitations", initiative, survey.pk), {"count": 3, "department": sales.pk})
    assert PulseInvitation.objects.filter(survey=survey, department=sales).count() == 3
    page = client.post(u("pulse-invitations", initiative, survey.pk), {"count": 0})
    assert "Ensure this value is greater than or equal to 1." in page.content.decode()
    tokens = set(PulseInvitation.objects.values_list("token", flat=True))
    assert len(tokens) == 3 and all(len(t) >= 32 for t in tokens)


def test_the_trends_page_flags_falling_trust_and_has_a_table(client_for, member, initiative):
    from tests.mobilizing.test_pulse import _recurring

    _recurring(initiative, [[5, 4, 5], [3, 3, 2]])
    page = client_for(member).get(u("pulse-trends", initiative))
    text = page.content.decode()
    assert 'data-testid="trust-falling"' in text
    assert 'id="trend-data"' in text and 'data-testid="trend-table"' in text
    assert "(n 3 · 75%)" in text  # every figure with its n and response rate


# --- Waves --------------------------------------------------------------------------------


def test_wave_form_errors(client_for, leader, initiative):
    WaveFactory(initiative=initiative, order=1)
    page = client_for(leader).post(
        u("wave-add", initiative),
        {
            "name": "Wave 2",
            "order": 1,
            "status": "done",
            "planned_start": "2025-05-01",
            "planned_end": "2025-04-01",
            "actual_end": "2025-04-02",
            "target_adoption": 120,
        },
    )
    text = page.content.decode()
    assert "Another wave has this position already." in text
    assert "The planned end cannot be before the planned start." in text
    assert "A wave that ended must have started: give its start." in text
    assert "A target adoption is a percentage from 1 to 100." in text
    assert RolloutWave.objects.count() == 1


def test_a_stalling_wave_says_why_on_the_page(client_for, member, initiative):
    today = timezone.localdate()
    wave = WaveFactory(
        initiative=initiative, order=1, status="running", planned_end=today - dt.timedelta(days=3)
    )
    page = client_for(member).get(u("waves", initiative))
    text = page.content.decode()
    assert 'data-testid="stalling-badge"' in text
    assert "Overdue: planned to end on" in text and "3 days ago" in text
    assert wave.name in client_for(member).get(u("overview", initiative)).content.decode()


def test_a_second_reading_on_the_same_day_replaces_the_first(client_for, member, initiative):
    unit = WaveUnitFactory(wave=WaveFactory(initiative=initiative, order=1))
    ReadingFactory(unit=unit, date=dt.date(2025, 3, 1), adoption_pct=40)
    client = client_for(member)
    page = client.post(
        u("reading-add", initiative),
        {"unit": unit.pk, "date": "2025-03-01", "adoption_pct": "45"},
        follow=True,
    )
    assert "replaces that day" in page.content.decode()
    assert list(AdoptionReading.objects.values_list("adoption_pct", flat=True)) == [45]
    bad = client.post(
        u("reading-add", initiative),
        {"unit": unit.pk, "date": "2025-03-02", "adoption_pct": "130"},
        follow=True,
    )
    assert "Adoption is a percentage from 0 to 100." in bad.content.decode()


def test_units_of_another_initiative_cannot_be_measured_here(client_for, member, initiative):
    foreign = WaveUnitFactory()
    page = client_for(member).post(
        u("reading-add", initiative),
        {"unit": foreign.pk, "date": "2025-03-02", "adoption_pct": "30"},
        follow=True,
    )
    assert "Select a valid choice." in page.content.decode()
    assert AdoptionReading.objects.count() == 0


def test_child_objects_of_another_initiative_are_404(client_for, leader, initiative):
    other = StakeholderFactory()
    response = client_for(leader).post(
        u("stakeholder-move", initiative, other.pk),
        {"influence": 1, "support": 1, "lock_version": 1},
    )
    assert response.status_code == 404
    assert Stakeholder.objects.get(pk=other.pk).influence == 2
