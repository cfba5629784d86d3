"""How a page's cost grows with the content: each page's first request after
an edit (the whole-page cache empty), with the demo content alone and then
after `seed_scale --countries N`, in one run; the ratio is the budget.

Starts, on loopback only, the site under gunicorn (2 sync workers) on SQLite
(or on PostgreSQL beside BENCH_POSTGRES_URL with --postgresql).

    .venv/bin/python -m bench.scale [--countries 200] [--postgresql]
"""

import argparse
import json
import os
import sys

from tests.support.processes import running_site

POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
# (label, path, the most the time may grow by: issue 16's budgets)
PAGES = [
    ("home", "/en/", 4),
    ("home, by region", "/fr/?by=region", 4),
    ("office directory", "/en/offices/", 2),
    ("office directory, one country", "/fr/bureaux/?country=US", 2),
    ("search, two words (English)", "/en/search/?q=trade+security", 2),
    ("search, two words (French)", "/fr/recherche/?q=commerce+s%C3%A9curit%C3%A9", 2),
    ("sitemap", "/sitemap.xml", 4),
    ("open data, JSON", "/api/offices.json", 10),
    ("open data, CSV", "/api/offices.csv", 10),
]
TIMES = 15
# Each page asked for once after each of TIMES edits, committed in this
# process as the admin's would be; the median of its times.
FIRST_AFTER_EDITS = """
import json, statistics, time, urllib.request
from relations.models import Relationship
topic = Relationship.objects.get(country_code="US").topics.order_by("sort_order")[0]
title = topic.title_en
found = {}
for path in PATHS:
    times = []
    for n in range(TIMES):
        topic.title_en = f"{title} ({n})"
        topic.save()
        started = time.perf_counter()
        with urllib.request.urlopen("URL" + path, timeout=30) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    found[path] = statistics.median(times)
topic.title_en = title
topic.save()
print(json.dumps(found))
"""


def first_requests(site, paths):
    script = (
        FIRST_AFTER_EDITS.replace("PATHS", repr(paths))
        .replace("TIMES", str(TIMES))
        .replace("URL", site.url)
    )
    return json.loads(site.manage("shell", "-c", script).strip().split("\n")[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=200)
    parser.add_argument("--postgresql", action="store_true")
    options = parser.parse_args()
    if options.postgresql:
        os.environ["DATABASE_URL"] = POSTGRES_URL
    database = "PostgreSQL" if options.postgresql else "SQLite"
    paths = [path for _label, path, _budget in PAGES]
    with running_site(
        workers=2, sqlite=not options.postgresql, GUNICORN_ACCESS_LOG=""
    ) as site:
        small = first_requests(site, paths)
        made = site.manage("seed_scale", "--countries", str(options.countries))
        large = first_requests(site, paths)
    print(
        f"{database}, gunicorn 2 sync workers; first request after an edit, "
        f"median of {TIMES}; demo content, then {made.strip().splitlines()[-1]}\n"
    )
    print("| page | demo ms | at scale ms | × | budget | |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    misses = 0
    for label, path, budget in PAGES:
        ratio = large[path] / small[path]
        within = ratio <= budget
        misses += not within
        print(
            f"| {label} | {small[path]:.1f} | {large[path]:.1f} | {ratio:.1f} | "
            f"{budget} | {'PASS' if within else 'MISS'} |"
        )
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
