"""Initiative pages: create, edit (with optimistic locking), list, team, history."""

import pytest
from django.urls import reverse

from initiatives import roles
from initiatives.models import Initiative, Membership, Stage
from tests.factories import (
    DepartmentFactory,
    InitiativeFactory,
    MembershipFactory,
    SegmentFactory,
    UserFactory,
)


def _form(initiative=None, **overrides):
    data = {
        "title": "Bills customers understand",
        "problem": "Billing questions are the top reason to call.",
        "investment": "1000",
        "expected_benefit": "2500",
    }
    if initiative:
        data.update(
            title=initiative.title,
            problem=initiative.problem,
            sponsor=initiative.sponsor_id,
            leader=initiative.leader_id,
            lock_version=initiative.lock_version,
        )
    data.update(overrides)
    return data


def test_change_leader_creates_an_initiative_with_segments_and_departments(
    client_for, leader, executive
):
    segment, department = SegmentFactory(name="Households"), DepartmentFactory(name="IT")
    response = client_for(leader).post(
        reverse("initiatives:create"),
        _form(
            sponsor=executive.pk,
            leader=leader.pk,
            segments=[segment.pk],
            departments=[department.pk],
            start_date="2026-01-01",
            target_date="2026-12-31",
        ),
    )
    initiative = Initiative.objects.get(title="Bills customers understand")
    assert response.status_code == 302 and response["Location"] == initiative.get_absolute_url()
    assert initiative.stage == Stage.CHARTERING
    assert list(initiative.segments.all()) == [segment]
    assert list(initiative.departments.all()) == [department]
    assert str(initiative.expected_benefit) == "2500.00"


def test_create_form_shows_field_errors_and_saves_nothing(client_for, leader, executive):
    response = client_for(leader).post(
        reverse("initiatives:create"),
        _form(
            title="",
            sponsor=executive.pk,
            leader=leader.pk,
            start_date="2026-06-01",
            target_date="2026-01-01",
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["title"] == ["This field is required."]
    assert form.errors["target_date"] == ["The target date cannot be before the start date."]
    assert b"The target date cannot be before the start date." in response.content
    assert not Initiative.objects.exists()


def test_sponsor_must_be_an_executive(client_for, leader):
    response = client_for(leader).post(
        reverse("initiatives:create"), _form(sponsor=leader.pk, leader=leader.pk)
    )
    assert "sponsor" in response.context["form"].errors


def test_second_of_two_concurrent_edits_is_refused_and_keeps_the_typed_text(
    client_for, initiative, leader
):
    client = client_for(leader)
    stale = initiative.lock_version
    url = reverse("initiatives:edit", args=[initiative.pk])
    first = client.post(url, _form(initiative, title="First save", lock_version=stale))
    assert first.status_code == 302
    second = client.post(url, _form(initiative, title="Second save", lock_version=stale))
    assert second.status_code == 200
    assert b"Someone else saved this while you were editing" in second.content
    assert second.context["form"]["title"].value() == "Second save"  # nothing typed is lost
    assert second.context["form"].conflict_with.title == "First save"
    initiative.refresh_from_db()
    assert initiative.title == "First save"


def test_edits_are_recorded_in_the_history_with_who(client_for, initiative, leader):
    client = client_for(leader)
    client.post(
        reverse("initiatives:edit", args=[initiative.pk]),
        _form(initiative, title="Renamed"),
    )
    latest = initiative.history.first()
    assert latest.title == "Renamed" and latest.history_user == leader
    page = client.get(reverse("initiatives:history", args=[initiative.pk]))
    assert b"Renamed" in page.content and b"leader" in page.content


@pytest.mark.django_db
def test_portfolio_filters_by_stage_segment_department_leader_and_search(client_for):
    viewer = UserFactory(username="viewer", role=roles.EXECUTIVE)
    segment, department = SegmentFactory(), DepartmentFactory()
    leader = UserFactory(username="lead2", role=roles.CHANGE_LEADER)
    match = InitiativeFactory(title="Quiet customers", stage=Stage.LEARNING, leader=leader)
    match.segments.add(segment)
    match.departments.add(department)
    InitiativeFactory(title="Loud customers", stage=Stage.LEARNING)
    InitiativeFactory(title="Quiet billing", stage=Stage.CHARTERING)
    client = client_for(viewer)
    url = reverse("initiatives:list")

    def titles(**params):
        return [i.title for i in client.get(url, params).context["page"]]

    assert titles(stage="learning", q="quiet") == ["Quiet customers"]
    assert titles(segment_id=segment.pk) == ["Quiet customers"]
    assert titles(department_id=department.pk) == ["Quiet customers"]
    assert titles(leader_id=leader.pk) == ["Quiet customers"]
    assert len(titles()) == 3


@pytest.mark.django_db
def test_portfolio_is_paginated_and_its_queries_do_not_grow(client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    viewer = UserFactory(username="viewer", role=roles.EXECUTIVE)
    client = client_for(viewer)
    url = reverse("initiatives:list")
    counts = []
    for size in (3, 30):
        InitiativeFactory.create_batch(size - Initiative.objects.count())
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    # session, user, user's groups, count, the "may create" permission (user and group
    # permissions), the filter form's choice lists (segments, departments, leaders,
    # sponsors), the page of initiatives, their segments, and the session's save
    # (savepoint, update, release: sessions expire after inactivity).
    assert counts == [15, 15]
    assert response.context["page"].paginator.num_pages == 2
    assert len(response.context["page"]) == 25


def test_outsider_lists_only_their_own_initiatives(client_for, initiative, outsider):
    page = client_for(outsider).get(reverse("initiatives:list")).context["page"]
    assert [i.title for i in page] == ["Someone else's initiative"]


def test_member_sees_the_initiative_they_are_on(client_for, initiative, member):
    page = client_for(member).get(reverse("initiatives:list")).context["page"]
    assert [i.title for i in page] == [initiative.title]


def test_team_rejects_the_same_person_twice(client_for, initiative, leader, member):
    response = client_for(leader).post(
        reverse("initiatives:team", args=[initiative.pk]), {"user": member.pk, "role": "Analyst"}
    )
    assert response.context["form"].errors["user"] == ["This person is already on the team."]
    assert Membership.objects.filter(initiative=initiative).count() == 1


def test_team_from_one_department_shows_a_warning(client_for, initiative, leader):
    it = DepartmentFactory(name="IT")
    MembershipFactory(initiative=initiative, department=it)
    MembershipFactory(initiative=initiative, department=it)
    response = client_for(leader).get(reverse("initiatives:team", args=[initiative.pk]))
    assert b"The whole team comes from IT" in response.content
    MembershipFactory(initiative=initiative, department=DepartmentFactory(name="Sales"))
    response = client_for(leader).get(reverse("initiatives:team", args=[initiative.pk]))
    assert b"The whole team comes from" not in response.content


def test_initiative_page_shows_progress_through_all_four_processes(client_for, initiative, leader):
    response = client_for(leader).get(initiative.get_absolute_url())
    stages = [p.stage for p in response.context["progress"]]
    assert stages == ["chartering", "learning", "mobilizing", "realigning"]
    assert b"Charter approved by the sponsor" in response.content


def test_date_fields_keep_their_value_on_the_edit_page(client_for, initiative, leader):
    """<input type=date> reads only YYYY-MM-DD: a blank field would lose the date on save."""
    import datetime as dt

    initiative.start_date = dt.date(2026, 3, 9)
    initiative.save()
    response = client_for(leader).get(reverse("initiatives:edit", args=[initiative.pk]))
    assert b'type="date" name="start_date" value="2026-03-09"' in response.content
