"""Walk the access matrix (tests/access_matrix.py) over every URL the project serves."""

import importlib
import json
import pkgutil
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from initiatives import roles
from tests import access_matrix
from tests.access_matrix import EXEMPT, MATRIX, ROLES
from tests.factories import InitiativeFactory, MembershipFactory, UserFactory

# Each app's rows live in tests/<app>/matrix_rows.py, with a build(world) for its objects.
ROW_MODULES = [
    importlib.import_module(f"tests.{info.name}.matrix_rows")
    for info in pkgutil.iter_modules([str(Path(__file__).parent)])
    if info.ispkg and (Path(__file__).parent / info.name / "matrix_rows.py").exists()
]


def _named_urls(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace == "admin":
                continue  # Django's admin has its own staff checks
            yield from _named_urls(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            if "format" in entry.pattern.regex.groupindex:
                continue  # DRF's .json suffix twins of the same views
            yield namespace + entry.name


@pytest.fixture
def world(db):
    sponsor = UserFactory(username="sponsor", role=roles.EXECUTIVE)
    leader = UserFactory(username="leader", role=roles.CHANGE_LEADER)
    initiative = InitiativeFactory(leader=leader, sponsor=sponsor, title="Mine")
    member = UserFactory(username="member", role=roles.TEAM_MEMBER)
    outsider = UserFactory(username="outsider", role=roles.CHANGE_LEADER)
    w = {
        "initiative": initiative,
        "membership": MembershipFactory(initiative=initiative, user=member),
        "users": {
            "anonymous": None,
            "outsider": outsider,
            "other_exec": UserFactory(username="other_exec", role=roles.EXECUTIVE),
            "member": member,
            "sponsor": sponsor,
            "leader": leader,
            "admin": UserFactory(username="admin", is_superuser=True, is_staff=True),
        },
        "spare_user": UserFactory(username="spare", role=roles.TEAM_MEMBER),
    }
    w["outsider_initiative"] = InitiativeFactory(leader=outsider, sponsor=sponsor)
    for module in ROW_MODULES:
        module.build(w)
    return w


def test_every_url_has_a_row_in_the_matrix():
    covered = {case.url_name for case in MATRIX} | set(EXEMPT)
    missing = sorted(set(_named_urls()) - covered)
    assert not missing, f"URLs without an access-matrix row: {missing}"


CASES = [(case, i, role) for case in MATRIX for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("case", "index", "role"), CASES, ids=[f"{c.id}-{r}" for c, _, r in CASES])
def test_access(case, index, role, world, client):
    user = world["users"][role]
    if user is not None:
        client.force_login(user)
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    data = case.data(world)
    method = getattr(client, case.method.lower())
    if case.method == "GET":
        response = method(url, data)
    elif case.fmt == "json":
        response = method(url, json.dumps(data), content_type="application/json")
    else:
        response = method(url, data)
    expected = case.expected[index]
    body = getattr(response, "data", None) or response.content[:500]
    assert response.status_code == expected, f"{role} {case.method} {url}: {body}"
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_matrix_registers_rows_from_every_app():
    assert access_matrix.MATRIX, "no rows registered"
    apps = {m.__name__.split(".")[1] for m in ROW_MODULES}
    assert {"initiatives", "chartering"} <= apps
