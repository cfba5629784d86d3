"""Benchmark the site against the Python ceiling; print one table.

Starts, on loopback only: the site (gunicorn, 2 sync workers, the demo content,
a fresh PostgreSQL database beside BENCH_POSTGRES_URL, or SQLite with
--sqlite) and the ceiling (bench/ceiling.py: a minimal Django app returning a
byte string the size of the relationship page, same gunicorn command). Each
URL is measured with `wrk -t2 -c32` for a bounded time; search and the report
POST as described beside them. Every ratio is to the ceiling of the same run.

    .venv/bin/python -m bench.pages [--seconds 10] [--sqlite]
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from tests.support.processes import gunicorn, running_site

POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
PAGE = "/en/relations/united-states/"
# (label, path, what it shows)
PAGES = [
    ("relations page, cached", PAGE),
    # A query parameter the page does not read bypasses the cache: every
    # request renders, as the first one after an edit does.
    ("relations page, uncached", PAGE + "?bench=uncached"),
    ("home, cached", "/en/"),
    ("office directory, cached", "/fr/bureaux/?country=US"),
    ("office page, cached", "/en/offices/embassy-of-canada-to-the-united-states/"),
    ("search, cached", "/en/search/?q=trade"),
]
TOPICS = 10_000
# Reports, each from its own address, posted by wrk as pages are read.
REPORTS = Path(__file__).with_name("reports.lua")
# For each path: the queries of its first request, every cache empty, then of
# the next one.
COUNT_QUERIES = """
import json
from django.core.cache import cache, caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_HOST="127.0.0.1")
counts = {}
for path in %r:
    cache.clear()
    caches["pages"].clear()
    runs = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        runs.append(len(queries))
    counts[path] = runs
print(json.dumps(counts))
"""
# An editor's change, committed in another process as the admin's would be,
# then the page requested the way a visitor would, at once.
AFTER_EDITS = """
import json, statistics, time, urllib.request
from relations.models import Relationship
topic = Relationship.objects.get(country_code="US").topics.order_by("sort_order")[0]
title = topic.title_en
times, shown = [], 0
for n in range(EDITS):
    topic.title_en = f"{title} (edit {n})"
    topic.save()
    started = time.perf_counter()
    with urllib.request.urlopen("URL", timeout=10) as response:
        body = response.read().decode()
    times.append((time.perf_counter() - started) * 1000)
    shown += topic.title_en in body
topic.title_en = title
topic.save()
times.sort()
print(json.dumps({"p50": statistics.median(times), "p99": times[int(0.99 *
    (len(times) - 1))], "shown": shown}))
"""
EDITS = 200
# What each edit costs once committed, for every language: the content
# rendered from the database.
TIME_RENDER = """
import json, statistics, time
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from relations.cache import render_page_content
from relations.models import Relationship
translation.activate("en")
times = []
for _ in range(41):
    page = Relationship.objects.get(country_code="US")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        render_page_content(page)
        times.append((time.perf_counter() - started) * 1000)
