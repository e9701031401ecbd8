"""The dashboard's cache and the "portfolio version" that invalidates it.

The figures of the dashboard, the cockpit and the report are computed once per portfolio
version and kept in Django's cache (Redis in production, LocMem on a laptop). The version
is a counter in the cache that every write bumps:

- a row of the hub or of a process app is saved or deleted, or a many-to-many changes
  (signals connected in `initiatives.apps`, filtered to `registry.watched_app_labels()`);
- measurements are written in bulk (`learning.hooks.measurement_listeners`: the one
  write path that bypasses signals for speed);
- any other bulk write path calls `portfolio_changed()` itself.

The bump happens at once and again after the transaction commits, so a reader that
computed the figures from the old rows meanwhile cannot keep them under the new version.
Entries also expire after CACHE_SECONDS, which bounds the staleness of any write path that
forgot to say so.
"""

import hashlib
import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection, transaction

CACHE_SECONDS = 10 * 60


def _namespace() -> str:
    """Two databases sharing one Redis (test runs side by side) never share figures."""
    return f"holdfast:{connection.vendor}:{connection.settings_dict['NAME']}"


def version_key() -> str:
    return _namespace() + ":portfolio-version"


def version() -> int:
    k = version_key()
    value = cache.get(k)
    if value is None:
        # A fresh start (or an evicted key) must never reuse an old number: start from now.
        value = int(time.time() * 1000)
        cache.add(k, value, timeout=None)
        value = cache.get(k, value)
    return value


def _bump() -> None:
    k = version_key()
    try:
        cache.incr(k)
    except ValueError:  # the key is missing: any new number will do
        cache.set(k, int(time.time() * 1000), timeout=None)


def portfolio_changed(*_args, **_kwargs) -> None:
    """Say that portfolio data changed: now, and again once the transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def key(*parts) -> str:
    raw = "|".join(str(p) for p in (_namespace(), *parts))
    return "holdfast:dash:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def cached(parts: tuple, compute: Callable[[], object]):
    """The value for `parts` at the current portfolio version, computing it on a miss."""
    k = key(version(), *parts)
    value = cache.get(k)
    if value is None:
        value = compute()
        cache.set(k, value, CACHE_SECONDS)
    return value


def on_model_change(sender, **kwargs) -> None:
    """Signal receiver: bump the version when a watched app's row changes."""
    from initiatives import registry

    if sender._meta.app_label in registry.watched_app_labels():
        portfolio_changed()
