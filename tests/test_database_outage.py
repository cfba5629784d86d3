"""While the database cannot be reached: pages already in the shared cache are
served as they were (with stale-if-error), every other page is a bilingual 503
to retry later, never cached; no report acknowledged that was not stored; and
pages back as soon as the database is, without restarting gunicorn."""

import contextlib
import glob
import http.client
import itertools
import logging
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import (
    InterfaceError,
    OperationalError,
    ProgrammingError,
    connection,
    transaction,
)
from django.db.backends.utils import CursorWrapper
from django.test import Client

from feedback.models import ProblemReport
from relations.cache import LAST_VERSION_KEY, VERSION_SECONDS
from relations.models import ContentVersion
from tests.support.pages import html
from tests.support.processes import free_port, running_site

PAGES = [
    "/",
    "/en/",
    "/fr/",
    "/en/relations/united-states/",
    "/fr/relations/etats-unis/",
    "/en/offices/",
    "/fr/bureaux/",
    "/en/search/?q=trade",
    "/fr/recherche/?q=commerce",
]
UNAVAILABLE = {
    "en": "This page is temporarily unavailable (Error 503)",
    "fr": "Cette page est temporairement indisponible (Erreur 503)",
}
NOT_SENT = {
    "en": "Your report could not be sent (Error 503)",
    "fr": "Votre signalement n’a pas pu être envoyé (Erreur 503)",
}
NOT_RECORDED = {
    "en": "your report was not recorded. Please try again in a few minutes.",
    "fr": "votre signalement n’a pas été enregistré. Veuillez réessayer dans "
    "quelques minutes.",
}
ENDPOINT = {"en": "/en/report-a-problem/", "fr": "/fr/signaler-un-probleme/"}
RELATIONSHIP = {"en": "/en/relations/united-states/", "fr": "/fr/relations/etats-unis/"}


@contextlib.contextmanager
def database_down(error=None):
    """Make every query fail as it does when the server is gone."""
    error = error or OperationalError("connection refused")
    with mock.patch.object(CursorWrapper, "execute", side_effect=error) as execute:
        yield execute


def visitor():
    # The 503 comes from Django's handler500, which the default test client
    # bypasses by raising the exception instead.
    return Client(raise_request_exception=False)


def assert_bilingual_503(response, titles):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    assert "public" not in response["Cache-Control"]
    assert "Traceback" not in response.content.decode()
    soup = html(response)
    assert soup.html["lang"] == "en"
    for language, title in titles.items():
        assert title in soup.select_one(f'section[lang="{language}"]').get_text()
        assert title in soup.title.get_text()
    assert soup.select_one('link[rel="stylesheet"]')
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    return soup


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_a_bilingual_503_while_the_database_is_down(demo, path):
    with database_down():
        response = visitor().get(path)
    soup = assert_bilingual_503(response, UNAVAILABLE)
    assert (
        "Please try again in a few minutes."
        in soup.select_one('section[lang="en"]').text
    )
    assert "Veuillez réessayer dans quelques minutes." in (
        soup.select_one('section[lang="fr"]').text
    )


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(lambda: OperationalError("connection refused"), id="operational"),
        pytest.param(lambda: InterfaceError("connection already closed"), id="closed"),
        pytest.param(
            lambda: connection.Database.OperationalError("server closed"),
            id="driver",
        ),
    ],
)
def test_each_sign_of_an_unreachable_database_gives_the_503(demo, error):
    with database_down(error()):
        response = visitor().get("/fr/relations/etats-unis/")
    assert_bilingual_503(response, UNAVAILABLE)


def test_other_database_errors_remain_server_errors(demo):
    with database_down(ProgrammingError("relation does not exist")):
        response = visitor().get("/en/relations/united-states/")
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_a_cached_page_is_served_while_the_database_is_down(demo):
    page = "/en/relations/united-states/"
    before = visitor().get(page)
    assert before.status_code == 200
    # As a committed read of the version leaves it (tests run in a transaction,
    # whose reads are never shared).
    cache.set(LAST_VERSION_KEY, ContentVersion.objects.get().number)
    with database_down():
        during = visitor().get(page)
        uncached = visitor().get("/fr/bureaux/")
    assert during.status_code == 200
    assert during.content == before.content
    assert "stale-if-error=" in during["Cache-Control"]
    assert uncached.status_code == 503
    # Nor is the 503 kept in its place.
    assert visitor().get("/fr/bureaux/").status_code == 200


