"""The Redis cache, failing open: with Redis down it is a cache that remembers nothing.

Django's RedisCache raises on a connection error, so with Redis stopped every request
that touches the cache answered 500 (DRF's throttles read and write it on every API
call). Here a read returns the default and a write is dropped, and after a failure the
cache is skipped for RETRY_AFTER seconds, so a Redis that accepts connections but never
answers costs one short socket timeout per RETRY_AFTER, not one per call. What we keep
in the cache may be lost: throttle counts (a few requests more get through during an
outage) and import progress (the page shows 0 until the import ends).
"""

import logging
import threading
import time

from django.core.cache.backends import redis as django_redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

RETRY_AFTER = 5.0
DOWN = (RedisConnectionError, RedisTimeoutError, OSError)

_state = {"down_until": 0.0}
_lock = threading.Lock()


def _down() -> bool:
    return time.monotonic() < _state["down_until"]


def _trip(exc: Exception) -> None:
    with _lock:
        if not _down():
            log.warning("Redis cache unavailable for %ss, serving without it: %s", RETRY_AFTER, exc)
        _state["down_until"] = time.monotonic() + RETRY_AFTER


def _fail_open(name: str, fallback):
    method = getattr(django_redis.RedisCache, name)

    def wrapper(self, *args, **kwargs):
        if _down():
            return fallback(*args, **kwargs)
        try:
            return method(self, *args, **kwargs)
        except DOWN as exc:
            _trip(exc)
            return fallback(*args, **kwargs)

    wrapper.__name__ = name
    wrapper.__doc__ = method.__doc__
    return wrapper


def _default(key, default=None, *args, **kwargs):
    return default


def _missing(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found (the cache is unavailable)")


class RedisCache(django_redis.RedisCache):
    """django.core.cache.backends.redis.RedisCache that fails open (see the module)."""

    get = _fail_open("get", _default)
    set = _fail_open("set", lambda *a, **k: None)
    add = _fail_open("add", lambda *a, **k: False)
    touch = _fail_open("touch", lambda *a, **k: False)
    delete = _fail_open("delete", lambda *a, **k: False)
    has_key = _fail_open("has_key", lambda *a, **k: False)
    get_many = _fail_open("get_many", lambda *a, **k: {})
    set_many = _fail_open("set_many", lambda data, *a, **k: list(data))
    delete_many = _fail_open("delete_many", lambda *a, **k: None)
    incr = _fail_open("incr", _missing)
    clear = _fail_open("clear", lambda *a, **k: False)