print(json.dumps({"median": statistics.median(times), "queries": len(queries)}))
"""
MAKE_TOPICS = """
import random
from collections import Counter
from django.db import connection
from relations.models import Relationship, Topic
page = Relationship.objects.get(country_code="US")
# Bodies drawn from the demo page's own vocabulary with Zipf's frequencies, as
# in real text; seeded, so every run has the same rows.
draw = random.Random(2026)
text = " ".join(topic.body_en for topic in page.topics.all())
words = sorted({w.lower() for w in text.split() if w.isalpha()})
draw.shuffle(words)
weights = [1 / rank for rank in range(1, len(words) + 1)]
bodies = [draw.choices(words, weights, k=120) for _ in range(HOW_MANY)]
Topic.objects.bulk_create(
    Topic(
        relationship=page,
        sort_order=100 + n,
        title_en=" ".join(body[:4]).capitalize(),
        title_fr=f"Sujet {n}",
        anchor_en=f"topic-{n}",
        anchor_fr=f"sujet-{n}",
        body_en="<p>" + " ".join(body) + ".</p>",
        body_fr=f"<p>Texte {n}.</p>",
    )
    for n, body in enumerate(bodies)
)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE relations_topic")
# bulk_create sends no signal: SQLite's search index is written afresh.
from django.core.management import call_command
call_command("rebuild_search_index")
# The query word: one found in about 5 % of the topics.
found_in = Counter(w for body in bodies for w in set(body))
word = min(found_in, key=lambda w: abs(found_in[w] - HOW_MANY / 20))
print(Topic.objects.count(), word)
"""
TIME_SEARCH = """
import json, statistics, time
from django.db import connection
from relations.models import Topic
from relations.search import TOPICS, FullTextSearch, find
word = "WORD"
times = []
for _ in range(41):
    started = time.perf_counter()
    page = find(word, "en", 1)
    list(page)
    times.append((time.perf_counter() - started) * 1000)
plan = ""
if connection.vendor == "postgresql":
    plan = FullTextSearch(word, "en").match(TOPICS).explain()
print(json.dumps({"median": statistics.median(times), "matches":
    page.paginator.count, "plan": plan}))
