"""Chartering: boundary setting, team design, the sponsor's approval and versions."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from chartering import approval
from chartering.models import Charter, CharterStatus, RaciAssignment
from initiatives import stages
from initiatives.models import Stage
from tests.factories import (
    CharterFactory,
    DeliverableFactory,
    MembershipFactory,
    RaciFactory,
    ScopeItemFactory,
)


def _charter_form(**overrides):
    data = {"problem_area": "Repeat contacts", "ground_rules": "Data beats opinion"}
    data.update(overrides)
    return data


def test_leader_writes_the_first_charter(client_for, initiative, leader):
    response = client_for(leader).post(
        reverse("chartering:edit", args=[initiative.pk]),
        _charter_form(priorities="Root causes\nPilot", reporting_line="Weekly to the sponsor"),
    )
    assert response.status_code == 302
    charter = approval.current_charter(initiative)
    assert charter.version == 1 and charter.status == CharterStatus.DRAFT
    assert charter.priority_list == ["Root causes", "Pilot"]


def test_charter_without_a_problem_area_shows_the_field_error(client_for, initiative, leader):
    response = client_for(leader).post(
        reverse("chartering:edit", args=[initiative.pk]), _charter_form(problem_area="")
    )
    assert response.context["form"].errors["problem_area"] == ["This field is required."]
    assert not Charter.objects.exists()


def test_more_than_three_priorities_warns(client_for, initiative, leader):
    CharterFactory(initiative=initiative, priorities="a\nb\nc\nd")
    response = client_for(leader).get(reverse("chartering:charter", args=[initiative.pk]))
    assert b"4 priorities: too many confuse the core team" in response.content


def test_sponsor_approval_records_who_and_when(client_for, initiative, executive):
    charter = CharterFactory(initiative=initiative)
    client_for(executive).post(reverse("chartering:approve", args=[initiative.pk]))
    charter.refresh_from_db()
    assert charter.status == CharterStatus.APPROVED
    assert charter.approved_by == executive and charter.approved_at is not None


def test_leader_cannot_approve_their_own_charter(client_for, initiative, leader):
    CharterFactory(initiative=initiative)
    response = client_for(leader).post(reverse("chartering:approve", args=[initiative.pk]))
    assert response.status_code == 403
    assert approval.current_charter(initiative).status == CharterStatus.DRAFT


def test_editing_an_approved_charter_makes_a_new_version_to_approve_again(
    client_for, initiative, leader, executive
):
    charter = CharterFactory(initiative=initiative, problem_area="Old text")
    ScopeItemFactory(charter=charter, kind="out", text="Pricing")
    approval.approve(charter, executive)
    client_for(leader).post(
        reverse("chartering:edit", args=[initiative.pk]),
        _charter_form(problem_area="New text", lock_version=charter.lock_version + 1),
    )
    current = approval.current_charter(initiative)
    assert (current.version, current.status, current.problem_area) == (2, "draft", "New text")
    assert [s.text for s in current.scope_items.all()] == ["Pricing"]  # carried over
    old = Charter.objects.get(initiative=initiative, version=1)
    assert old.status == CharterStatus.SUPERSEDED and old.problem_area == "Old text"
    assert old.approved_by == executive  # the approval of the text that was read stays
    page = client_for(leader).get(reverse("chartering:version", args=[initiative.pk, 1]))
    assert b"Old text" in page.content and b"earlier version" in page.content


def test_adding_scope_to_an_approved_charter_also_makes_a_new_version(
    client_for, initiative, leader, executive
):
    approval.approve(CharterFactory(initiative=initiative), executive)
    client_for(leader).post(
        reverse("chartering:scope-add", args=[initiative.pk]), {"kind": "in", "text": "Tools"}
    )
    current = approval.current_charter(initiative)
    assert current.version == 2 and current.status == CharterStatus.DRAFT


def test_the_database_allows_only_one_accountable_per_deliverable(initiative):
    deliverable = DeliverableFactory(charter=CharterFactory(initiative=initiative))
    RaciFactory(deliverable=deliverable, role="A")
    with pytest.raises(IntegrityError), transaction.atomic():
        RaciFactory(deliverable=deliverable, role="A")


def test_raci_form_refuses_a_second_accountable_with_a_clear_message(
    client_for, initiative, leader, member
):
    other = MembershipFactory(initiative=initiative).user
    deliverable = DeliverableFactory(charter=CharterFactory(initiative=initiative))
    RaciFactory(deliverable=deliverable, user=member, role="A")
    response = client_for(leader).post(
        reverse("chartering:raci-set", args=[initiative.pk]),
        {"deliverable": deliverable.pk, "user": other.pk, "role": "A"},
        follow=True,
    )
    assert b"is already accountable for" in response.content
    assert not RaciAssignment.objects.filter(user=other).exists()


def test_raci_grid_shows_a_deliverable_without_accountable(client_for, initiative, leader, member):
    DeliverableFactory(charter=CharterFactory(initiative=initiative), name="Pilot")
    response = client_for(leader).get(reverse("chartering:charter", args=[initiative.pk]))
    assert b"needs one accountable" in response.content


def _complete_charter(initiative, executive, member):
    charter = CharterFactory(initiative=initiative, ground_rules="Listen first")
    ScopeItemFactory(charter=charter, kind="in")
    ScopeItemFactory(charter=charter, kind="out")
    RaciFactory(deliverable=DeliverableFactory(charter=charter), user=member, role="A")
    return approval.approve(charter, executive)


def test_stage_stays_in_chartering_until_its_checklist_is_complete(initiative, executive, member):
    CharterFactory(initiative=initiative)
    with pytest.raises(stages.StageBlocked) as blocked:
        stages.advance(initiative)
    assert "Charter approved by the sponsor" in blocked.value.missing
    assert "Scope in and out stated" in blocked.value.missing


def test_complete_charter_lets_the_leader_move_to_learning(
    client_for, initiative, leader, executive, member
):
    _complete_charter(initiative, executive, member)
    assert stages.blockers(initiative) == []
    client_for(leader).post(reverse("initiatives:advance", args=[initiative.pk]))
    initiative.refresh_from_db()
    assert initiative.stage == Stage.LEARNING


def test_checklist_answers_many_initiatives_in_a_fixed_number_of_queries(
    initiative, executive, member, django_assert_num_queries
):
    from chartering.checklist import charter_checklist
    from tests.factories import InitiativeFactory

    _complete_charter(initiative, executive, member)
    others = InitiativeFactory.create_batch(5)
    with django_assert_num_queries(2):  # current charters with counts; team sizes
        result = charter_checklist([initiative, *others])
    assert all(item.done for item in result[initiative.pk])
    assert not any(item.done for item in result[others[0].pk])
