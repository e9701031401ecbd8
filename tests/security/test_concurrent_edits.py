"""Two people edit the same charter or KPI at once (issue 7): the second save is refused
with a clear message and what the first saved (to merge by hand), never a silent lost
update. Through the pages (VersionedModelForm) and the API (lock_version)."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from chartering import approval
from chartering.models import Charter
from initiatives import roles
from initiatives.locking import CONFLICT_MESSAGE
from learning.models import Metric
from tests.factories import CharterFactory, UserFactory
from tests.learning.factories import MetricFactory


@pytest.fixture
def admin(db):
    """The second person: another one who may manage the initiative."""
    return UserFactory(username="second", role=roles.CHANGE_LEADER, is_superuser=True)


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- the charter ------------------------------------------------------------------------


@pytest.mark.parametrize("approved", [False, True], ids=["draft", "approved"])
def test_charter_page_second_save_is_refused_and_shows_the_first(
    initiative, leader, executive, admin, approved
):
    charter = CharterFactory(initiative=initiative, problem_area="Old text")
    if approved:
        charter = approval.approve(charter, executive)
    url = reverse("chartering:edit", args=[initiative.pk])
    read = charter.lock_version  # both opened the form and read this version
    first = _as(leader).post(url, {"problem_area": "Leader's text", "lock_version": read})
    assert first.status_code == 302
    second = _as(admin).post(url, {"problem_area": "Second text", "lock_version": read})
    assert second.status_code == 200
    html = second.content.decode()
    assert CONFLICT_MESSAGE.split(";")[0].replace("'", "&#x27;") in html
    assert "Leader&#x27;s text" in html  # what the first saved, to merge with
    assert "Second text" in html  # what the second typed is kept in the form
    assert approval.current_charter(initiative).problem_area == "Leader's text"
    # Saving again after seeing the other version is a deliberate overwrite.
    current = approval.current_charter(initiative)
    again = _as(admin).post(url, {"problem_area": "Merged", "lock_version": current.lock_version})
    assert again.status_code == 302
    assert approval.current_charter(initiative).problem_area == "Merged"


@pytest.mark.parametrize("approved", [False, True], ids=["draft", "approved"])
def test_charter_api_second_save_is_a_400_with_a_message(
    initiative, leader, executive, admin, approved
):
    charter = CharterFactory(initiative=initiative, problem_area="Old text")
    if approved:
        charter = approval.approve(charter, executive)
    url = f"/api/charters/{charter.pk}/"
    read = _api(leader).get(url).json()["lock_version"]
    first = _api(leader).patch(url, {"problem_area": "A", "lock_version": read}, format="json")
    assert first.status_code == 200, first.json()
    second = _api(admin).patch(url, {"problem_area": "B", "lock_version": read}, format="json")
    assert second.status_code == 400
    message = str(second.json())
    if approved:  # the first save made version 2; the one the second person read is history
        assert "Earlier versions are read-only; edit the current one." in message
    else:
        assert "Someone else saved this charter meanwhile" in message
    assert approval.current_charter(initiative).problem_area == "A"
    assert Charter.objects.filter(initiative=initiative, problem_area="B").count() == 0


# --- the KPI ----------------------------------------------------------------------------


def _kpi_form(metric, **overrides):
    data = {
        "name": metric.name,
        "direction": metric.direction,
        "cadence": metric.cadence,
        "target": "",
        "lock_version": metric.lock_version,
    }
    data.update(overrides)
    return data


def test_kpi_page_second_save_is_refused_and_shows_the_first(initiative, leader, admin):
    metric = MetricFactory(initiative=initiative, name="First-contact resolution")
    url = reverse("learning:metric-edit", args=[initiative.pk, metric.pk])
    first = _as(leader).post(url, _kpi_form(metric, target="80"))
    assert first.status_code == 302
    second = _as(admin).post(url, _kpi_form(metric, target="95"))
    assert second.status_code == 200
    html = second.content.decode()
    assert "Someone else saved this" in html
    assert "target 80" in html  # the first person's value, to merge with
    assert 'value="95"' in html  # the second person's value, kept in the form
    assert Metric.objects.get(pk=metric.pk).target == 80


def test_kpi_api_second_save_is_a_400_with_a_message(initiative, leader, admin):
    metric = MetricFactory(initiative=initiative)
    url = f"/api/metrics/{metric.pk}/"
    read = _api(leader).get(url).json()["lock_version"]
    first = _api(leader).patch(url, {"target": 80, "lock_version": read}, format="json")
    assert first.status_code == 200
    second = _api(admin).patch(url, {"target": 95, "lock_version": read}, format="json")
    assert second.status_code == 400
    assert "Someone else saved this KPI meanwhile" in str(second.json()["lock_version"])
    assert Metric.objects.get(pk=metric.pk).target == 80
    # Without a lock_version the API still works (the version on the server is used).
    assert _api(admin).patch(url, {"target": 90}, format="json").status_code == 200
