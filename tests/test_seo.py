"""What search engines and social networks read: sitemap, robots.txt, metadata."""

from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import include, path, reverse
from django.utils import timezone, translation
from django.utils.timezone import localdate

from config.urls import SITEMAPS
from consulates.models import Office
from relations import views
from relations.models import Relationship
from tests.support.pages import html

SERVER = "http://testserver"
NAMESPACES = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
}
# The index: the content version (relations.cache), the pages' latest change,
# then for the relationships and the offices, their rows (how many pages of
# sitemap) and their latest change. A section: the content version and its
# own rows (with the latest change, for the pages').
INDEX_QUERIES = 6
SECTION_QUERIES = 2

# The site's addresses with the admin moved, as DJANGO_ADMIN_PATH allows.
urlpatterns = [
    path("robots.txt", views.robots_txt),
    path(
        "sitemap.xml",
        sitemaps_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    *i18n_patterns(
        path("gestion/", admin.site.urls),
        path("", include("consulates.urls")),
        path("", include("relations.urls")),
    ),
]


def absolute_in(language, obj_or_name):
    """Return the absolute address of an object or a URL name in `language`."""
    with translation.override(language):
        if isinstance(obj_or_name, str):
            return SERVER + reverse(obj_or_name)
        return SERVER + obj_or_name.get_absolute_url()


@pytest.fixture
def read_sitemap(client):
    """Fetch the sitemap: {address: {"lastmod": …, "alternates": {hreflang: …}}}."""

    def read():
        entries = {}
        for section in read_index(client):
            entries.update(read_section(client, section))
        return entries

    return read


def read_index(client):
    """Return the addresses of the sitemap index's sections."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    return [
        loc.text.removeprefix(SERVER)
        for loc in root.findall("sm:sitemap/sm:loc", NAMESPACES)
    ]


def read_section(client, path):
    """Return {address: {"lastmod": …, "alternates": {hreflang: …}}} of a section."""
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    entries = {}
    for url in root.findall("sm:url", NAMESPACES):
        location = url.findtext("sm:loc", namespaces=NAMESPACES)
        assert location not in entries, location
        entries[location] = {
            "lastmod": url.findtext("sm:lastmod", namespaces=NAMESPACES),
            "alternates": {
                link.get("hreflang"): link.get("href")
                for link in url.findall("xhtml:link[@rel='alternate']", NAMESPACES)
            },
        }
    return entries


def every_address(entries):
    return {
        address
        for location, entry in entries.items()
        for address in [location, *entry["alternates"].values()]
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sitemap_links_a_relationship_to_both_versions_and_the_splash_page(
    read_sitemap, demo, language
):
    entry = read_sitemap()[absolute_in(language, demo)]
    assert entry["alternates"] == {
        "en": f"{SERVER}/en/relations/united-states/",
        "fr": f"{SERVER}/fr/relations/etats-unis/",
        "x-default": f"{SERVER}/",
    }
    demo.refresh_from_db()
    assert entry["lastmod"] == localdate(demo.content_modified_at).isoformat()


@pytest.mark.parametrize("name", ["relations:home", "consulates:office_list"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_sitemap_dates_home_and_directory_by_the_latest_published_change(
    read_sitemap, make_relationship, name, language
):
    now = timezone.now()
    older = make_relationship(code="MX")
    newer = make_relationship(code="PE")
    draft = make_relationship(code="CL", status="draft")
    for relationship, days_ago in [(older, 30), (newer, 10), (draft, 1)]:
        Relationship.objects.filter(pk=relationship.pk).update(
            content_modified_at=now - timedelta(days=days_ago)
        )
    entry = read_sitemap()[absolute_in(language, name)]
    assert entry["lastmod"] == localdate(now - timedelta(days=10)).isoformat()
    assert entry["alternates"] == {
        "en": absolute_in("en", name),
        "fr": absolute_in("fr", name),
        "x-default": f"{SERVER}/",
    }


@pytest.mark.parametrize("language", ["en", "fr"])
def test_sitemap_dates_an_office_by_its_own_changes(
    read_sitemap, make_relationship, make_office, language
):
    relationship = make_relationship()
    office = make_office(relationship)
    modified = timezone.now() - timedelta(days=40)
    Office.objects.filter(pk=office.pk).update(content_modified_at=modified)
    entry = read_sitemap()[absolute_in(language, office)]
    assert entry["lastmod"] == localdate(modified).isoformat()
    assert entry["alternates"] == {
        "en": absolute_in("en", office),
        "fr": absolute_in("fr", office),
        "x-default": f"{SERVER}/",
    }


def test_sitemap_lists_every_public_page_in_both_languages_and_nothing_else(
    read_sitemap, demo, make_relationship, make_office
):
    hidden = [
        make_relationship(code="MX", status="draft"),
        make_relationship(code="PE", status="archived"),
        make_relationship(code="CL", publish_at=timezone.now() + timedelta(days=1)),
    ]
    expired = make_relationship(code="AR")
    hidden.append(expired)
    hidden += [make_office(relationship) for relationship in hidden]
    hidden.append(make_office(demo, status="draft"))
    make_office(demo)
    Relationship.objects.filter(pk=expired.pk).update(
        unpublish_at=timezone.now() - timedelta(minutes=1)
    )
    shown = [
        "relations:home",
        "consulates:office_list",
        demo,
        *demo.offices.filter(status="published"),
    ]

    entries = read_sitemap()

    assert set(entries) == {
        absolute_in(language, page) for page in shown for language in ("en", "fr")
    }
    addresses = every_address(entries)
    for obj in hidden:
        for language in ("en", "fr"):
            assert absolute_in(language, obj) not in addresses


def test_sitemap_never_lists_a_preview(read_sitemap, demo, make_relationship):
    make_relationship(code="MX", status="draft")
    previews = ("/en/preview/", "/fr/apercu/")
    for language, prefix in zip(("en", "fr"), previews, strict=True):
        with translation.override(language):
            assert demo.get_preview_url().startswith(prefix)
    for address in every_address(read_sitemap()):
        assert not urlsplit(address).path.startswith(previews), address


@pytest.mark.parametrize("count", [1, 12])
def test_sitemap_query_count_is_fixed(
    client,
    django_assert_num_queries,
    django_assert_max_num_queries,
    make_relationship,
    make_office,
    count,
):
    for n in range(count):
        relationship = make_relationship(code=f"Q{chr(65 + n)}")
        make_office(relationship)
        make_office(relationship)
    with django_assert_num_queries(INDEX_QUERIES):
        sections = read_index(client)
    urls = 0
    for section in sections:
        with django_assert_max_num_queries(SECTION_QUERIES):
            response = client.get(section)
        urls += response.content.count(b"<url>")
    assert urls == 2 * (2 + 3 * count)


def robots_lines(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return [line for line in response.content.decode().splitlines() if line]


def test_robots_points_at_the_sitemap_and_away_from_admin_and_previews(client, db):
    lines = robots_lines(client)
    assert lines[0] == "User-agent: *"
    assert f"Sitemap: {SERVER}/sitemap.xml" in lines
    assert sorted(line for line in lines if line.startswith("Disallow:")) == [
        "Disallow: /en/admin/",
        "Disallow: /en/preview/",
        "Disallow: /en/search/",
        "Disallow: /fr/admin/",
        "Disallow: /fr/apercu/",
        "Disallow: /fr/recherche/",
    ]


@pytest.mark.urls(__name__)
@override_settings(ADMIN_PATH="gestion")
def test_robots_does_not_give_away_a_moved_admin(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "gestion" not in body
    assert "/admin/" not in body
    assert "Disallow: /en/preview/" in body


def metadata(soup):
    """Return the page's metadata tags, each key found exactly once."""
    tags = {}
    for tag in soup.head.find_all("meta"):
        key = tag.get("property") or tag.get("name")
        if key is None:
            continue
        assert key not in tags, key
        tags[key] = tag["content"]
    return tags


SITE_NAME = {"en": "Global Affairs Canada", "fr": "Affaires mondiales Canada"}
PAGES = [
    ("/en/", "en"),
    ("/fr/", "fr"),
    ("/en/relations/united-states/", "en"),
    ("/fr/relations/etats-unis/", "fr"),
]


@pytest.mark.parametrize(("url", "language"), PAGES)
def test_page_shares_its_canonical_title_and_description(client, demo, url, language):
    soup = html(client.get(url))
    meta = metadata(soup)
    (canonical,) = soup.select('link[rel="canonical"]')
    assert canonical["href"] == meta["og:url"] == SERVER + url
    assert meta["og:type"] == "website"
    assert meta["og:site_name"] == SITE_NAME[language]
    assert meta["og:locale"] == f"{language}_CA"
    assert meta["og:locale:alternate"] == ("fr_CA" if language == "en" else "en_CA")
    assert meta["twitter:card"] == "summary"
    assert meta["og:title"] == meta["twitter:title"] == meta["dcterms.title"]
    assert meta["og:title"] in soup.title.string
    assert meta["description"]
    assert meta["og:description"] == meta["twitter:description"]
    assert meta["og:description"] == meta["description"]
    assert "robots" not in meta


@pytest.mark.parametrize("language", ["en", "fr"])
def test_relationship_page_is_described_by_its_summary_in_its_language(
    client, demo, language
):
    with translation.override(language):
        url, title, summary = demo.get_absolute_url(), demo.title, demo.summary
    meta = metadata(html(client.get(url)))
    assert meta["description"] == summary
    assert meta["og:title"] == title


def test_home_page_description_is_in_the_page_language(client, demo):
    english = metadata(html(client.get("/en/")))
    french = metadata(html(client.get("/fr/")))
    assert english["og:title"] != french["og:title"]
    assert english["description"] != french["description"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_preview_stays_out_of_search_engines(admin_client, demo, language):
    with translation.override(language):
        url = demo.get_preview_url()
    response = admin_client.get(url)
    assert response.status_code == 200
    assert metadata(html(response))["robots"] == "noindex, nofollow"


@pytest.mark.parametrize("url", ["/en/no-such-page/", "/fr/aucune-page/"])
def test_not_found_page_claims_no_address_of_its_own(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    soup = html(response)
    assert not soup.select('link[rel="canonical"], link[rel="alternate"]')
    meta = metadata(soup)
    assert meta["robots"] == "noindex"
    assert "og:url" not in meta


def test_not_found_page_renders_without_a_request_or_an_object(db):
    soup = BeautifulSoup(render_to_string("404.html"), "html.parser")
    assert metadata(soup)["robots"] == "noindex"
    assert not soup.select('link[rel="canonical"]')


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/sitemap-nowhere.xml", 404),
        ("/sitemap-relationships.xml?p=2", 404),
        ("/sitemap-relationships.xml?p=x", 404),
        ("/sitemap-relationships.xml?p=1", 200),
    ],
)
def test_a_section_that_does_not_exist_is_not_found(client, demo, path, status):
    assert client.get(path).status_code == status


def test_the_index_names_every_section(client, demo):
    assert read_index(client) == [
        "/sitemap-pages.xml",
        "/sitemap-relationships.xml",
        "/sitemap-offices.xml",
    ]
