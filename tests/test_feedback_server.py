"""Reports under gunicorn with several workers, as in production."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.support.processes import post_report, redis_answers, running_site

pytestmark = pytest.mark.slow


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
