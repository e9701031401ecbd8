"""Fuzz the whole API from its own OpenAPI schema, as every role (issue 7).

schemathesis reads the schema drf-spectacular generates, hypothesis generates requests
for every operation, and each is sent through Django's WSGI handler as anonymous, a team
member, the change leader, the sponsoring executive and an outsider (a change leader of
another initiative), with Token authentication. Checks:
no 5xx (`not_a_server_error`), every response matches the schema for its status
(`response_schema_conformance`) and every status is documented (`status_code_conformance`).

Path ids are drawn from the world's real objects (some the role may see, some not) and
one id that never exists; every example runs in a savepoint that is rolled back, so
each starts from the same seeded world and the run is reproducible (derandomize=True).

Examples per operation: FUZZ_EXAMPLES (default 50) for the change leader and
FUZZ_EXAMPLES_OTHER_ROLES (default 50) for the other four roles, plus
FUZZ_NEGATIVE_EXAMPLES (default 10) of deliberately invalid input as the change leader.
All roles at 50 take about 8 minutes on 2 cores; lower the numbers for a quick local run.
"""

import json
import os
import re
from collections import Counter

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.security.world import FUZZ_ROLES, build_world

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
FULL_ROLE = "leader"
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "50"))
EXAMPLES_OTHER_ROLES = int(os.environ.get("FUZZ_EXAMPLES_OTHER_ROLES", "50"))
MISSING_ID = 987654321
# Invalid input (negative mode) for the change leader too: answered 4xx, never 5xx.
NEGATIVE_EXAMPLES = int(os.environ.get("FUZZ_NEGATIVE_EXAMPLES", "10"))
# FUZZ_STATS=path writes the status codes seen per operation and role (for the report).
STATS: Counter = Counter()


def _load_schema():
    import django

    django.setup()
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(raw, default=str)))
    schema.app = WSGIHandler()
    return schema


SCHEMA = _load_schema()
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def test_the_fuzz_covers_every_api_operation():
    assert len(OPERATIONS) > 100
    paths = {op.path for op in OPERATIONS}
    assert {"/api/initiatives/", "/api/metrics/{id}/", "/api/measurements/bulk/"} <= paths


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One seeded world for the module; every example rolls its own changes back."""
    with django_db_blocker.unblock(), transaction.atomic():
        w = build_world()
        w["tokens"] = {
            role: Token.objects.create(user=w["users"][name]).key if name else None
            for role, name in FUZZ_ROLES.items()
        }
        w["ids"] = {}
        admin = APIClient()
        admin.force_authenticate(w["users"]["admin"])
        for op in OPERATIONS:
            if "{id}" in op.path:
                listing = admin.get(re.sub(r"\{id\}/.*$", "", op.path))
                rows = listing.json().get("results", []) if listing.status_code == 200 else []
                w["ids"][op.path] = [r["id"] for r in rows if "id" in r] + [MISSING_ID]
        yield w
        transaction.set_rollback(True)
    if os.environ.get("FUZZ_STATS"):
        with open(os.environ["FUZZ_STATS"], "w") as out:
            json.dump({" ".join(map(str, k)): n for k, n in sorted(STATS.items())}, out, indent=1)


@pytest.fixture
def wsgi_in_test_transaction():
    """Django's handler closes the connection around each request: not inside a test."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    cache.clear()  # API throttling counts per user: each test starts afresh
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _with_id(pair):
    case, pk = pair
    case.path_parameters = {**(case.path_parameters or {}), "id": pk}
    return case


ROLE_MODES = [(role, GenerationMode.POSITIVE) for role in FUZZ_ROLES] + [
    (FULL_ROLE, GenerationMode.NEGATIVE)
]


ROLE_MODE_IDS = [f"{r}-{m.value}" for r, m in ROLE_MODES]


@pytest.mark.parametrize(("role", "mode"), ROLE_MODES, ids=ROLE_MODE_IDS)
@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.label for o in OPERATIONS])
def test_fuzz(operation, role, mode, world, db, wsgi_in_test_transaction):
    token = world["tokens"][role]
    headers = {"Authorization": f"Token {token}"} if token else {}
    strategy = operation.as_strategy(generation_mode=mode)
    if mode == GenerationMode.NEGATIVE:
        examples = NEGATIVE_EXAMPLES
        checks = [not_a_server_error, status_code_conformance]  # invalid input: a 4xx
    else:
        examples = EXAMPLES if role == FULL_ROLE else EXAMPLES_OTHER_ROLES
        checks = CHECKS
    if "{id}" in operation.path:
        ids = world["ids"][operation.path]
        strategy = st.tuples(strategy, st.sampled_from(ids)).map(_with_id)

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def fuzz(case):
        with transaction.atomic():
            try:
                response = case.call_and_validate(headers=headers, checks=checks)
                STATS[(operation.label, role, mode.value, response.status_code)] += 1
            finally:
                transaction.set_rollback(True)

    fuzz()
