"""gunicorn's settings; gunicorn reads this file from the working directory.

Command-line options (--bind, --workers) override these; so do the
environment variables below, for a container.
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: the app does little but wait on PostgreSQL; two per CPU plus
# one keeps the CPUs busy while some wait.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# A request taking longer than this is killed and logged: no page needs it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (a deployment), workers finish their requests for up to this long.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
# Behind a load balancer that reuses connections.
keepalive = 5
# Recycling workers after N requests bounds a slow leak, but each restart
# stalls the requests queued behind it; off unless asked for.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# One line a request on standard output, with the time taken (ms) and the
# forwarded client address; errors on standard error.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = (
    '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
)
errorlog = "-"


class QuietProbes(Logger):
    """The access log, without the load balancer's /healthz and /readyz."""

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") not in {"/healthz", "/readyz"}:
            super().access(resp, req, environ, request_time)


logger_class = QuietProbes
