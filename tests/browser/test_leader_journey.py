"""The change leader's journey in real Chromium: initiative, charter, team, RACI, approval."""

import re

import pytest
from playwright.sync_api import expect

from chartering.models import Charter, RaciAssignment
from initiatives import roles
from initiatives.models import Initiative
from tests.factories import DepartmentFactory, SegmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-tests"


@pytest.fixture
def cast(transactional_db):
    SegmentFactory(name="Small business")
    DepartmentFactory(name="Customer Service")
    DepartmentFactory(name="IT")
    return {
        "leader": UserFactory(
            username="lena", first_name="Lena", last_name="Leader", role=roles.CHANGE_LEADER
        ),
        "sponsor": UserFactory(
            username="erin", first_name="Erin", last_name="Exec", role=roles.EXECUTIVE
        ),
        "ann": UserFactory(
            username="ann", first_name="Ann", last_name="Analyst", role=roles.TEAM_MEMBER
        ),
        "bo": UserFactory(
            username="bo", first_name="Bo", last_name="Frontline", role=roles.TEAM_MEMBER
        ),
    }


def _add_member(page, name, role, department):
    page.get_by_label("User").select_option(label=name)
    page.get_by_label("Role").fill(role)
    page.get_by_label("Department").select_option(label=department)
    page.get_by_role("button", name="Add to team").click()
    expect(page.get_by_role("cell", name=name)).to_be_visible()


def test_leader_charters_an_initiative_and_the_sponsor_approves(open_session, cast):
    leader = open_session()
    leader.login("lena", PASSWORD)
    page = leader.page

    # Create the initiative.
    page.get_by_role("link", name="New initiative").click()
    page.get_by_label("Title").fill("A first month small businesses love")
    page.get_by_label("Problem").fill("A third of new small-business customers leave in 90 days.")
    page.get_by_label("Sponsor").select_option(label="Erin Exec")
    page.get_by_label("Small business").check()
    page.get_by_label("Customer Service").check()
    leader.shot("01-leader-new-initiative")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("A first month")
    initiative = Initiative.objects.get()

    # Write the charter.
    page.get_by_role("link", name="Chartering").click()
    page.get_by_role("link", name="Write the charter").click()
    page.get_by_label("Problem area").fill("Confusing setup in the first week")
    page.get_by_label("Priorities").fill("Simplify setup\nCall every new customer")
    page.get_by_label("Ground rules").fill("Data beats opinion\nEveryone speaks before we decide")
    page.get_by_role("button", name="Save charter").click()
    expect(page.get_by_text("Charter saved.")).to_be_visible()
    for kind, text in (("In scope", "Setup journey"), ("Out of scope", "Pricing")):
        page.get_by_label("Scope", exact=True).select_option(label=kind)
        page.get_by_label("Item").fill(text)
        page.get_by_role("button", name="Add to scope").click()
        expect(page.get_by_role("listitem").filter(has_text=text)).to_be_visible()

    # Two team members, from two departments.
    page.get_by_role("link", name="Manage team").click()
    _add_member(page, "Ann Analyst", "Analyst", "IT")
    _add_member(page, "Bo Frontline", "Frontline lead", "Customer Service")
    leader.shot("02-leader-team")

    # A deliverable and its RACI: the selects submit themselves (progressive enhancement).
    page.goto(f"/initiatives/{initiative.pk}/charter/")
    page.get_by_label("New deliverable").fill("Pilot the new setup call")
    page.get_by_role("button", name="Add deliverable").click()
    expect(page.get_by_text("needs one accountable")).to_be_visible()
    page.get_by_label("ann for Pilot the new setup call").select_option("A")
    page.wait_for_load_state()
    page.get_by_label("bo for Pilot the new setup call").select_option("R")
    page.wait_for_load_state()
    expect(page.get_by_text("needs one accountable")).to_have_count(0)
    leader.shot("03-leader-charter")
    assert set(RaciAssignment.objects.values_list("user__username", "role")) == {
        ("ann", "A"),
        ("bo", "R"),
    }

    # The sponsor approves.
    sponsor = open_session()
    sponsor.login("erin", PASSWORD)
    sponsor.page.goto(f"/initiatives/{initiative.pk}/charter/")
    sponsor.page.get_by_role("button", name=re.compile("Approve version 1")).click()
    expect(sponsor.page.get_by_text("Charter version 1 approved.")).to_be_visible()
    sponsor.shot("04-sponsor-approved")
    charter = Charter.objects.get()
    assert charter.status == "approved" and charter.approved_by.username == "erin"

    # Back to the leader: the chartering checklist is complete, the stage moves on.
    page.goto(f"/initiatives/{initiative.pk}/")
    page.get_by_role("button", name="Move to the next stage").click()
    expect(page.get_by_text("The initiative moved to Learning.")).to_be_visible()
    leader.shot("05-leader-moved-to-learning")
    assert leader.errors == [] and sponsor.errors == []


def test_initiative_pages_fit_a_phone(open_session, cast):
    initiative = Initiative.objects.create(
        title="Phone check", problem="p", sponsor=cast["sponsor"], leader=cast["leader"]
    )
    phone = open_session({"width": 375, "height": 740})
    phone.login("lena", PASSWORD)
    for path in (
        "/initiatives/",
        f"/initiatives/{initiative.pk}/",
        f"/initiatives/{initiative.pk}/charter/",
    ):
        phone.page.goto(path)
        overflow = phone.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px on a phone"
    phone.shot("06-phone-initiative")
    assert phone.errors == []
