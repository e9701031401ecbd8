"""Every page carries the security headers, and no template of ours needs inline script.

The pages are the access matrix's: every GET row, as the change leader and the admin,
rendered from the seeded world of tests/security/world.py.
"""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from config.security import CSP, DOCS_CSP
from tests.access_matrix import MATRIX
from tests.security.world import build_world

GET_ROWS = [case for case in MATRIX if case.method == "GET"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.I)
STYLE_BLOCK = re.compile(r"<style[\s>]", re.I)


@pytest.fixture
def world(db):
    return build_world()


def _html_pages(client, world, role):
    client.force_login(world["users"][role])
    seen = 0
    for case in GET_ROWS:
        url = reverse(case.url_name, kwargs=case.kwargs(world))
        response = client.get(url, case.data(world))
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        yield url, response
    assert seen > 30, "too few HTML pages rendered: the world is missing objects?"


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_every_html_page_carries_the_security_headers(client, world, role):
    for url, response in _html_pages(client, world, role):
        assert response["Content-Security-Policy"] == CSP, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        assert "camera=()" in response["Permissions-Policy"], url


@pytest.mark.parametrize("role", ["leader", "member", "admin"])
def test_no_page_has_inline_script_handlers_or_style_attributes(client, world, role):
    for url, response in _html_pages(client, world, role):
        html = response.content.decode()
        assert not INLINE_SCRIPT.findall(html), (url, INLINE_SCRIPT.findall(html))
        assert not EVENT_HANDLER.findall(html), (url, EVENT_HANDLER.findall(html))
        assert not STYLE_ATTRIBUTE.findall(html), (url, STYLE_ATTRIBUTE.findall(html))
        assert not STYLE_BLOCK.findall(html), url


def test_login_page_and_api_answers_carry_the_policy_too(client, world):
    assert client.get(reverse("login"))["Content-Security-Policy"] == CSP
    client.force_login(world["users"]["leader"])
    assert client.get("/api/initiatives/")["Content-Security-Policy"] == CSP


def test_the_api_docs_run_without_inline_script(client, world):
    client.force_login(world["users"]["leader"])
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert docs["Content-Security-Policy"] == DOCS_CSP
    assert "script-src 'self';" in DOCS_CSP
    html = docs.content.decode()
    assert not INLINE_SCRIPT.findall(html)
    script = re.search(r'<script src="([^"]+\?[^"]*script=[^"]*)"', html).group(1)
    start = client.get(script.replace("&amp;", "&"))
    assert start.status_code == 200
    assert "SwaggerUIBundle" in start.content.decode()
    redoc = client.get(reverse("api-redoc")).content.decode()
    assert not INLINE_SCRIPT.findall(redoc)
    assert "googleapis" not in redoc  # no CDN, ever


@override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=31_536_000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True
)
def test_over_https_every_page_carries_hsts_and_plain_http_is_redirected(client, world):
    """What HTTPS=true sets: HSTS on every response served over HTTPS (HSTS over plain
    HTTP means nothing to a browser, so that request is redirected to HTTPS first)."""
    client.force_login(world["users"]["leader"])
    url = reverse("initiatives:detail", args=[world["initiative"].pk])
    plain = client.get(url)
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    for path in [url, reverse("login"), reverse("home"), "/api/initiatives/"]:
        response = client.get(path, secure=True)
        assert response.status_code in (200, 302), path
        assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains"), (
            path
        )
