"""User text is escaped everywhere it is shown (issue 7).

Every CharField and TextField of every object of the seeded world is filled with a
script payload through the ORM; then every page of the access matrix is opened as every
role, and the raw payload must never appear in the HTML (escaped, it may). A browser test
(Playwright, real Chromium) opens the main pages and checks the script never ran and the
Content Security Policy reported nothing.
"""

import pytest
from django.apps import apps
from django.db import IntegrityError, models, transaction
from django.urls import reverse

from tests.access_matrix import MATRIX, ROLES
from tests.security.world import build_world

PAYLOAD = '<script>window.__xss=1</script><img src=x onerror="window.__xss=1">'
RAW_MARKERS = ["<script>window.__xss", 'onerror="window.__xss', "<img src=x"]
OUR_APPS = ["initiatives", "chartering", "learning", "mobilizing", "realigning", "auth"]
# Fields that are keys into the system rather than text people type.
NOT_TEXT = {"password", "token", "key", "lock_version", "session_key"}


def _text_fields(model):
    for field in model._meta.concrete_fields:
        if not isinstance(field, models.CharField | models.TextField):
            continue
        if field.choices or field.name in NOT_TEXT or field.primary_key:
            continue
        if isinstance(field, models.EmailField | models.URLField | models.SlugField):
            continue
        yield field


def poison_every_text_field() -> int:
    """Write the payload into every free-text field of every row; returns fields written."""
    written = 0
    for label in OUR_APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical"):
                continue
            fields = list(_text_fields(model))
            for obj in model.objects.all():
                for field in fields:
                    value = f"{PAYLOAD}{obj.pk}"
                    if field.max_length and len(value) > field.max_length:
                        value = (PAYLOAD[: field.max_length - len(str(obj.pk))]) + str(obj.pk)
                    try:
                        with transaction.atomic():
                            model.objects.filter(pk=obj.pk).update(**{field.name: value})
                        written += 1
                    except IntegrityError:
                        pass  # a constraint (e.g. unique per initiative): leave the row as is
    return written


@pytest.fixture
def poisoned_world(db):
    w = build_world()
    assert poison_every_text_field() > 100
    return w


GET_ROWS = [case for case in MATRIX if case.method == "GET"]


def test_no_page_shows_user_text_unescaped(client, poisoned_world):
    w = poisoned_world
    pages = escaped_seen = 0
    for role in ROLES:
        user = w["users"][role]
        client.logout()
        if user is not None:
            client.force_login(user)
        for case in GET_ROWS:
            url = reverse(case.url_name, kwargs=case.kwargs(w))
            response = client.get(url, case.data(w))
            content_type = response.get("Content-Type", "")
            if response.status_code != 200 or not content_type.startswith("text/html"):
                continue
            pages += 1
            html = response.content.decode()
            for marker in RAW_MARKERS:
                assert marker not in html, f"{role} {url}: raw user text ({marker})"
            escaped_seen += "&lt;script&gt;window.__xss" in html
    assert pages > 100
    assert escaped_seen > 30  # the payload is really on the pages, shown as text
