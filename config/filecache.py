"""The embedded default's cache: Django's file cache, shared by the workers of
one machine, made to count correctly across them and to look at its folder
less often.

Django's file cache adds and increments by reading a value, then writing it:
two workers counting at once both read 3 and both write 4, so a rate limit
misses posts. Here add and incr hold an exclusive lock on one file in the
folder (flock, released when the file closes, even if the process dies).

Django's file cache also lists its whole folder on every write to see whether
it holds more than MAX_ENTRIES, which took a quarter of a report's time once
the rate limits had filled it. This one lists it at most once a second in
each process; the folder may then hold a few more entries than MAX_ENTRIES
for that second.
"""

import fcntl
import os
import time
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

CULL_INTERVAL = 1.0  # seconds
LOCK_NAME = "counters.lock"  # not a .djcache file: never culled nor cleared


class FileCache(FileBasedCache):
    _next_cull = 0.0

    @contextmanager
    def _counting(self):
        os.makedirs(self._dir, 0o700, exist_ok=True)
        with open(os.path.join(self._dir, LOCK_NAME), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._counting():
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._counting():
            return super().incr(key, delta, version)

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + CULL_INTERVAL
        super()._cull()
