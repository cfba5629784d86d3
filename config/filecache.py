"""The embedded default's cache: Django's file cache, shared by the workers of
one machine, made to look at its folder less often.

Django's file cache lists its whole folder on every write to see whether it
holds more than MAX_ENTRIES, which took a quarter of a report's time once the
rate limits had filled it. This one lists it at most once a second in each
process; the folder may then hold a few more entries than MAX_ENTRIES for
that second.
"""

import time

from django.core.cache.backends.filebased import FileBasedCache

CULL_INTERVAL = 1.0  # seconds


class FileCache(FileBasedCache):
    _next_cull = 0.0

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + CULL_INTERVAL
        super()._cull()
