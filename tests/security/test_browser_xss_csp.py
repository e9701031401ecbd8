"""In real Chromium: no page runs the stored script, and the CSP reports no violation.

The world of tests/security/world.py with every text field poisoned (test_xss.py), every
HTML page of the access matrix as the change leader and the admin, plus the API docs
and Django's admin. A `securitypolicyviolation` listener (installed by Playwright before
any page script) records what the Content Security Policy blocked.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.access_matrix import MATRIX
from tests.security.test_xss import poison_every_text_field
from tests.security.world import build_world

pytestmark = pytest.mark.browser

WATCH = (
    "window.__csp = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile));"
)
# ReDoc's "powered by" logo comes from its CDN: the policy blocks it (no CDN, ever) and
# the docs render without it. That one block is expected; any other is a failure.
EXPECTED_BLOCKS = ("img-src https://cdn.redoc.ly/",)
EXTRA_PAGES = ["/api/docs/", "/api/redoc/", "/admin/", "/admin/initiatives/initiative/"]


def _pages(user, w) -> list[str]:
    client = Client()
    client.force_login(user)
    urls = []
    for case in MATRIX:
        if case.method != "GET":
            continue
        url = reverse(case.url_name, kwargs=case.kwargs(w))
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            urls.append(url)
    return sorted(set(urls))


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_no_page_runs_stored_script_and_csp_blocks_nothing(open_session, live_server, role):
    w = build_world()
    assert poison_every_text_field() > 100
    user = w["users"][role]
    client = Client()
    client.force_login(user)
    session = open_session()
    session.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    session.context.add_init_script(WATCH)
    pages = _pages(user, w) + (EXTRA_PAGES if role == "admin" else [])
    assert len(pages) > 25
    problems = []
    for url in pages:
        session.page.goto(url)
        session.page.wait_for_load_state("networkidle")
        if session.page.evaluate("window.__xss") is not None:
            problems.append(f"{url}: the stored script ran")
        blocked = [
            b for b in session.page.evaluate("window.__csp") if not b.startswith(EXPECTED_BLOCKS)
        ]
        if blocked:
            problems.append(f"{url}: CSP blocked {blocked}")
    assert not problems, problems
    csp_console = [
        e for e in session.errors if "Content Security Policy" in e and "cdn.redoc.ly" not in e
    ]
    assert not csp_console, csp_console
    if role == "admin":
        session.page.goto("/api/docs/")
        session.page.wait_for_selector(".opblock", timeout=15_000)  # Swagger UI drew the API
