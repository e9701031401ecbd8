"""Another initiative's data is 404 or 403, never visible: also through list filters,
search, CSV exports and the dashboard aggregates (issue 7).

The outsider is a change leader with an initiative of their own. Every API list is asked
with the other initiative's id in every filter it understands and with a search for its
secret words; every object that comes back must belong to an initiative the outsider
may see. The HTML lists, the CSV exports and the dashboard are read for the secret words.
"""

from importlib import import_module

import pytest
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from config.urls import PROCESS_APPS
from initiatives.api_base import InitiativeScopedViewSet
from initiatives.models import Initiative
from learning.models import Lesson, Metric
from tests.access_matrix import MATRIX
from tests.security.world import build_world

SECRET = "Zebrasecret"
SEARCH = SECRET[:8]  # matches the secret words; a search box echoing it shows no secret
FILTER_NAMES = ["initiative", "initiative_id", "metric__initiative", "initiative__in"]


def _routers():
    modules = [import_module("initiatives.api")] + [
        import_module(f"{app}.api") for app in PROCESS_APPS
    ]
    for module in modules:
        yield from module.router.registry


@pytest.fixture
def world(db):
    cache.clear()
    w = build_world()
    mine = w["initiative"]
    Initiative.objects.filter(pk=mine.pk).update(title=f"{SECRET} initiative")
    for metric in Metric.objects.filter(initiative=mine):
        Metric.objects.filter(pk=metric.pk).update(name=f"{SECRET} KPI {metric.pk}")
    Lesson.objects.filter(initiative=mine).update(title=f"{SECRET} lesson")
    return w


def _initiative_ids(viewset, ids) -> set:
    model = viewset.queryset.model if viewset.queryset is not None else Initiative
    if model is Initiative:
        return set(ids)
    path = getattr(viewset, "initiative_path", None)
    if not path or not issubclass(viewset, InitiativeScopedViewSet):
        return set()  # reference data (departments, segments): no initiative
    return set(model.objects.filter(pk__in=ids).values_list(path, flat=True))


def test_no_api_filter_or_search_reveals_another_initiatives_objects(world):
    outsider = world["users"]["outsider"]
    mine = world["initiative"].pk
    visible = set(Initiative.objects.visible_to(outsider).values_list("pk", flat=True))
    assert mine not in visible and visible
    api = APIClient()
    api.force_authenticate(outsider)
    asked = 0
    for prefix, viewset, _ in _routers():
        queries = [{name: mine} for name in FILTER_NAMES] + [{"q": SEARCH}, {"search": SEARCH}]
        for query in queries:
            response = api.get(f"/api/{prefix}/", query)
            assert response.status_code in (200, 400), (prefix, query, response.status_code)
            asked += 1
            if response.status_code != 200:
                continue
            rows = response.json()["results"]
            leaked = _initiative_ids(viewset, [r["id"] for r in rows]) - visible
            if prefix == "lessons":  # lessons are shared, their initiative is not
                assert all(r["initiative"] in visible | {None} for r in rows)
                continue
            assert not leaked, (prefix, query, leaked)
            if prefix != "lessons":
                assert SECRET not in response.content.decode(), (prefix, query)
        # ...and the objects themselves are 404, never a 200 or a 403 that confirms them.
    assert asked > 100


def test_the_other_initiatives_objects_are_404_in_the_api(world):
    outsider = world["users"]["outsider"]
    api = APIClient()
    api.force_authenticate(outsider)
    admin = APIClient()
    admin.force_authenticate(world["users"]["admin"])
    mine = world["initiative"].pk
    checked = 0
    for prefix, viewset, _ in _routers():
        if not issubclass(viewset, InitiativeScopedViewSet) or prefix == "lessons":
            continue
        for row in admin.get(f"/api/{prefix}/").json()["results"]:
            if mine in _initiative_ids(viewset, [row["id"]]):
                assert api.get(f"/api/{prefix}/{row['id']}/").status_code == 404, prefix
                checked += 1
    assert checked > 15


HTML_LISTS = [
    ("initiatives:list", {}),
    ("learning:lessons", {}),
    ("initiatives:dashboard", {}),
    ("initiatives:report", {}),
    ("home", {}),
]


def test_html_lists_search_and_dashboard_show_nothing_of_it(client, world):
    client.force_login(world["users"]["outsider"])
    mine = world["initiative"].pk
    for name, kwargs in HTML_LISTS:
        for query in [{}, {"q": SEARCH}, {"initiative": mine}, {"initiative_id": mine}]:
            response = client.get(reverse(name, kwargs=kwargs), query, follow=True)
            assert response.status_code in (200, 400), (name, query)
            html = response.content.decode()
            if name == "learning:lessons":  # shared lessons show, without their initiative
                assert f"{SECRET} initiative" not in html, (name, query)
            else:
                assert SECRET not in html, (name, query)


def test_csv_exports_and_aggregates_count_only_what_the_outsider_may_see(client, world):
    outsider = world["users"]["outsider"]
    client.force_login(outsider)
    mine = world["initiative"]
    metric = Metric.objects.filter(initiative=mine).first()
    export = reverse("learning:metric-export", args=[mine.pk, metric.pk])
    assert client.get(export).status_code == 404
    visible = Initiative.objects.visible_to(outsider).count()
    for case in MATRIX:
        if case.url_name != "initiatives:dashboard-csv" or case.method != "GET":
            continue
        response = client.get(reverse(case.url_name, kwargs=case.kwargs(world)))
        if response.status_code != 200:
            continue
        body = response.content.decode()
        assert SECRET not in body, case.id
        if case.kwargs(world).get("panel") == "health":
            assert len(body.strip().splitlines()) == 1 + visible  # header + their own
    # The executive who sees everything does see it: the test is not vacuous.
    client.force_login(world["users"]["other_exec"])
    health = client.get(reverse("initiatives:dashboard-csv", args=["health"])).content.decode()
    assert SECRET in health
