"""Every public page, in both languages, carries the Canada.ca page chrome."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import translation
from django.utils.timezone import localdate

from tests.support.pages import html

NBSP = "\u00a0"

# (English page, French page): each is the other's counterpart.
PAGE_PAIRS = [
    ("/en/", "/fr/"),
    ("/en/relations/united-states/", "/fr/relations/etats-unis/"),
    ("/en/search/", "/fr/recherche/"),
    ("/en/search/?q=canada", "/fr/recherche/?q=canada"),
    ("/en/offices/", "/fr/bureaux/"),
    (
        "/en/offices/embassy-of-canada-to-the-united-states/",
        "/fr/bureaux/ambassade-du-canada-aux-etats-unis/",
    ),
]
PAGES = [(en, "en", fr) for en, fr in PAGE_PAIRS] + [
    (fr, "fr", en) for en, fr in PAGE_PAIRS
]
page_ids = [url for url, _, _ in PAGES]


@pytest.fixture
def page(client, demo):
    def get(url):
        response = client.get(url)
        assert response.status_code == 200, url
        return response, html(response)

    return get


def path_of(url):
    return url.split("?")[0]


@pytest.mark.parametrize(("url", "language", "counterpart"), PAGES, ids=page_ids)
class TestPageChrome:
    def test_html_lang_is_the_url_language(self, page, url, language, counterpart):
        _, soup = page(url)
        assert soup.html["lang"] == language

    def test_exactly_one_h1(self, page, url, language, counterpart):
        _, soup = page(url)
        assert len(soup.find_all("h1")) == 1

    def test_title_is_short(self, page, url, language, counterpart):
        _, soup = page(url)
        assert 0 < len(soup.title.string) <= 60

    def test_language_toggle_links_to_the_counterpart(
        self, page, url, language, counterpart
    ):
        _, soup = page(url)
        other = "fr" if language == "en" else "en"
        (link,) = soup.select("#wb-lng a")
        assert link["href"] == counterpart
        assert link["lang"] == other
        assert link["hreflang"] == other
        assert link["translate"] == "no"
        assert link.get_text(strip=True) == {"en": "English", "fr": "Français"}[other]

    def test_language_toggle_target_answers_and_links_back(
        self, client, page, url, language, counterpart
    ):
        _, soup = page(url)
        target = soup.select_one("#wb-lng a")["href"]
        response = client.get(target)
        assert response.status_code == 200
        back = html(response).select_one("#wb-lng a")["href"]
        assert path_of(back) == path_of(url)

    def test_toggle_keeps_the_query_string(self, page, url, language, counterpart):
        _, soup = page(url)
        href = soup.select_one("#wb-lng a")["href"]
        assert href.partition("?")[2] == url.partition("?")[2]

    def test_canonical_is_this_page_without_query(
        self, page, url, language, counterpart
    ):
        _, soup = page(url)
        canonical = soup.select_one('link[rel="canonical"]')["href"]
        assert canonical == f"http://testserver{path_of(url)}"

    def test_hreflang_pair_points_at_both_versions(
        self, page, url, language, counterpart
    ):
        _, soup = page(url)
        alternates = {
            link["hreflang"]: link["href"]
            for link in soup.select('link[rel="alternate"][hreflang]')
        }
        expected = {
            language: path_of(url),
            ("fr" if language == "en" else "en"): (path_of(counterpart)),
        }
        assert alternates == {
            code: f"http://testserver{path}" for code, path in expected.items()
        }

    def test_date_modified_in_page_details(
        self, page, demo, url, language, counterpart
    ):
        _, soup = page(url)
        details = soup.select_one("#wb-dtmd")
        label = {"en": "Date modified:", "fr": f"Date de modification{NBSP}:"}[language]
        assert details.dt.get_text(strip=True) == label
        time = details.select_one("dd time")
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", time.get_text())
        assert time["datetime"] == time.get_text()
        demo.refresh_from_db()
        assert time.get_text() == localdate(demo.content_modified_at).isoformat()

    def test_dcterms_metadata(self, page, url, language, counterpart):
        _, soup = page(url)

        def meta(name):
            tag = soup.find("meta", attrs={"name": name})
            assert tag is not None, name
            return tag["content"]

        assert meta("dcterms.title") in soup.title.string
        assert meta("dcterms.language") == {"en": "eng", "fr": "fra"}[language]
        assert meta("dcterms.creator").startswith(
            {"en": "Government of Canada", "fr": "Gouvernement du Canada"}[language]
        )
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta("dcterms.issued"))
        assert meta("dcterms.modified") == soup.select_one("#wb-dtmd time").get_text()
        assert meta("dcterms.subject")
        assert meta("description")

    def test_skip_link_is_the_first_focusable_element(
        self, page, url, language, counterpart
    ):
        _, soup = page(url)
        first = soup.body.find(["a", "button", "input", "select", "textarea"])
        assert first["href"] == "#wb-cont"
        assert (
            first.get_text(strip=True)
            == {
                "en": "Skip to main content",
                "fr": "Passer au contenu principal",
            }[language]
        )
        assert soup.find(id="wb-cont").name == "main"

    def test_signature_links_to_this_language_home(
        self, page, url, language, counterpart
    ):
        _, soup = page(url)
        link = soup.select_one(".brand a")
        assert link["href"] == f"/{language}/"
        assert (
            link.img["alt"]
            == {
                "en": "Government of Canada",
                "fr": "Gouvernement du Canada",
            }[language]
        )

    def test_search_box_submits_to_this_language_search(
        self, page, url, language, counterpart
    ):
        _, soup = page(url)
        form = soup.select_one("#wb-srch form")
        assert form["action"] == {"en": "/en/search/", "fr": "/fr/recherche/"}[language]
        assert form["method"] == "get"
        field = form.select_one("input[name=q]")
        assert field["maxlength"] == "170"
        assert soup.select_one(f'label[for="{field["id"]}"]')
        assert (
            soup.select_one("#wb-srch h2.wb-inv").get_text()
            == {
                "en": "Search",
                "fr": "Recherche",
            }[language]
        )

    def test_footer_in_the_page_language(self, page, url, language, counterpart):
        _, soup = page(url)
        footer = soup.select_one("footer#wb-info").get_text(" ", strip=True)
        for text in {
            "en": ["Terms and conditions", "Privacy", "Government of Canada"],
            "fr": ["Avis", "Confidentialité", "Gouvernement du Canada"],
        }[language]:
            assert text in footer

    def test_breadcrumbs_start_at_canada_ca(self, page, url, language, counterpart):
        _, soup = page(url)
        crumbs = soup.select("#wb-bc ol li a")
        assert crumbs[0].get_text() == "Canada.ca"
        assert crumbs[0]["href"] == f"https://www.canada.ca/{language}.html"
        assert (
            soup.select_one("#wb-bc h2").get_text()
            == {
                "en": "You are here:",
                "fr": f"Vous êtes ici{NBSP}:",
            }[language]
        )
        # The current page is never a crumb.
        assert path_of(url) not in [a["href"] for a in crumbs]

    def test_no_per_visitor_state(self, page, url, language, counterpart):
        response, soup = page(url)
        assert "Set-Cookie" not in response.headers
        assert "Cookie" not in response.headers.get("Vary", "")
        assert not soup.select("input[name=csrfmiddlewaretoken]")

    def test_assets_are_local(self, page, url, language, counterpart):
        _, soup = page(url)
        for tag, attribute in [("link", "href"), ("script", "src"), ("img", "src")]:
            for element in soup.find_all(tag):
                value = element.get(attribute, "")
                if tag == "link" and element.get("rel") != ["stylesheet"]:
                    continue
                assert not value.startswith(("http:", "https:", "//")), value


FRENCH_PAGES = [fr for _, fr in PAGE_PAIRS]
ENGLISH_INTERFACE_TEXT = [
    "Skip to main content",
    "Date modified",
    "Language selection",
    "You are here",
    "Terms and conditions",
    "Canada’s areas of action",
    "Government of Canada",
    "Search this site",
]


@pytest.mark.parametrize("url", FRENCH_PAGES)
def test_french_pages_show_no_english_interface_text(page, url):
    _, soup = page(url)
    for passage in soup.select('[lang="en"]'):
        passage.decompose()
    text = soup.body.get_text(" ")
    for english in ENGLISH_INTERFACE_TEXT:
        assert english not in text, english


def test_breadcrumbs_of_the_relationship_page_lead_home(page):
    _, soup = page("/fr/relations/etats-unis/")
    crumbs = [(a.get_text(), a["href"]) for a in soup.select("#wb-bc ol li a")]
    assert crumbs == [
        ("Canada.ca", "https://www.canada.ca/fr.html"),
        ("Relations bilatérales du Canada", "/fr/"),
    ]


def index_names(soup):
    return [a.get_text() for a in soup.select(".index-group .country-list a")]


def test_home_lists_published_relationships_only(client, demo, make_relationship):
    make_relationship(code="MX", status="draft")
    soup = html(client.get("/fr/"))
    assert index_names(soup) == ["États-Unis"]
    assert soup.select_one(".country-list a")["href"] == "/fr/relations/etats-unis/"


FRENCH_E = [
    ("AE", "United Arab Emirates", "Émirats arabes unis"),
    ("EC", "Ecuador", "Équateur"),
    ("EG", "Egypt", "Égypte"),
    ("ER", "Eritrea", "Érythrée"),
    ("ES", "Spain", "Espagne"),
]


@pytest.fixture
def e_countries(demo, make_relationship):
    for code, english, french in FRENCH_E:
        make_relationship(
            code=code,
            partner_name_en=english,
            partner_name_fr=french,
            slug_en=english.lower().replace(" ", "-"),
            slug_fr=code.lower(),
        )
    make_relationship(code="DZ", partner_name_en="Algeria", partner_name_fr="Algérie")


def test_the_index_sorts_as_french_does_and_files_e_acute_under_e(client, e_countries):
    soup = html(client.get("/fr/"))
    assert index_names(soup) == [
        "Algérie",
        "Égypte",
        "Émirats arabes unis",
        "Équateur",
        "Érythrée",
        "Espagne",
        "États-Unis",
    ]
    e_section = soup.select_one("#letter-e").find_parent("section")
    assert [a.get_text() for a in e_section.select("li a")][0] == "Égypte"
    english = index_names(html(client.get("/en/")))
    assert english == [
        "Algeria",
        "Ecuador",
        "Egypt",
        "Eritrea",
        "Spain",
        "United Arab Emirates",
        "United States",
    ]


def test_the_index_links_each_letter_that_has_a_country(client, e_countries):
    soup = html(client.get("/fr/"))
    letters = soup.select(".az-index li")
    assert [li.get_text(strip=True)[0] for li in letters][:26] == [
        chr(c) for c in range(ord("A"), ord("Z") + 1)
    ]
    linked = [a.get_text() for a in soup.select(".az-index a")]
    assert linked == ["A", "E"]
    for a in soup.select(".az-index a"):
        assert soup.select_one(a["href"])


def test_the_index_by_region(client, e_countries, make_relationship):
    make_relationship(code="MX", slug_en="mx", slug_fr="mx-fr")
    soup = html(client.get("/fr/?by=region"))
    groups = {
        section.h2.get_text(): [a.get_text() for a in section.select("li a")]
        for section in soup.select(".index-group")
    }
    assert groups["Amériques"] == ["Équateur", "États-Unis", "Mexique"]
    assert groups["Moyen-Orient et Afrique du Nord"] == [
        "Algérie",
        "Égypte",
        "Émirats arabes unis",
    ]
    assert groups["Europe"] == ["Espagne"]
    assert list(groups)[0] == "Afrique subsaharienne"
    # Each group is named by its own heading.
    ids = [section["aria-labelledby"] for section in soup.select(".index-group")]
    assert len(set(ids)) == len(ids) and all(ids)
    for section in soup.select(".index-group"):
        assert section.h2["id"] == section["aria-labelledby"]
    assert soup.select_one('.index-views a[aria-current="page"]').get_text() == (
        "Par région"
    )
    assert soup.select_one("#wb-lng a")["href"] == "/en/?by=region"


def test_an_unknown_view_of_the_index_is_not_found(client, demo):
    assert client.get("/en/?by=continent").status_code == 404


def test_the_index_costs_the_same_queries_for_two_or_twenty_countries(
    client, demo, make_relationship, django_assert_max_num_queries
):
    def count(url):
        from django.core.cache import caches

        for alias in ("default", "pages"):
            caches[alias].clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    few = count("/fr/?by=region")
    for n in range(18):
        make_relationship(code=f"Q{chr(65 + n)}", slug_en=f"q{n}", slug_fr=f"q{n}-fr")
    assert count("/fr/?by=region") == few
    assert count("/fr/") == few


def test_splash_page_offers_both_languages(client, db):
    response = client.get("/")
    assert response.status_code == 200
    soup = html(response)
    assert soup.html["lang"] == "en"
    links = {a["hreflang"]: (a["href"], a.get_text()) for a in soup.select(".btn")}
    assert links == {"en": ("/en/", "English"), "fr": ("/fr/", "Français")}
    french = soup.select_one('section[lang="fr"]')
    assert "Relations bilatérales du Canada" in french.get_text()
    assert "Avis" in french.get_text()
    assert len(soup.find_all("h1")) == 1
    assert not soup.select("#wb-bc")
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/en/", "relations:home"),
        ("/fr/recherche/", "relations:search"),
        ("/fr/relations/etats-unis/", "relations:relationship_detail"),
    ],
)
def test_urls_are_lowercase_ascii_in_their_language(url, name):
    assert url.isascii() and url == url.lower()
    with translation.override(url[1:3]):
        assert resolve(url).view_name == name


def test_home_copes_with_a_page_published_by_a_bulk_update(
    client, demo, make_relationship
):
    draft = make_relationship(code="MX", status="draft")
    type(draft).objects.filter(pk=draft.pk).update(status="published")
    for url in ("/en/", "/fr/recherche/?q=mexique"):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Office directory", "Office directory - Global Affairs Canada"),
        (
            "Embassy of Canada to the United States",
            "Embassy of Canada to the United States",
        ),
        (
            "Consulate General of the United States in Québec City, Province of Quebec",
            "Consulate General of the United States in Québec City…",
        ),
    ],
)
def test_a_long_title_is_cut_as_canada_ca_asks(title, expected):
    from relations.templatetags.gcweb import page_title

    with translation.override("en"):
        assert page_title(title) == expected
    assert len(expected) <= 60


def test_a_name_starting_with_a_ligature_is_filed_under_its_letter():
    from relations.views import alphabetical

    assert alphabetical("Œuvre")[0] == "o"
    assert alphabetical("Ærø")[:3] == "aer"
