"""The number of queries per page is the same at 10 and at 1,000 initiatives (cold cache),
and a warm dashboard costs only the session's queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.dashboard.builders import build_ipa, build_portfolio

DASHBOARD = reverse("initiatives:dashboard")
REPORT = reverse("initiatives:report")

# The dashboard with a cold cache, for an executive:
#   1-3   session, user, the user's groups (is this an executive?)
#   4-6   the filters' options: segments, departments, sponsors of visible initiatives
#   7     the initiatives in view (id, title, stage, days in stage, sponsor)
#   8     the funnel: count, longest and stuck per stage (GROUP BY stage)
#   health (registry.health_for):
#   9-10  chartering: stages, current charters
#   11-13 mobilizing: waves that can stall, their units, their readings (values(), then
#         mobilizing.stalling.assess); none of it when no wave can stall
#   14-15 mobilizing: who ran two pulse surveys, trust per survey (pulse.trust_trend)
#   16-17 realigning: active flags per initiative, overdue actions per initiative
#   panels (registry.portfolio_panels):
#   18-19 learning: NPS per segment and month, the newest why texts
#   20-24 mobilizing: the newest IPA survey, its statements, mean scores, responses, invited
#   25-26 realigning: active flags by severity, the newest 20 with KPI and initiative
#   27-28 realigning: money per initiative, money per month (payback)
#   29-30 realigning: finance.returns_for of the 10 largest (active flags, entries)
#   31-33 the session saved (SESSION_SAVE_EVERY_REQUEST): savepoint, update, release
DASHBOARD_COLD = 33
# Warm: the session's 3 reads and 3 writes; the page's body comes from the cache as HTML.
DASHBOARD_WARM = 6
# The cockpit with a cold cache, for an initiative with data in every process:
#   1-4   session, user, the initiative with leader and sponsor, the user's groups
#   5-14  the four-process progress (registry.progress_for): chartering 2, learning 2,
#         mobilizing 3, realigning 3 checklist queries
#   15-23 health (registry.health_for), as on the dashboard: charter 2, waves 3,
#         surveys and trust 2, realigning 2
#   24-25 chartering: the current charter, its scope items
#   26-28 learning: KPIs, their weekly means over a year, experiments
#   29-34 mobilizing: waves, units, readings, stakeholders still to win, closed pulse surveys,
#         trust
#   35-38 realigning: actions, flags with their KPI, finance.returns_for (active flags, entries)
#   39    the initiative's recent history
#   40-42 the session saved (savepoint, update, release)
COCKPIT_COLD = 42


def _count(client, url, cold=None) -> int:
    if cold:
        cold()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture
def sizes(executive, leader):
    today = timezone.localdate()
    build_ipa()

    def grow_to(n, have=[0]):  # noqa: B006 - the running total between calls
        build_portfolio(n - have[0], sponsor=executive, leader=leader, today=today, start=have[0])
        have[0] = n

    return grow_to


def test_dashboard_queries_do_not_grow_with_the_portfolio(client_for, executive, sizes, cold):
    client = client_for(executive)
    counts = {}
    for n in (10, 1000):
        sizes(n)
        counts[n] = {
            "dashboard": _count(client, DASHBOARD, cold),
            "filtered": _count(client, DASHBOARD + "?stage=learning&segment_id=1", cold),
            "report": _count(client, REPORT, cold),
            "csv": _count(client, reverse("initiatives:dashboard-csv", args=["health"]), cold),
            "warm": _count(client, DASHBOARD),
        }
        cold()
        assert client.get(DASHBOARD).context["p"].count == n
    assert counts[10] == counts[1000]
    assert counts[10]["dashboard"] == DASHBOARD_COLD
    assert counts[10]["warm"] == DASHBOARD_WARM


def test_cockpit_queries_do_not_grow_with_the_initiative(client_for, executive, sizes, cold):
    from initiatives.models import Initiative
    from learning.models import Measurement, Metric

    client = client_for(executive)
    sizes(10)
    # The same initiative, first with a little data, then with ten times as much. The first
    # one built has something in every process (flag, overdue action, stalling wave...).
    initiative = Initiative.objects.order_by("pk").first()
    url = reverse("initiatives:cockpit", args=[initiative.pk])
    small = _count(client, url, cold)
    metric = Metric.objects.filter(initiative=initiative).first()
    last = Measurement.objects.filter(metric=metric).order_by("period").first().period
    import datetime as dt

    Measurement.objects.bulk_create(
        Measurement(metric=metric, period=last - dt.timedelta(weeks=w), value=55.0)
        for w in range(1, 60)
    )
    assert _count(client, url, cold) == small == COCKPIT_COLD
    assert _count(client, url) < 10  # warm: the session and the access check
