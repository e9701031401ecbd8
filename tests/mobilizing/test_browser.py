"""In real Chromium: drag a stakeholder card on the grid, and answer a pulse link anonymously.

These check the selectors the browser journey uses (see the mobilizing report):
grid cells `[data-testid="grid-cell-<influence>-<support>"]`, cards `#stakeholder-<id>`
(`[data-testid="stakeholder-card"]`), the status line `#grid-status`, and on the answer
page `[data-testid="pulse-question"]`, `#pulse-submit`, `[data-testid="pulse-thanks"]`.
"""

import datetime as dt
import os
from pathlib import Path

import pytest

from mobilizing.models import PulseResponse, Stakeholder
from tests.mobilizing.factories import (
    PulseInvitationFactory,
    PulseQuestionFactory,
    PulseSurveyFactory,
    StakeholderFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/ensure-chromium")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def login(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("pw-for-tests")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()


def test_drag_a_card_and_a_concurrent_edit_is_refused(page, leader, initiative):
    from playwright.sync_api import expect

    cfo = StakeholderFactory(initiative=initiative, name="CFO", influence=3, support=2)
    login(page, "leader")
    page.goto(f"/initiatives/{initiative.pk}/mobilizing/stakeholders/")
    card = page.locator(f"#stakeholder-{cfo.pk}")
    card.locator(".sh-name").drag_to(page.locator('[data-testid="grid-cell-3-4"]'))
    expect(page.locator("#grid-status")).to_contain_text("CFO: high influence, supporter.")
    expect(page.locator('[data-testid="grid-cell-3-4"] [data-name="CFO"]')).to_be_visible()
    cfo.refresh_from_db()
    assert (cfo.support, cfo.lock_version) == (4, 2)

    # Someone else moves the card meanwhile; this page still holds version 2.
    Stakeholder.objects.filter(pk=cfo.pk).update(support=1, lock_version=3)
    card.locator(".sh-name").drag_to(page.locator('[data-testid="grid-cell-3-5"]'))
    expect(page.locator('#grid-status[data-state="error"]')).to_contain_text(
        "someone else changed CFO meanwhile"
    )
    expect(page.locator('[data-testid="grid-cell-3-1"] [data-name="CFO"]')).to_be_visible()

    # The per-card form (keyboard, or no drag): now with the current version.
    page.get_by_label("Support of CFO").select_option(label="Champion")
    card.get_by_role("button", name="Move").click()
    expect(page.locator('[data-testid="grid-cell-3-5"] [data-name="CFO"]')).to_be_visible()
    cfo.refresh_from_db()
    assert cfo.support == 5
    assert page.errors == []


def test_an_anonymous_respondent_answers_through_the_link(page, initiative):
    from playwright.sync_api import expect

    survey = PulseSurveyFactory(initiative=initiative, status="open", opens=dt.date(2020, 1, 1))
    PulseQuestionFactory(survey=survey, text="I trust leadership", order=1)
    PulseQuestionFactory(survey=survey, text="I am ready", order=2)
    invitation = PulseInvitationFactory(survey=survey)
    page.goto(f"/pulse/{invitation.token}/")
    questions = page.locator('[data-testid="pulse-question"]')
    expect(questions).to_have_count(2)
    for i in range(2):
        questions.nth(i).locator('input[type=radio][value="4"]').check()
    page.locator("#pulse-submit").click()
    expect(page.locator('[data-testid="pulse-thanks"]')).to_be_visible()
    assert PulseResponse.objects.count() == 1
    page.goto(f"/pulse/{invitation.token}/")
    expect(page.locator('[data-testid="public-message"]')).to_contain_text("Already answered")
    assert page.errors == []
