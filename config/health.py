"""The load balancer's probes, answered before anything else runs.

- /healthz: the process answers (liveness): always 200, touching nothing.
- /readyz: the database and the cache answer (readiness): 200, else 503.

Placed first in MIDDLEWARE, so a probe is never redirected to HTTPS, never
refused for its Host header (probes use the container's address), never
cached and never rate limited.
"""

import logging

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse

from .outage import summary

logger = logging.getLogger(__name__)


def readiness():
    """Return the names of the services that do not answer."""
    failing = []
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        # One line a probe: an outage must not fill the log with tracebacks.
        logger.warning("Readiness: the database does not answer (%s).", summary(error))
        failing.append("database")
    try:
        cache.set("readyz", "ok", timeout=10)
        if cache.get("readyz") != "ok":
            raise OSError("the cache did not keep a value")
    except Exception:
        logger.warning("Readiness: the cache does not answer.", exc_info=True)
        failing.append("cache")
    return failing


def probe(body, status=200):
    response = HttpResponse(body, content_type="text/plain; charset=utf-8")
    response.status_code = status
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            return probe("ok\n")
        if request.path == "/readyz":
            failing = readiness()
            if failing:
                return probe(f"unavailable: {', '.join(failing)}\n", status=503)
            return probe("ok\n")
        return self.get_response(request)