def test_the_503_touches_neither_the_database_nor_the_session(demo):
    client = visitor()
    client.cookies["sessionid"] = "s" * 32
    with database_down() as execute:
        response = client.get("/en/relations/united-states/")
    assert response.status_code == 503
    # The page cache's version query, and nothing after it.
    assert execute.call_count == 1
    assert "Set-Cookie" not in response
    assert "Cookie" not in response.get("Vary", "")


def test_an_outage_is_logged_in_one_line_without_traceback(demo, caplog):
    with caplog.at_level(logging.INFO), database_down():
        visitor().get("/fr/relations/etats-unis/")
    (record,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    message = record.getMessage()
    assert "\n" not in message
    assert "503" in message
    assert "/fr/relations/etats-unis/" in message
    assert "connection refused" in message


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_report_is_refused_while_the_database_is_down(demo, language):
    report = {"page": RELATIONSHIP[language], "problems": ["spelling"]}
    with database_down():
        response = visitor().post(ENDPOINT[language], report)
    assert "Location" not in response
    soup = assert_bilingual_503(response, NOT_SENT)
    for other, sentence in NOT_RECORDED.items():
        assert sentence in soup.select_one(f'section[lang="{other}"]').get_text()
    assert not ProblemReport.objects.exists()


def test_a_report_the_database_fails_to_store_is_not_acknowledged(demo):
    real_execute = CursorWrapper.execute

    def refuse_writes(cursor, sql, params=None):
        if sql.lstrip().upper().startswith("INSERT"):
            raise OperationalError("server closed the connection unexpectedly")
        return real_execute(cursor, sql, params)

    # In a savepoint, so the failed write does not break the test's transaction.
    with (
        transaction.atomic(),
        mock.patch.object(CursorWrapper, "execute", refuse_writes),
    ):
        response = visitor().post(
            ENDPOINT["en"], {"page": "/en/offices/", "problems": ["missing"]}
        )
    assert response.status_code == 503
    assert NOT_SENT["en"] in html(response).text
    assert not ProblemReport.objects.exists()


def test_a_report_sent_in_place_is_refused_in_the_page_language(demo):
    with database_down():
        response = visitor().post(
            ENDPOINT["fr"],
            {"page": RELATIONSHIP["fr"], "problems": ["spelling"]},
            headers={"Accept": "application/json"},
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Cache-Control"] == "no-store"
    section = BeautifulSoup(response.json()["html"], "html.parser")
    message = section.select_one("#report-problem-errors").get_text()
    assert NOT_RECORDED["fr"] in message
    assert not section.select("form")


# Under gunicorn, against a PostgreSQL server of the test's own, stopped and
# started again while the site runs.

RECOVERY_SECONDS = 5
POSTGRES_BINARIES = "/usr/lib/postgresql/*/bin"


@dataclass
class PostgresServer:
    binaries: Path
    directory: Path
    port: int

    @property
    def url(self):
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, program, *args, check=True):
        # PostgreSQL refuses to run as root: as root, run it as `postgres`.
        user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*user, str(self.binaries / program), *args],
            cwd=self.directory,
            check=check,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def pg_ctl(self, *args, check=True):
        return self.run("pg_ctl", "-D", "data", *args, check=check)

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.directory}"
        )
        self.pg_ctl("start", "-w", "-t", "30", "-l", "server.log", "-o", options)

    def stop(self):
        # As a crash would: no goodbye to the clients, recovery on restart.
        self.pg_ctl("stop", "-m", "immediate", "-w", "-t", "30")

    def running(self):
        return self.pg_ctl("status", check=False).returncode == 0


