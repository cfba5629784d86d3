"""Run Python and the site in processes of their own: a fresh interpreter with
only the given environment, and the site as production runs it (gunicorn,
DEBUG off) on loopback against a fresh database."""

import contextlib
import http.client
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[2]

REPORT = urllib.parse.urlencode(
    {"page": "/en/relations/united-states/", "problems": "broken", "comment": "Hi"},
    doseq=True,
)


def fresh_process(*args, **env):
    """Run Python with `args` in the project, with only `env` configured."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
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


def redis_answers():
    """Return True if a Redis server listens on its default loopback port."""
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@dataclass
class Site:
    url: str
    database_url: str
    log: Path
    urls: list = field(default_factory=list)
    environment: dict = field(default_factory=dict)

    def manage(self, *args):
        """Run a management command against the site, as another process would."""
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.environment,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def count(self, table):
        """Return the number of rows of `table` in the site's database."""
        return scalar(self.database_url, f"SELECT COUNT(*) FROM {table}")


def scalar(database_url, sql):
    config = dj_database_url.parse(database_url)
    if config["ENGINE"].endswith("sqlite3"):
        with contextlib.closing(sqlite3.connect(config["NAME"])) as connection:
            return connection.execute(sql).fetchone()[0]
    import psycopg

    with psycopg.connect(database_url) as connection:
        return connection.execute(sql).fetchone()[0]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def fresh_database(directory, sqlite=False):
    """Yield the URL of an empty database: a new PostgreSQL database beside
    DATABASE_URL's when that is PostgreSQL (unless `sqlite`), else a SQLite file."""
    base = os.environ.get("DATABASE_URL", "")
    if sqlite or not base.startswith("postgres"):
        yield f"sqlite:///{directory}/db.sqlite3"
        return
    import psycopg

    name = f"relations_run_{secrets.token_hex(4)}"
    with psycopg.connect(base, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(base, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_until_up(url, process, log, seconds=30, path="/en/"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}{path}", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(
        f"gunicorn did not answer within {seconds} s:\n{log.read_text()}"
    )


@contextlib.contextmanager
def running_site(workers=2, instances=1, sqlite=False, **environment):
    """Migrate a fresh database, load the demo content, serve it with gunicorn.

    `instances` > 1 starts that many gunicorn servers on the same database and
    cache, as several app containers behind a load balancer would be.
    """
    with tempfile.TemporaryDirectory(prefix="relations-site-") as directory:
        with fresh_database(directory, sqlite) as database_url:
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DJANGO_DEBUG": "0",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
                "DJANGO_SECURE_SSL_REDIRECT": "0",
                "DJANGO_CACHE_DIR": f"{directory}/cache",
                # Its own: sites started at once (pytest -n) would write the
                # same files together.
                "DJANGO_STATIC_ROOT": f"{directory}/static",
                "DJANGO_LOG_LEVEL": "WARNING",
                "DATABASE_URL": database_url,
                **environment,
            }
            manage = [sys.executable, "manage.py"]
            for command in (
                ["migrate", "--no-input"],
                ["load_demo"],
                ["collectstatic", "--no-input"],
            ):
                subprocess.run(
                    manage + command,
                    cwd=BASE_DIR,
                    env=env,
                    check=True,
                    capture_output=True,
                )
            with contextlib.ExitStack() as servers:
                started = [
                    servers.enter_context(
                        gunicorn(env, workers, Path(directory) / f"gunicorn-{n}.log")
                    )
                    for n in range(instances)
                ]
                yield Site(
                    url=started[0][0],
                    database_url=database_url,
                    log=started[0][1],
                    urls=[url for url, _log in started],
                    environment=env,
                )


@contextlib.contextmanager
def gunicorn(env, workers, log, app="config.wsgi", ready_path="/en/"):
    """Serve `app` with gunicorn on a free loopback port; yield (url, log)."""
    port = free_port()
    with open(log, "w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                app,
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--graceful-timeout",
                "5",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log, path=ready_path)
        yield url, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
