"""Slow clients: connections that never finish their headers do not stop
other visitors from being served, behind the production reverse proxy
(deploy/nginx.conf). Without it, two sync workers stall: the test shows both."""

import contextlib
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.support.processes import BASE_DIR, running_site

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists(),
        reason="nginx is missing: apt-get install nginx-light",
    ),
]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SLOW_CLIENTS = 8


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def nginx_in_front_of(app_url):
    """Run deploy/nginx.conf, its upstream the app at `app_url`, on loopback."""
    port = free_port()
    app = urlsplit(app_url)
    with tempfile.TemporaryDirectory(prefix="relations-nginx-") as directory:
        config = (BASE_DIR / "deploy" / "nginx.conf").read_text()
        config = (
            config.replace("server web:8000;", f"server {app.hostname}:{app.port};")
            .replace("listen 8080;", f"listen 127.0.0.1:{port};")
            .replace("pid /tmp/nginx.pid;", f"pid {directory}/nginx.pid;")
            .replace(
                "events {",
                f"error_log {directory}/error.log;\n\nevents {{",
            )
        )
        path = Path(directory) / "nginx.conf"
        path.write_text(config)
        server = subprocess.Popen(
            [NGINX, "-c", str(path), "-p", directory, "-g", "daemon off;"],
            stderr=subprocess.PIPE,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(url + "/healthz", timeout=2).read()
                    break
                time.sleep(0.05)
            else:
                raise RuntimeError(server.stderr.read1().decode())
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


@contextlib.contextmanager
def slow_clients(url, count=SLOW_CLIENTS):
    """Open `count` connections that send half a request's headers, then wait."""
    address = urlsplit(url)
    sockets = []
    try:
        for _ in range(count):
            connection = socket.create_connection(
                (address.hostname, address.port), timeout=5
            )
            connection.sendall(b"GET /en/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            sockets.append(connection)
        time.sleep(0.5)
        yield
    finally:
        for connection in sockets:
            connection.close()


def answered_within(url, seconds):
    """Return the status of a GET of `url`, or None if none came in `seconds`."""
    try:
        with urllib.request.urlopen(url, timeout=seconds) as response:
            return response.status
    except (TimeoutError, urllib.error.URLError, OSError):
        return None


@pytest.fixture(scope="module")
def site():
    with running_site(workers=2, DJANGO_NUM_PROXIES="1") as site:
        yield site


def test_slow_clients_do_not_stop_visitors_behind_the_proxy(site):
    with nginx_in_front_of(site.url) as proxy, slow_clients(proxy):
        started = time.monotonic()
        assert answered_within(proxy + "/healthz", 3) == 200
        assert answered_within(proxy + "/en/", 3) == 200
        assert answered_within(proxy + "/fr/bureaux/", 3) == 200
        assert time.monotonic() - started < 3


def test_without_the_proxy_two_sync_workers_stall(site):
    # What the proxy prevents: every worker waits for headers that never come.
    with slow_clients(site.url):
        assert answered_within(site.url + "/healthz", 2) is None
    # Once they are gone, the site answers again.
    assert answered_within(site.url + "/healthz", 10) == 200
