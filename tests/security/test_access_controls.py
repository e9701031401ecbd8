"""Login throttling, session expiry, deactivation, passwords, cookies, API throttling."""

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from initiatives import roles
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-battery-staple-42"


@pytest.fixture
def lena(db):
    user = UserFactory(username="lena", role=roles.CHANGE_LEADER)
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(client, password, ip="10.0.0.1", username="lena"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_wrong_passwords_lock_that_user_from_that_address(client, lena):
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200  # the form, with its error
    fifth = _login(client, "wrong")
    assert fifth.status_code == 429
    # Now even the right password is refused from there, with a page that says why.
    locked = _login(client, PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # Another address is not locked out (a lockout is per user *and* address)...
    assert _login(client, PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_lockout_cools_off_it_is_not_permanent(client, lena):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(5):
            _login(client, "wrong")
        assert _login(client, PASSWORD).status_code == 429
        clock.shift(dt.timedelta(minutes=16))
        assert _login(client, PASSWORD).status_code == 302


def test_a_success_resets_the_count(client, lena):
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200
    assert _login(client, PASSWORD).status_code == 302


def test_a_session_expires_after_inactivity_but_not_while_in_use(client, lena):
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        assert _login(client, PASSWORD).status_code == 302
        for _ in range(3):  # 3 x 7 hours of steady use: the age counts from the last request
            clock.shift(dt.timedelta(hours=7))
            assert client.get(reverse("initiatives:list")).status_code == 200
        clock.shift(dt.timedelta(hours=8, minutes=1))
        response = client.get(reverse("initiatives:list"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_deactivated_user_loses_access_at_once_session_and_token(client, lena):
    assert _login(client, PASSWORD).status_code == 302
    token = Token.objects.create(user=lena)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get(reverse("initiatives:list")).status_code == 200
    assert api.get("/api/initiatives/").status_code == 200
    lena.is_active = False
    lena.save(update_fields=["is_active"])
    # The very next request: the session no longer signs her in, the token is refused.
    assert client.get(reverse("initiatives:list")).status_code == 302
    assert client.get("/api/initiatives/").status_code == 403
    refused = api.get("/api/initiatives/")
    # 403, not 401: session authentication comes first, and DRF answers it with 403.
    assert refused.status_code == 403
    assert refused.json() == {"detail": "User inactive or deleted."}


@pytest.mark.parametrize(
    "password", ["password123", "12345678901", "holdfast", "lena.hartmann", "qwertyuiop"]
)
def test_weak_passwords_are_refused(password, lena):
    lena.username, lena.email = "lena.hartmann", "lena.hartmann@example.com"
    with pytest.raises(ValidationError):
        validate_password(password, user=lena)


def test_a_strong_password_passes(lena):
    validate_password(PASSWORD, user=lena)


def test_the_api_throttles_a_runaway_client(lena, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import UserRateThrottle

    cache.clear()
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "5/minute"}
    original = UserRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = rates
    try:
        api = APIClient()
        api.force_authenticate(lena)
        statuses = [api.get("/api/initiatives/").status_code for _ in range(7)]
    finally:
        UserRateThrottle.THROTTLE_RATES = original
        cache.clear()
    assert statuses == [200] * 5 + [429] * 2


def test_production_settings_make_cookies_secure_and_sessions_expire():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "HTTPS", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(DEBUG="false", HTTPS="true", SECRET_KEY="x" * 60, ALLOWED_HOSTS="h.example")
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings');"
        "django.setup(); from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY,"
        " s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_SAVE_EVERY_REQUEST,"
        " s.SESSION_COOKIE_AGE, s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [
        "True",
        "True",
        "True",
        "True",
        "31536000",
        "True",
        "28800",
        "5",
        "0:15:00",
    ]
