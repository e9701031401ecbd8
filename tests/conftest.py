"""The access cast every test walks, and the switches for real services."""

import os

import pytest
from django.conf import settings as django_settings

from config.celery import app as celery_app
from initiatives import roles
from tests.browser_support import browser, open_session  # noqa: F401 - one Playwright per run
from tests.factories import InitiativeFactory, MembershipFactory, UserFactory


def pytest_configure(config):
    # Playwright's sync API runs an event loop in the test thread; live_server's ORM use
    # from that thread is safe here (one test at a time).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_sessionstart(session):
    """With REQUIRE_SERVICES=1 a missing PostgreSQL or Redis fails the run, never skips."""
    if not django_settings.REQUIRE_SERVICES:
        return
    problems = []
    if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append("DATABASE_URL does not point at PostgreSQL")
    if not django_settings.REDIS_URL:
        problems.append("REDIS_URL is not set")
    else:
        import redis

        try:
            redis.Redis.from_url(django_settings.REDIS_URL, socket_timeout=3).ping()
        except redis.RedisError as exc:
            problems.append(f"Redis is unreachable: {exc}")
    if problems:
        pytest.exit("REQUIRE_SERVICES=1 but " + "; ".join(problems), returncode=3)


@pytest.fixture(autouse=True)
def _fast_and_eager(settings, request):
    """Fast hashing; Celery tasks in-process unless a test runs a real worker."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def leader(db):
    return UserFactory(username="leader", role=roles.CHANGE_LEADER)


@pytest.fixture
def executive(db):
    return UserFactory(username="executive", role=roles.EXECUTIVE)


@pytest.fixture
def initiative(leader, executive):
    return InitiativeFactory(leader=leader, sponsor=executive, title="First-contact resolution")


@pytest.fixture
def member(initiative):
    user = UserFactory(username="member", role=roles.TEAM_MEMBER)
    MembershipFactory(initiative=initiative, user=user)
    return user


@pytest.fixture
def outsider(db):
    """A change leader with initiatives of their own, but not this one."""
    user = UserFactory(username="outsider", role=roles.CHANGE_LEADER)
    InitiativeFactory(leader=user, title="Someone else's initiative")
    return user


@pytest.fixture
def other_executive(db):
    """An executive who reads everything but sponsors nothing here."""
    return UserFactory(username="other_exec", role=roles.EXECUTIVE)


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client logged in as that user (None: anonymous)."""

    def login(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return login
