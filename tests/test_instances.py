"""Two gunicorn instances on one database and one cache, as behind a load
balancer: pages cached on both, an edit saved through one served by the other
on the next request, the report rate limit counted across both. On the
embedded default (SQLite, file cache) and on PostgreSQL with Redis."""

import http.cookies
import os
import urllib.error
import urllib.parse
import urllib.request

import pytest
from bs4 import BeautifulSoup

from tests.support.pages import form_data
from tests.support.processes import post_report, redis_answers, running_site

pytestmark = pytest.mark.slow

PASSWORD = "Correct-Horse-Battery-42"
MAKE_PUBLISHER = f"""
from django.contrib.auth.models import Group, User
user = User.objects.create_user("pat", password="{PASSWORD}", is_staff=True)
user.groups.add(Group.objects.get(name="Publisher"))
"""
PAGE = "/en/relations/united-states/"


def postgres_and_redis():
    return os.environ.get("DATABASE_URL", "").startswith("postgres") and (
        redis_answers()
    )


STACKS = [
    pytest.param({"sqlite": True}, id="sqlite-and-file-cache"),
    pytest.param(
        {"REDIS_URL": "redis://127.0.0.1:6379/0"},
        id="postgresql-and-redis",
        marks=pytest.mark.skipif(
            not postgres_and_redis(),
            reason="needs DATABASE_URL on PostgreSQL and Redis on 127.0.0.1:6379",
        ),
    ),
]


class Browser:
    """Just enough of a browser for the admin, behind a TLS-terminating proxy
    (X-Forwarded-Proto: https, so the site sends its cookies Secure)."""

    def __init__(self, url):
        self.url = url
        self.cookies = http.cookies.SimpleCookie()

    def request(self, path, data=None):
        headers = {
            "X-Forwarded-Proto": "https",
            "Cookie": "; ".join(f"{k}={m.value}" for k, m in self.cookies.items()),
        }
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers["Referer"] = "https" + (self.url + path).removeprefix("http")
        request = urllib.request.Request(self.url + path, body, headers=headers)
        opener = urllib.request.build_opener(NoRedirects)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as answer:
            response = answer
        for header in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        text = response.read().decode()
        assert response.status in {200, 302}, text[-2000:]
        return text

    def get(self, path):
        return self.request(path)

    def post(self, path, data):
        return self.request(path, data)


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Page:
    """Wraps HTML for tests.test_admin.form_data, which reads `.content`."""

    def __init__(self, text):
        self.content = text.encode()


def fetch(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode(), response.headers


@pytest.mark.parametrize("stack", STACKS)
def test_two_instances_share_pages_edits_and_rate_limits(stack):
    with running_site(workers=2, instances=2, DJANGO_NUM_PROXIES="1", **stack) as site:
        first, second = site.urls
        site.manage("shell", "-c", MAKE_PUBLISHER)

        # The page, cached on both.
        for url in (first, second, first, second):
            text, headers = fetch(url + PAGE)
            assert "Canada-United States relations" in text
        assert headers["Cache-Control"] == "public, max-age=60, stale-if-error=86400"

        # A publisher edits the title through the first instance's admin.
        editor = Browser(first)
        login = editor.get("/en/admin/login/")
        token = BeautifulSoup(login, "html.parser").find(
            "input", attrs={"name": "csrfmiddlewaretoken"}
        )["value"]
        editor.post(
            "/en/admin/login/?next=/en/admin/",
            {"username": "pat", "password": PASSWORD, "csrfmiddlewaretoken": token},
        )
        page_id = site.manage(
            "shell",
            "-c",
            "from relations.models import Relationship; "
            "print(Relationship.objects.get(country_code='US').pk)",
        ).split()[-1]
        change = f"/en/admin/relations/relationship/{page_id}/change/"
        data = {**form_data(Page(editor.get(change)), "relationship_form")}
        data["title_en"] = "Canada and the United States: partners"
        # Both languages: a live page's translation may not be left out of date.
        data["title_fr"] = "Le Canada et les États-Unis : partenaires"
        data["_save"] = "1"
        editor.post(change, data)

        # The second instance serves it on the very next request.
        text, _headers = fetch(second + PAGE)
        assert "Canada and the United States: partners" in text
        text, _headers = fetch(first + PAGE)
        assert "Canada and the United States: partners" in text

        # An edit made by another process entirely (a management command).
        site.manage(
            "shell",
            "-c",
            "from relations.models import Topic; "
            "t = Topic.objects.order_by('sort_order').first(); "
            "t.title_en = 'Our shared border'; t.save()",
        )
        for url in (second, first):
            text, _headers = fetch(url + PAGE)
            assert "Our shared border" in text

        # The report rate limit (5 a minute) counts across both instances.
        statuses = [
            post_report(url, forwarded_for="203.0.113.9") for url in (first, second) * 4
        ]
        assert statuses[:5] == [303] * 5
        assert statuses[5:] == [429] * 3
