"""Benchmark "Report a problem on this page" under gunicorn with several workers.

Posts N reports at concurrency C, each from its own (forwarded) address, on a
fresh SQLite database and on a fresh PostgreSQL database, and prints how many
were accepted and stored (they must be equal), errors, reports per second and
latency. Listens on loopback only; every run is bounded by N and a timeout.

    .venv/bin/python -m bench.feedback --reports 2000 --concurrency 16
"""

import argparse
import http.client
import os
import statistics
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from tests.support.processes import running_site

POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
BODY = urllib.parse.urlencode(
    {
        "page": "/fr/relations/etats-unis/",
        "problems": ["outdated", "missing"],
        "comment": "Le numéro 613-555-0100 ne répond plus; écrivez à a@b.ca",
    },
    doseq=True,
)


def post(site_url, number):
    address = urllib.parse.urlsplit(site_url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=30)
    started = time.perf_counter()
    try:
        connection.request(
            "POST",
            "/fr/signaler-un-probleme/",
            BODY,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Forwarded-For": f"10.{number // 65536 % 256}.{number // 256 % 256}."
                f"{number % 256}",
            },
        )
        status = connection.getresponse().status
    except OSError as error:
        status = type(error).__name__
    finally:
        connection.close()
    return status, time.perf_counter() - started


def run(database, reports, concurrency, workers):
    os.environ["DATABASE_URL"] = database
    with running_site(workers=workers, DJANGO_NUM_PROXIES="1") as site:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            results = list(pool.map(lambda n: post(site.url, n), range(reports)))
        elapsed = time.perf_counter() - started
        stored = site.count("feedback_problemreport")
        locked = site.log.read_text().count("database is locked")
    latencies = sorted(seconds for _, seconds in results)
    accepted = sum(1 for status, _ in results if status == 303)
    return {
        "accepted": accepted,
        "stored": stored,
        "errors": reports - accepted,
        "locked": locked,
        "per_second": accepted / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--databases", default="sqlite,postgresql", help="sqlite, postgresql or both"
    )
    options = parser.parse_args()

    databases = {"sqlite": "sqlite://", "postgresql": POSTGRES_URL}
    print(
        f"{options.reports} reports, concurrency {options.concurrency}, "
        f"gunicorn --workers {options.workers}"
    )
    print(
        f"{'database':<11}{'accepted':>9}{'stored':>8}{'errors':>8}"
        f"{'reports/s':>11}{'p50 ms':>8}{'p99 ms':>8}"
    )
    failed = False
    for name in options.databases.split(","):
        result = run(
            databases[name], options.reports, options.concurrency, options.workers
        )
        print(
            f"{name:<11}{result['accepted']:>9}{result['stored']:>8}"
            f"{result['errors']:>8}{result['per_second']:>11.0f}"
            f"{result['p50_ms']:>8.1f}{result['p99_ms']:>8.1f}"
        )
        failed = failed or result["stored"] != result["accepted"] or result["locked"]
    if failed:
        print("FAILED: a report was lost or the database was locked.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