def postgres_binaries():
    """Return the newest PostgreSQL's bin directory with initdb and pg_ctl."""
    found = [
        Path(path)
        for path in glob.glob(POSTGRES_BINARIES)
        if Path(path, "initdb").exists() and Path(path, "pg_ctl").exists()
    ]
    return max(found, key=lambda path: int(path.parent.name), default=None)


@contextlib.contextmanager
def postgres_server(binaries):
    """Yield a new PostgreSQL server on a free loopback port; stop it after."""
    with tempfile.TemporaryDirectory(prefix="relations-outage-") as directory:
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres", "postgres")
        server = PostgresServer(binaries, Path(directory), free_port())
        server.run(
            "initdb",
            *("-D", "data", "-U", "postgres", "--auth=trust"),
            *("--encoding=UTF8", "--no-locale", "--no-sync"),
        )
        server.start()
        try:
            yield server
        finally:
            if server.running():
                server.stop()


def fetch(site_url, method, path, body=None, headers=None):
    """Send one request on a new connection; return (status, headers, text)."""
    address = urllib.parse.urlsplit(site_url)
    client = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
    try:
        client.request(method, path, body, headers or {})
        response = client.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        client.close()


def send_report(site_url, comment, language="en"):
    body = urllib.parse.urlencode(
        {"page": RELATIONSHIP[language], "problems": "broken", "comment": comment}
    )
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Forwarded-For": "198.51.100.7",
    }
    return fetch(site_url, "POST", ENDPOINT[language], body, headers)


class Reporter(threading.Thread):
    """Send reports one after another, across the outage; note each answer."""

    def __init__(self, site_url):
        super().__init__(daemon=True)
        self.site_url = site_url
        self.answers = {}
        self.done = threading.Event()

    def run(self):
        number = 0
        while not self.done.is_set():
            number += 1
            comment = f"steady report {number}"
            language = ("en", "fr")[number % 2]
            try:
                status, _headers, _text = send_report(self.site_url, comment, language)
            except Exception as error:  # noted, and failed on below
                status = type(error).__name__
            self.answers[comment] = status
            self.done.wait(0.05)

    def stop(self):
        self.done.set()
        self.join(timeout=30)


_searches = itertools.count()


def uncached_path():
    """Return a page no one has asked for yet: rendered, never from the cache."""
    return f"/en/search/?q=outage{next(_searches)}"


def statuses(site_url):
    return {path: fetch(site_url, "GET", path)[0] for path in PAGES}


