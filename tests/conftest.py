import io
import itertools
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from consulates.models import Office
from relations.models import (
    Agreement,
    Organization,
    Relationship,
    RelationshipAgreement,
    RelationshipOrganization,
    Topic,
)
from tests.support.people import ROLES

_serial = itertools.count(1)

CHROMIUM = Path("/usr/bin/chromium")


def both(field, en, fr):
    return {f"{field}_en": en, f"{field}_fr": fr}


@pytest.fixture(scope="module")
def demo_content(django_db_setup, django_db_blocker):
    """Load the demo content once for a module, in a transaction its end rolls back.

    Each test's own transaction nests inside it as a savepoint, so whatever a
    test changes rolls back to the demo content for the next one.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", stdout=io.StringIO())
        with django_db_blocker.block():
            yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_content, db):
    """The demo content: the Canada-United States relationship."""
    return Relationship.objects.get(country_code="US")


@pytest.fixture
def make_relationship(db):
    def make(code="MX", status="published", **fields):
        n = next(_serial)
        values = {
            "country_code": code,
            "status": status,
            **both("partner_name", "Mexico", "Mexique"),
            **both("partner_name_with_article", "Mexico", "le Mexique"),
            **both("title", "Canada-Mexico relations", "Relations Canada-Mexique"),
            **both("slug", f"mexico-{n}", f"mexique-{n}"),
            **both("summary", "Canada and Mexico.", "Le Canada et le Mexique."),
        }
        values.update(fields)
        return Relationship.objects.create(**values)

    return make


@pytest.fixture
def make_topic(db):
    def make(relationship, **fields):
        n = next(_serial)
        values = {
            "relationship": relationship,
            "sort_order": n,
            **both("title", f"Topic {n}", f"Sujet {n}"),
            **both("anchor", f"topic-{n}", f"sujet-{n}"),
            **both("body", f"<p>English body {n}</p>", f"<p>Texte français {n}</p>"),
        }
        values.update(fields)
        return Topic.objects.create(**values)

    return make


@pytest.fixture
def make_office(db):
    def make(relationship, city="Ottawa", city_fr=None, **fields):
        n = next(_serial)
        values = {
            "relationship": relationship,
            "run_by": Office.RunBy.CANADA,
            "kind": Office.Kind.EMBASSY,
            "status": "published",
            "sort_order": n,
            **both("name", f"Office {n}", f"Bureau {n}"),
            **both("city", city, city_fr or city),
            **both("slug", f"office-{n}", f"bureau-{n}"),
        }
        values.update(fields)
        return Office.objects.create(**values)

    return make


def make_listed(model, listed_on_page, relationship, **fields):
    n = next(_serial)
    item = model.objects.create(
        **both("name", f"{model.__name__} {n}", f"{model.__name__} fr {n}"),
        **both("url", f"https://example.org/en/{n}", f"https://example.org/fr/{n}"),
        **fields,
    )
    if relationship is not None:
        listed_on_page.objects.create(
            relationship=relationship, **{listed_on_page.item_field: item}, sort_order=n
        )
    return item


@pytest.fixture
def make_agreement(db):
    def make(relationship=None, **fields):
        return make_listed(Agreement, RelationshipAgreement, relationship, **fields)

    return make


@pytest.fixture
def make_organization(db):
    def make(relationship=None, **fields):
        return make_listed(
            Organization, RelationshipOrganization, relationship, **fields
        )

    return make


@pytest.fixture
def people(django_user_model):
    """A staff member of each of ROLES (tests.support.people) but "anonymous",
    each in its group and with an email address, by name."""
    found = {}
    for name, group in ROLES.items():
        if name == "anonymous":
            continue
        user = django_user_model.objects.create_user(
            name, f"{name}@example.gc.ca", "pw", is_staff=True
        )
        if group:
            user.groups.set(Group.objects.filter(name=group))
        found[name] = user
    return found


@pytest.fixture
def as_user(people):
    """Return a client signed in as one of `people` ("anonymous": not signed in)."""

    def make(name):
        client = Client()
        if name != "anonymous":
            client.force_login(people[name])
        return client

    return make


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters and cached pages never leak from one test into the next."""
    from django.core.cache import cache, caches

    cache.clear()
    caches["pages"].clear()


@pytest.fixture(autouse=True)
def english_by_default():
    """A request handled in French leaves French active: start each test in English."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


def uses_demo(item):
    return "demo_content" in getattr(item, "fixturenames", ())


def is_transactional(item):
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or (
        "transactional_db" in getattr(item, "fixturenames", ())
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Order each module's tests, and skip browser tests when Chromium is missing.

    The demo content, once loaded, stays until its module's last test: a
    module's tests that do not ask for it run first, on an empty database.
    pytest-django's own ordering (transactional tests last) runs after this one
    and keeps it. Browser tests are skipped before their site starts.
    """
    modules = {}
    for item in items:
        modules.setdefault(item.path, len(modules))
    items.sort(key=lambda item: (modules[item.path], uses_demo(item)))
    # A transactional test would run inside a module's demo transaction.
    with_demo = {item.path for item in items if uses_demo(item)}
    for item in items:
        if item.path in with_demo and is_transactional(item):
            raise pytest.UsageError(
                f"{item.nodeid}: keep transactional tests out of modules "
                "that load the demo content"
            )
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(
        reason=f"Debian's Chromium is not at {CHROMIUM}: apt-get install chromium"
    )
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


@pytest.fixture(scope="module")
def browser():
    """Headless Debian Chromium driven by Playwright, shared by a module's tests."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
