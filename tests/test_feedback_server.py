"""Reports under gunicorn with several workers, as in production."""

import http.client
import socket
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.server import running_site

pytestmark = pytest.mark.slow

REPORT = urllib.parse.urlencode(
    {"page": "/en/relations/united-states/", "problems": "broken", "comment": "Hi"},
    doseq=True,
)


def post_report(site_url, forwarded_for=None):
    """Send one report on a new connection; return the status code."""
    address = urllib.parse.urlsplit(site_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    try:
        connection.request("POST", "/en/report-a-problem/", REPORT, headers)
        return connection.getresponse().status
    finally:
        connection.close()


def test_concurrent_reports_are_all_stored():
    # Each report from its own address, so the rate limit lets them all through.
    with running_site(workers=3, DJANGO_NUM_PROXIES="1") as site:
        with ThreadPoolExecutor(max_workers=12) as pool:
            statuses = list(
                pool.map(
                    lambda n: post_report(site.url, f"198.51.{n // 250}.{n % 250}"),
                    range(120),
                )
            )
        assert statuses == [303] * 120, site.log.read_text()[-2000:]
        assert site.count("feedback_problemreport") == 120
        assert "database is locked" not in site.log.read_text()


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.parametrize(
    "cache",
    [
        pytest.param({}, id="file cache"),
        pytest.param(
            {"REDIS_URL": "redis://127.0.0.1:6379/0"},
            id="redis",
            marks=pytest.mark.skipif(
                not redis_answers(), reason="no Redis server on 127.0.0.1:6379"
            ),
        ),
    ],
)
def test_rate_limit_holds_across_workers(cache):
    with running_site(workers=3, **cache) as site:
        # New connections spread the requests over the workers; a cache of
        # each worker's own would let up to three times as many through.
        statuses = [post_report(site.url) for _ in range(15)]
        assert statuses[:5] == [303] * 5
        assert statuses[5:] == [429] * 10
        assert site.count("feedback_problemreport") == 5
