"""Static files as production serves them (gunicorn, WhiteNoise): hashed
names, far-future caching, compression; fonts preloaded; no blocking script."""

import urllib.request

import pytest
from bs4 import BeautifulSoup

from tests.support.processes import running_site

pytestmark = pytest.mark.slow


def fetch(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers, response.read()


def test_static_files_are_hashed_cached_for_ever_and_compressed():
    with running_site(workers=1) as site:
        _status, _headers, body = fetch(site.url + "/en/relations/united-states/")
        head = BeautifulSoup(body, "html.parser").head
        fonts = [link["href"] for link in head.find_all("link", rel="preload")]
        assert len(fonts) == 2
        assert all(
            link.get("crossorigin") is not None for link in head("link", rel="preload")
        )
        styles = [link["href"] for link in head.find_all("link", rel="stylesheet")]
        scripts = head.find_all("script", src=True)
        assert scripts and all(script.has_attr("defer") for script in scripts)

        for address in [*fonts, *styles, *(script["src"] for script in scripts)]:
            # Hashed names: "site.3f2a9c1b7e0d.css".
            assert address.rsplit("/", 1)[1].count(".") >= 2, address
            status, headers, _body = fetch(site.url + address)
            assert status == 200
            assert "immutable" in headers["Cache-Control"]
            assert "max-age=315360000" in headers["Cache-Control"]

        _status, headers, _body = fetch(
            site.url + styles[0], **{"Accept-Encoding": "gzip, br"}
        )
        assert headers["Content-Encoding"] in {"gzip", "br"}