"""


def wrk(url, seconds, threads=2, connections=32, script=None):
    """Run wrk; return requests/s, p50 and p99 (ms), requests and failures."""
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    command += ["--latency", "--timeout", "5s"]
    if script:
        command += ["--script", str(script)]
    output = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 30,
    ).stdout
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),
        "p50": milliseconds(re.search(r"50%\s+([\d.]+\w+)", output)[1]),
        "p99": milliseconds(re.search(r"99%\s+([\d.]+\w+)", output)[1]),
        "requests": int(re.search(r"(\d+) requests in", output)[1]),
        "failed": int(
            (re.search(r"Non-2xx or 3xx responses: (\d+)", output) or [0, 0])[1]
        )
        + sum(
            int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)
        ),
    }


def milliseconds(text):
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def ceiling(size, seconds):
    """Serve and measure the minimal Django app with the same gunicorn command."""
    # Without an access log, as the site is served here.
    env = {**os.environ, "BENCH_CEILING_BYTES": str(size), "GUNICORN_ACCESS_LOG": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    with tempfile.TemporaryDirectory(prefix="relations-ceiling-") as directory:
        log = Path(directory) / "gunicorn.log"
        with gunicorn(env, 2, log, app="bench.ceiling:application", ready_path="/") as (
            url,
            _log,
        ):
            return wrk(url + "/", seconds)


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def row(label, result, ceiling_result, queries="", note=""):
    ratio = result["rps"] / ceiling_result["rps"] if ceiling_result else None
    return (
        f"| {label} | {result['rps']:,.0f} | {result['p50']:.1f} | "
        f"{result['p99']:.1f} | {queries} | "
        f"{'' if ratio is None else f'{ratio:.2f}'} | {note} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--sqlite", action="store_true", help="SQLite, not PostgreSQL")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: sudo apt-get install -y wrk")
    seconds = options.seconds
    if not options.sqlite:
        os.environ["DATABASE_URL"] = POSTGRES_URL
    database = "SQLite" if options.sqlite else "PostgreSQL"

    failures = []
    lines = []
    with running_site(
        workers=2,
        sqlite=options.sqlite,
        DJANGO_NUM_PROXIES="1",
        DJANGO_FEEDBACK_RATE_LIMITS="1000000/m",
        GUNICORN_ACCESS_LOG="",
    ) as site:
        size = len(fetch(site.url + PAGE))
        top = ceiling(size, seconds)
        paths = [path for _label, path in PAGES]
        queries = json.loads(
            site.manage("shell", "-c", COUNT_QUERIES % (paths,)).split("\n")[-2]
        )
        lines.append(row("ceiling (minimal Django app)", top, top, "0"))
        results = {}
        for label, path in PAGES:
            fetch(site.url + path)  # fill the cache
            results[label] = result = wrk(site.url + path, seconds)
            first, then = queries[path]
            counted = then if first == then else f"{then} ({first} the first time)"
            lines.append(row(label, result, top, counted))
            if result["failed"]:
                failures.append(f"{label}: {result['failed']} failed requests")

        edits = json.loads(
            site.manage(
                "shell",
                "-c",
                AFTER_EDITS.replace("EDITS", str(EDITS)).replace(
                    "URL", site.url + PAGE
                ),
            )
            .strip()
            .split("\n")[-1]
        )
        lines.append(
            f"| relations page, first request after each of {EDITS} edits "
            f"(one at a time) | | {edits['p50']:.1f} | {edits['p99']:.1f} | | | "
            f"the edit shown {edits['shown']} times of {EDITS} |"
        )

        rendered = json.loads(
            site.manage("shell", "-c", TIME_RENDER).strip().split("\n")[-1]
        )
        lines.append(
            "| relations page content rendered from the database, as after "
            f"an edit (in process, median of 41) | | {rendered['median']:.1f} | | "
            f"{rendered['queries']} | | |"
        )

        # Every answer that wrk counted accepted (a 303) must be stored; the
        # few in flight when it stops may be stored without being counted.
        before = site.count("feedback_problemreport")
        posted = wrk(site.url + "/fr/signaler-un-probleme/", seconds, script=REPORTS)
        stored = site.count("feedback_problemreport") - before
        accepted = posted["requests"] - posted["failed"]
        accepted_rps = posted["rps"] * accepted / max(posted["requests"], 1)
        lines.append(
            row(
                "report POST, 32 at a time",
                posted,
                top,
                note=f"{accepted:,} accepted, {stored:,} stored",
            )
        )

        made, word = site.manage(
            "shell", "-c", MAKE_TOPICS.replace("HOW_MANY", str(TOPICS))
        ).split()[-2:]
        timed = json.loads(
            site.manage("shell", "-c", TIME_SEARCH.replace("WORD", word))
            .strip()
            .split("\n")[-1]
        )
        uses_index = "Index Scan on topic_search_en" in timed["plan"] or (
            not timed["plan"]
        )
        lines.append(
            f"| search “{word}”, {made} topics (in process, median of 41) | | "
            f"{timed['median']:.1f} | | | | {timed['matches']:,} matches; "
            f"{'index used' if uses_index else 'NO INDEX'} |"
        )

    cached = results["relations page, cached"]
    uncached = results["relations page, uncached"]
    checks = [
        ("cached page ≥ 0.8× ceiling", cached["rps"] >= 0.8 * top["rps"]),
        ("uncached page ≥ 0.2× ceiling", uncached["rps"] >= 0.2 * top["rps"]),
        ("uncached page ≤ 8 SQL queries", max(queries[PAGES[1][1]]) <= 8),
        ("every edit shown on the next request", edits["shown"] == EDITS),
        ("cached p99 ≤ 2× ceiling p99", cached["p99"] <= 2 * top["p99"]),
        ("report POST ≥ 300 accepted/s", accepted_rps >= 300),
        ("every accepted report stored", accepted <= stored <= accepted + 32),
        ("search median < 20 ms", timed["median"] < 20),
        ("search uses the index", uses_index),
    ]
    print(
        f"{database}, gunicorn 2 sync workers, wrk -t2 -c32 -d{seconds}s, "
        f"page {size:,} bytes\n"
    )
    print("| measured | requests/s | p50 ms | p99 ms | SQL queries | × ceiling | |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    print("\n".join(lines))
    print()
    for label, passed in checks:
        print(f"{'PASS' if passed else 'MISS'}  {label}")
    for failure in failures:
        print(f"FAIL  {failure}")
    return 0 if all(passed for _, passed in checks) and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
