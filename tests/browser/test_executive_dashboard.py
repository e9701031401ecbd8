"""The executive's journey in real Chromium: the portfolio dashboard, a relapse flag to its
control chart, the CSV, the board report as a PDF, an initiative cockpit; desktop and phone."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from initiatives import demo
from initiatives.models import Initiative
from tests.browser.conftest import ARTIFACTS, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "holdfast-exec"  # the demo's executive (initiatives/demo.py)


@pytest.fixture
def story(transactional_db):
    """The demo organisation, with every process's part of the story."""
    return demo.seed()


def _charts_with_data(page) -> dict:
    """{chart key: number of data points} for every canvas Chart.js has drawn."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('canvas[data-chart]')]
            .map(c => [c.dataset.chart, (() => { const ch = Chart.getChart(c);
              return ch ? ch.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0; })()]))"""
    )


def _no_sideways_scroll(page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_executive_reads_the_portfolio_and_drills_down(open_session, story):
    exec_ = open_session()
    exec_.login("exec", PASSWORD)
    page = exec_.page

    # Executives land on the dashboard.
    expect(page).to_have_url(re.compile(r"/initiatives/dashboard/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The portfolio at a glance")
    charts = _charts_with_data(page)
    assert set(charts) == {"funnel", "finance", "nps", "ipa"}
    assert all(n > 0 for n in charts.values()), charts
    expect(page.get_by_role("heading", name="Stuck the longest")).to_be_visible()
    exec_.shot("10-exec-dashboard")

    # Health is explained: the badge's title on hover, the reasons when opened.
    red = page.locator(".health-table .badge.bad").first
    assert red.get_attribute("title")
    red.click()
    expect(page.locator("details.why[open] li").first).to_be_visible()
    exec_.shot("11-exec-health-why")

    # Each chart has a table view.
    funnel_table = page.locator("details.chart-table").first
    expect(funnel_table.locator("table")).to_be_hidden()  # folded once the chart is drawn
    funnel_table.locator("summary").click()
    expect(funnel_table.get_by_role("link", name="Mobilizing")).to_be_visible()

    # The health CSV downloads, with every initiative and the reasons.
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download CSV \\(every initiative")).click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0][:2] == ["initiative id", "initiative"]
    assert len(rows) == 1 + Initiative.objects.count()

    # Filters live in the URL: a shared link shows the same view.
    page.get_by_label("Stage", exact=True).select_option(label="Realigning")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"stage=realigning"))
    expect(page.locator(".health-table tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Clear").click()

    # A relapse flag leads to its control chart.
    flag = page.locator("a.flag-link").first
    metric = flag.inner_text()
    flag.click()
    expect(page).to_have_url(re.compile(r"/realigning/metrics/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(metric)
    expect(page.locator("#control-chart")).to_be_visible()
    exec_.shot("12-exec-control-chart")

    # The cockpit of the initiative whose rollout stalls.
    page.goto("/initiatives/dashboard/")
    page.get_by_role("link", name="Keep premium customers before they go quiet").first.click()
    expect(page).to_have_url(re.compile(r"/initiatives/\d+/cockpit/$"))
    expect(page.get_by_text("is stalling").first).to_be_visible()
    sparkline = page.locator("svg.spark polyline.series").first
    expect(sparkline).to_be_visible()
    assert int(sparkline.get_attribute("data-points")) > 10
    exec_.shot("13-exec-cockpit")

    # The board report, printed to PDF by the browser.
    page.goto("/initiatives/dashboard/")
    page.get_by_role("link", name="Board report (PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("The customer-centric portfolio")
    assert page.locator("svg.svg-chart").count() >= 4
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    exec_.shot("14-exec-report-print")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "board-report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 2

    assert exec_.errors == []


def test_the_dashboard_and_the_cockpit_fit_a_phone(open_session, story):
    phone = open_session(PHONE)
    phone.login("exec", PASSWORD)
    page = phone.page
    expect(page).to_have_url(re.compile(r"/initiatives/dashboard/$"))
    charts = _charts_with_data(page)
    assert charts and all(n > 0 for n in charts.values()), charts
    assert _no_sideways_scroll(page) <= 1
    phone.shot("15-phone-dashboard")
    initiative = story.initiatives["billing"]
    for path in (f"/initiatives/{initiative.pk}/cockpit/", "/initiatives/dashboard/report/"):
        page.goto(path)
        assert _no_sideways_scroll(page) <= 1, path
    page.goto(f"/initiatives/{initiative.pk}/cockpit/")
    expect(page.locator("svg.spark polyline.series").first).to_be_visible()
    phone.shot("16-phone-cockpit")
    assert phone.errors == []


def test_a_team_member_sees_only_their_part_of_the_portfolio(open_session, story):
    from initiatives.models import Membership

    Membership.objects.filter(user__username="member").exclude(
        initiative=story.initiatives["fcr"]
    ).delete()
    member = open_session()
    member.login("member", "holdfast-member")
    member.page.goto("/initiatives/dashboard/")
    rows = member.page.locator(".health-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Resolve it on the first contact")
    member.shot("17-member-dashboard")
    assert member.errors == []
