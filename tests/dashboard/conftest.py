import pytest

from initiatives import dashboard_cache


@pytest.fixture(autouse=True)
def _cold_dashboard_cache(db):
    """Each test starts at a new portfolio version: no figures cached by an earlier test."""
    dashboard_cache.portfolio_changed()
    yield


@pytest.fixture
def cold():
    """Call before a request whose queries are counted: the cache holds nothing for it."""
    return dashboard_cache.portfolio_changed
