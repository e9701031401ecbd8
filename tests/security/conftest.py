"""The browser fixtures of tests/browser, for the security tests that drive Chromium."""

from tests.browser.conftest import browser, open_session  # noqa: F401 - pytest fixtures
