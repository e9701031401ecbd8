"""The REST API: auth, schema and docs, validation as 400s, versions and locking."""

import json

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from chartering import approval
from tests.factories import CharterFactory, DeliverableFactory, InitiativeFactory, RaciFactory


@pytest.fixture
def api(leader):
    client = APIClient()
    client.force_authenticate(leader)
    return client


def test_token_authentication(initiative, leader):
    token = Token.objects.create(user=leader)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/initiatives/")
    assert response.status_code == 200
    assert [i["title"] for i in response.json()["results"]] == [initiative.title]


def test_deactivated_user_loses_api_access_at_once(initiative, leader):
    token = Token.objects.create(user=leader)
    leader.is_active = False
    leader.save()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/initiatives/").status_code in (401, 403)


def test_openapi_schema_and_local_docs(client_for, leader):
    client = client_for(leader)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    spec = json.loads(schema.content)
    assert spec["openapi"].startswith("3.")
    assert "/api/initiatives/" in spec["paths"] and "/api/charters/{id}/approve/" in spec["paths"]
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs
    assert "cdn" not in docs.lower()


def test_schema_needs_a_login(client):
    assert client.get("/api/schema/").status_code == 403


def test_invalid_initiative_answers_400_with_field_messages(api, executive, leader):
    response = api.post(
        "/api/initiatives/",
        {
            "title": "",
            "sponsor": leader.pk,
            "leader": leader.pk,
            "start_date": "2026-05-01",
            "target_date": "2026-01-01",
            "investment": "-5",
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert errors["title"] == ["This field may not be blank."]
    assert "problem" in errors and "investment" in errors
    assert "sponsor" in errors  # a change leader is not an executive


def test_malformed_json_is_a_400_not_a_500(api):
    response = api.generic(
        "POST", "/api/initiatives/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400


def test_target_before_start_is_a_field_error(api, executive, leader):
    response = api.post(
        "/api/initiatives/",
        {
            "title": "T",
            "problem": "P",
            "sponsor": executive.pk,
            "leader": leader.pk,
            "start_date": "2026-05-01",
            "target_date": "2026-01-01",
        },
        format="json",
    )
    assert response.json() == {"target_date": ["The target date cannot be before the start date."]}


def test_stale_lock_version_is_refused(api, initiative):
    assert (
        api.patch(
            f"/api/initiatives/{initiative.pk}/", {"title": "A", "lock_version": 1}, format="json"
        ).status_code
        == 200
    )
    response = api.patch(
        f"/api/initiatives/{initiative.pk}/", {"title": "B", "lock_version": 1}, format="json"
    )
    assert response.status_code == 400 and "lock_version" in response.json()
    initiative.refresh_from_db()
    assert initiative.title == "A"


def test_filters_and_search(api, leader):
    InitiativeFactory(leader=leader, title="Quiet customers", stage="learning")
    InitiativeFactory(leader=leader, title="Loud customers")
    titles = [
        i["title"] for i in api.get("/api/initiatives/?stage=learning&q=quiet").json()["results"]
    ]
    assert titles == ["Quiet customers"]


def test_patching_an_approved_charter_makes_a_new_draft_version(api, initiative, executive):
    charter = approval.approve(CharterFactory(initiative=initiative), executive)
    response = api.patch(f"/api/charters/{charter.pk}/", {"resources": "More"}, format="json")
    assert response.status_code == 200
    assert (response.json()["version"], response.json()["status"]) == (2, "draft")


def test_approved_charter_children_are_read_only_through_the_api(api, initiative, executive):
    charter = approval.approve(CharterFactory(initiative=initiative), executive)
    response = api.post(
        "/api/scope-items/", {"charter": charter.pk, "kind": "in", "text": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "read-only" in json.dumps(response.json())


def test_second_accountable_through_the_api_is_a_400(api, initiative, member):
    from tests.factories import MembershipFactory

    other = MembershipFactory(initiative=initiative).user
    deliverable = DeliverableFactory(charter=CharterFactory(initiative=initiative))
    RaciFactory(deliverable=deliverable, user=member, role="A")
    response = api.post(
        "/api/raci/", {"deliverable": deliverable.pk, "user": other.pk, "role": "A"}, format="json"
    )
    assert response.status_code == 400, response.json()
    assert response.json()["role"] == [
        "A deliverable has exactly one accountable; it has one already."
    ]


def test_advance_reports_what_blocks_the_next_stage(api, initiative):
    response = api.post(f"/api/initiatives/{initiative.pk}/advance/")
    assert response.status_code == 400
    assert "Charter approved by the sponsor" in response.json()["blockers"]