def wait_for(condition, seconds):
    """Call `condition` until it is true; return the seconds it took."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, f"not within {seconds} s"
        time.sleep(0.05)
    return time.monotonic() - started


def stored_comments(database_url):
    import psycopg

    with psycopg.connect(database_url, connect_timeout=10) as database:
        rows = database.execute("SELECT comment FROM feedback_problemreport")
        return {comment for (comment,) in rows}


@pytest.mark.slow
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL only: runs in the PostgreSQL run (DATABASE_URL=postgres://…), "
    "where it starts and stops a PostgreSQL server of its own",
)
def test_cached_pages_stay_and_others_say_503_while_postgresql_is_down(
    monkeypatch, request, capsys
):
    binaries = postgres_binaries()
    if binaries is None:
        pytest.skip(
            f"no PostgreSQL server binaries (initdb, pg_ctl) in {POSTGRES_BINARIES}: "
            "apt-get install postgresql"
        )
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip(
                "as root, the PostgreSQL server runs as the `postgres` system user, "
                "which does not exist: apt-get install postgresql"
            )
    with postgres_server(binaries) as server:
        # running_site makes its fresh database beside DATABASE_URL: on this server.
        monkeypatch.setenv("DATABASE_URL", server.url)
        with running_site(
            workers=2,
            DJANGO_NUM_PROXIES="1",
            DJANGO_FEEDBACK_RATE_LIMITS="100000/m",
        ) as site:
            reporter = Reporter(site.url)
            reporter.start()
            try:
                outcome = run_outage(server, site, reporter)
            finally:
                reporter.stop()
                if not server.running():
                    server.start()
            log = site.log.read_text()
    assert "Traceback" not in log
    assert "Database unreachable, answered 503" in log
    # gunicorn never restarted a worker: the two it booted served throughout.
    assert log.count("Booting worker") == 2, log[-3000:]
    terminal = request.config.pluginmanager.get_plugin("terminalreporter")
    if terminal:
        with capsys.disabled():
            terminal.ensure_newline()
            terminal.write_line(f"Database outage: {outcome}")


def run_outage(server, site, reporter):
    assert set(statuses(site.url).values()) == {200}
    acknowledged = set()
    for number in range(10):
        comment = f"report before the outage {number}"
        status, headers, _text = send_report(
            site.url, comment, ("en", "fr")[number % 2]
        )
        assert status == 303
        acknowledged.add(comment)

    stopping = time.monotonic()
    server.stop()
    stopped = time.monotonic() - stopping
    to_first_503 = wait_for(
        lambda: fetch(site.url, "GET", uncached_path())[0] == 503, seconds=10
    )
    # Past the life of the version's copy in the cache: the site asks the
    # database for the version, and falls back on the last one it saw.
    time.sleep(VERSION_SECONDS + 0.5)
    try:
        # What was cached before is served as it was; the rest is a 503.
        for path in PAGES:
            status, headers, text = fetch(site.url, "GET", path)
            if path == "/":
                # Varies on Accept-Language, so never kept: a 503 like the rest.
                assert status == 503
                continue
            assert status == 200, path
            assert "stale-if-error=" in headers["Cache-Control"], path
        status, headers, text = fetch(site.url, "GET", uncached_path())
        assert status == 503
        assert headers["Retry-After"] == "30"
        assert headers["Cache-Control"] == "no-store"
        assert UNAVAILABLE["en"] in text
        assert UNAVAILABLE["fr"] in text
        assert '<section lang="fr"' in text
        assert "Traceback" not in text
        status, _headers, text = fetch(site.url, "GET", "/readyz")
        assert (status, text) == (503, "unavailable: database\n")
        assert fetch(site.url, "GET", "/healthz")[0] == 200
        status, headers, text = send_report(site.url, "report during the outage")
        assert status == 503
        assert "Location" not in headers
        assert NOT_SENT["en"] in text
        assert NOT_SENT["fr"] in text
        assert NOT_RECORDED["en"] in text
    finally:
        starting = time.monotonic()
        server.start()
        ready = time.monotonic()

    to_every_page = wait_for(
        lambda: (
            fetch(site.url, "GET", uncached_path())[0] == 200
            and set(statuses(site.url).values()) == {200}
        ),
        seconds=30,
    )
    timeline = (
        f"PostgreSQL stopped in {stopped:.2f} s; first 503 "
        f"{stopped + to_first_503:.2f} s after the stop began; PostgreSQL back "
        f"{ready - starting:.2f} s after the start began; every page 200 "
        f"{to_every_page:.2f} s after it was back"
    )
    assert to_every_page <= RECOVERY_SECONDS, timeline
    for _round in range(3):
        assert set(statuses(site.url).values()) == {200}
    assert fetch(site.url, "GET", "/readyz")[0] == 200

    reporter.stop()
    answers = reporter.answers
    assert set(answers.values()) <= {303, 503}, answers
    acknowledged |= {comment for comment, status in answers.items() if status == 303}

    # A restart no request sees: every worker's connection is broken, and the
    # first request on it replaces it instead of failing.
    server.stop()
    server.start()
    assert set(statuses(site.url).values()) == {200}
    assert send_report(site.url, "report after a quiet restart")[0] == 303
    acknowledged.add("report after a quiet restart")
    stored = stored_comments(site.database_url)
    assert acknowledged <= stored
    assert "report during the outage" not in stored
    refused = sum(status == 503 for status in answers.values()) + 1
    return (
        f"{timeline}. Reports: {len(acknowledged)} acknowledged, all stored; "
        f"{refused} refused with 503."
    )
