"""Browser tests: the fixtures live in tests/browser_support.py (one Playwright per run)."""

import pytest

from tests.browser_support import ARTIFACTS, CHROMIUM, DESKTOP, PHONE, Session  # noqa: F401


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
