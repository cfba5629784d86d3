"""Site search: published content only, in the page's language, ranked, with
marked snippets and pages; full-text search on PostgreSQL, a simpler match on
SQLite. The suite runs on both; tests for one backend skip on the other."""

import io
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from consulates.search import OFFICES
from relations.search import (
    RELATIONSHIPS,
    TOPICS,
    FullTextSearch,
    excerpt,
    marked,
)
from tests.support.pages import html

POSTGRESQL = connection.vendor == "postgresql"
postgresql_only = pytest.mark.skipif(
    not POSTGRESQL, reason="full-text search runs on PostgreSQL only"
)
sqlite_only = pytest.mark.skipif(
    POSTGRESQL, reason="PostgreSQL stems words instead of matching word starts"
)

SEARCH = {"en": "/en/search/", "fr": "/fr/recherche/"}


def search(client, language="en", **params):
    response = client.get(SEARCH[language], params)
    assert response.status_code == 200
    return html(response)


def titles(soup):
    return [a.get_text() for a in soup.select(".search-results h3 a")]


def result_titles(client, language="en", **params):
    return titles(search(client, language, **params))


def snippets(soup):
    return [p.decode_contents() for p in soup.select(".search-results .search-snippet")]


def html_text(fragment):
    return re.sub(r"<[^>]+>", "", fragment)


@pytest.fixture
def mexico(make_relationship):
    return make_relationship(code="MX", slug_en="mexico", slug_fr="mexique")


# What is found, in which language


def test_finds_areas_of_action_in_the_page_language(client, demo):
    assert "Trade relationship" in result_titles(client, "en", q="trade")
    assert "Relation commerciale" in result_titles(client, "fr", q="commerce")


def test_a_french_query_on_the_english_page_finds_no_french_text(client, demo):
    assert result_titles(client, "en", q="Feuille de route") == []
    assert "Relation bilatérale" in result_titles(client, "fr", q="Feuille de route")


def test_a_word_in_only_one_language_is_found_only_in_that_language(
    client, mexico, make_topic
):
    make_topic(
        mexico,
        title_en="Agriculture",
        title_fr="Agriculture",
        body_en="<p>Fruit growers meet each spring.</p>",
        body_fr="<p>Les producteurs de pamplemousse se réunissent.</p>",
    )
    assert result_titles(client, "en", q="pamplemousse") == []
    assert result_titles(client, "fr", q="pamplemousse") == ["Agriculture"]
    assert result_titles(client, "fr", q="growers") == []


def test_offices_are_found_by_city(client, demo):
    titles_found = result_titles(client, "fr", q="Montréal")
    assert "Consulat général des États-Unis à Montréal" in titles_found


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("name", "Embassy of Zanzibar"),
        ("address", "12 Zanzibar Street"),
        ("services", "Passport services\nZanzibar visas"),
        ("notes", "Closed on Zanzibar day."),
    ],
)
def test_offices_are_found_by_every_directory_field(
    client, mexico, make_office, field, text
):
    office = make_office(mexico, **{f"{field}_en": text, f"{field}_fr": "Rien"})
    assert result_titles(client, "en", q="zanzibar") == [office.name_en]


def test_relationships_are_found_by_partner_name_title_and_summary(
    client, make_relationship
):
    make_relationship(
        code="PE",
        partner_name_en="Peru",
        title_en="Canada-Peru relations",
        summary_en="Andean mining and quinoa.",
    )
    for word in ("peru", "relations", "quinoa"):
        assert result_titles(client, "en", q=word) == ["Canada-Peru relations"]


def test_each_result_links_to_where_the_text_is(
    client, mexico, make_topic, make_office
):
    topic = make_topic(mexico, title_en="Zebra crossings", anchor_en="zebras")
    office = make_office(mexico, name_en="Zebra office", slug_en="zebra-office")
    soup = search(client, "en", q="zebra")
    links = {a.get_text(): a["href"] for a in soup.select(".search-results h3 a")}
    with translation.override("en"):
        assert links == {
            topic.title_en: f"{mexico.get_absolute_url()}#zebras",
            office.name_en: office.get_absolute_url(),
        }
    assert links[topic.title_en] == "/en/relations/mexico/#zebras"
    # An area of action names the page it is part of; an office says what it
    # is and where.
    contexts = {
        li.h3.get_text(strip=True): li.select_one(".search-context").get_text()
        for li in soup.select(".search-results > li")
    }
    assert contexts == {
        topic.title_en: mexico.title_en,
        office.name_en: "Embassy, Ottawa",
    }


# Only published content


def test_unpublished_content_is_never_found(client, demo):
    demo.status = "draft"
    demo.save()
    assert result_titles(client, "en", q="trade") == []
    assert result_titles(client, "en", q="Montreal") == []


def test_offices_and_topics_of_an_unpublished_relationship_are_not_found(
    client, make_relationship, make_topic, make_office
):
    hidden = make_relationship(code="CL", status="draft", title_en="Zircon relations")
    make_topic(hidden, title_en="Zircon mining")
    make_office(hidden, name_en="Zircon embassy")
    assert result_titles(client, "en", q="zircon") == []


def test_archived_content_is_found_and_labelled_archived(
    client, make_relationship, make_topic, make_office, mexico
):
    archived = make_relationship(
        code="CL", status="archived", title_en="Zircon relations"
    )
    make_topic(archived, title_en="Zircon mining")
    make_office(mexico, name_en="Zircon archived office", status="archived")
    make_office(mexico, name_en="Zircon open office")
    found = search(client, "en", q="zircon")
    labelled = {
        item.find("a").get_text(): item.find(class_="label-archived") is not None
        for item in found.select(".search-results h3")
    }
    assert labelled == {
        "Zircon relations": True,
        "Zircon mining": True,
        "Zircon archived office": True,
        "Zircon open office": False,
    }


def test_an_unpublished_or_scheduled_office_is_not_found(client, mexico, make_office):
    make_office(mexico, name_en="Zircon draft office", status="draft")
    make_office(
        mexico,
        name_en="Zircon future office",
        publish_at=timezone.now() + timedelta(days=1),
    )
    make_office(
        mexico,
        name_en="Zircon past office",
        unpublish_at=timezone.now() - timedelta(days=1),
    )
    make_office(mexico, name_en="Zircon open office")
    assert result_titles(client, "en", q="zircon") == ["Zircon open office"]


def test_a_relationship_scheduled_for_later_is_not_found(
    client, make_relationship, make_topic
):
    later = make_relationship(
        code="CL", title_en="Zircon", publish_at=timezone.now() + timedelta(days=1)
    )
    make_topic(later, title_en="Zircon topic")
    assert result_titles(client, "en", q="zircon") == []


# Matching and ranking


def test_a_title_match_ranks_above_a_body_match(client, mexico, make_topic):
    make_topic(mexico, title_en="Energy", body_en="<p>Hydro and zephyr power.</p>")
    make_topic(mexico, title_en="Zephyr winds", body_en="<p>Wind.</p>")
    assert result_titles(client, "en", q="zephyr") == ["Zephyr winds", "Energy"]


def test_an_office_name_ranks_above_its_notes(client, mexico, make_office):
    make_office(mexico, name_en="Embassy", notes_en="Near the zephyr tower.")
    make_office(mexico, name_en="Zephyr consulate")
    assert result_titles(client, "en", q="zephyr") == ["Zephyr consulate", "Embassy"]


def test_every_word_of_the_query_must_match(client, mexico, make_topic):
    make_topic(mexico, title_en="Zephyr winds", body_en="<p>Cold air.</p>")
    make_topic(mexico, title_en="Zephyr rain", body_en="<p>Warm water.</p>")
    assert result_titles(client, "en", q="zephyr warm") == ["Zephyr rain"]


@pytest.mark.parametrize(
    ("language", "query", "expected"),
    [
        ("fr", "etats-unis", "Relations Canada–États-Unis"),
        ("fr", "ÉTATS-UNIS", "Relations Canada–États-Unis"),
        ("en", "montreal", "Consulate General of the United States in Montréal"),
        ("en", "MONTRÉAL", "Consulate General of the United States in Montréal"),
    ],
)
def test_accents_and_case_are_ignored(client, demo, language, query, expected):
    assert expected in result_titles(client, language, q=query)


def test_an_accented_query_finds_unaccented_text(client, mexico, make_office):
    make_office(mexico, name_en="Quebec City office", city="Quebec City")
    assert result_titles(client, "en", q="Québec") == ["Quebec City office"]


def test_a_word_finds_longer_forms_of_it(client, mexico, make_topic):
    make_topic(mexico, title_en="Pacts", body_en="<p>Several agreements.</p>")
    assert result_titles(client, "en", q="agreement") == ["Pacts"]


@postgresql_only
def test_stemming_finds_other_forms_of_a_word(client, mexico, make_topic):
    make_topic(mexico, title_en="Pact", body_en="<p>One agreement, renewed.</p>")
    make_topic(
        mexico,
        title_en="Pacte",
        title_fr="Pacte",
        body_fr="<p>Les accords commerciaux.</p>",
    )
    assert result_titles(client, "en", q="agreements") == ["Pact"]
    assert result_titles(client, "en", q="renewing") == ["Pact"]
    assert result_titles(client, "fr", q="accord commercial") == ["Pacte"]


@pytest.mark.parametrize(
    ("language", "query"), [("en", "the and of"), ("en", "a"), ("fr", "le la les de")]
)
def test_common_words_alone_find_nothing(client, demo, language, query):
    assert result_titles(client, language, q=query) == []


def test_a_common_word_beside_another_is_left_out(client, demo):
    assert result_titles(client, "en", q="the NATO") == result_titles(
        client, "en", q="NATO"
    )


@pytest.mark.parametrize(
    ("language", "query", "title", "url"),
    [
        (
            "en",
            "NATO",
            "North Atlantic Treaty Organization (NATO)",
            "/en/relations/united-states/#partners-and-organizations",
        ),
        (
            "en",
            "CUSMA",
            "Canada-United States-Mexico Agreement (CUSMA)",
            "/en/relations/united-states/#trade-and-investment-agreements",
        ),
        (
            "en",
            "G7",
            "G7",
            "/en/relations/united-states/#partners-and-organizations",
        ),
        (
            "fr",
            "OTAN",
            "Organisation du Traité de l’Atlantique Nord (OTAN)",
            "/fr/relations/etats-unis/#partenaires-et-organisations",
        ),
        (
            "fr",
            "ACEUM",
            "Accord Canada–États-Unis–Mexique (ACEUM)",
            "/fr/relations/etats-unis/#accords-de-commerce-et-d-investissement",
        ),
    ],
)
def test_agreements_and_organizations_a_page_lists_are_found(
    client, demo, language, query, title, url
):
    soup = search(client, language, q=query)
    links = {a.get_text(): a["href"] for a in soup.select(".search-results h3 a")}
    assert links[title] == url
    context = soup.select_one(".search-results > li").select_one(".search-context")
    assert context.get_text() == getattr(demo, f"title_{language}")


def test_an_item_the_page_no_longer_lists_is_not_found(client, demo):
    demo.topics.filter(listing="agreements").delete()
    assert "Canada-United States-Mexico Agreement (CUSMA)" not in result_titles(
        client, "en", q="CUSMA"
    )


def test_an_item_on_no_published_page_is_not_found(client, demo):
    demo.status = "draft"
    demo.save()
    assert result_titles(client, "en", q="NATO") == []


def test_a_renamed_organization_is_found_by_its_new_name(client, demo):
    from relations.models import Organization

    nato = Organization.objects.get(name_en__contains="NATO")
    nato.name_en = "North Atlantic Alliance (NATO)"
    nato.save()
    assert result_titles(client, "en", q="alliance") == [
        "North Atlantic Alliance (NATO)"
    ]


def test_snippets_keep_list_items_apart(client, mexico, make_topic):
    make_topic(
        mexico,
        title_en="Security",
        body_en="<p>Both countries:</p><ul><li>address threats early</li>"
        "<li>facilitate trade</li></ul>",
    )
    (snippet,) = search(client, "en", q="threats").select(".search-snippet")
    assert "early · facilitate" in snippet.get_text()
    assert "early facilitate" not in snippet.get_text()


@sqlite_only
def test_sqlite_matches_words_from_their_start(client, mexico, make_topic):
    make_topic(mexico, title_en="Borders", body_en="<p>Long borders.</p>")
    assert result_titles(client, "en", q="order") == []
    assert result_titles(client, "en", q="border") == ["Borders"]


# Snippets


def test_the_snippet_marks_the_matched_words(client, mexico, make_topic):
    make_topic(
        mexico,
        title_en="Energy",
        body_en="<p>Canada and Mexico trade <strong>hydroelectric</strong> power.</p>",
    )
    soup = search(client, "en", q="hydroelectric")
    (snippet,) = soup.select(".search-snippet")
    assert [mark.get_text() for mark in snippet.select("mark")] == ["hydroelectric"]
    # The body's own markup is not carried into the snippet.
    assert not snippet.select("strong")
    assert "trade hydroelectric power" in snippet.get_text()


def test_the_snippet_marks_accented_words_found_without_accents(client, demo):
    soup = search(client, "fr", q="etats-unis")
    marks = {mark.get_text() for mark in soup.select(".search-snippet mark")}
    assert "États" in marks


def test_the_snippet_of_a_long_body_shows_the_part_that_matches(
    client, mexico, make_topic
):
    filler = " ".join(["Lorem ipsum dolor sit amet."] * 40)
    make_topic(
        mexico,
        title_en="Long",
        body_en=f"<p>{filler}</p><p>The quetzal nests here.</p><p>{filler}</p>",
    )
    (snippet,) = snippets(search(client, "en", q="quetzal"))
    assert "<mark>quetzal</mark>" in snippet
    assert len(html_text(snippet)) < 400


def test_text_in_a_snippet_is_escaped(client, mexico, make_topic, make_office):
    make_topic(
        mexico,
        title_en="Markup",
        body_en="<p>Type &lt;script&gt;alert(1)&lt;/script&gt; in the xylophone.</p>",
    )
    make_office(mexico, name_en="Xylophone office", notes_en="<b>xylophone</b> & co")
    soup = search(client, "en", q="xylophone")
    assert not soup.select(".search-results script, .search-results b")
    texts = [p.get_text() for p in soup.select(".search-snippet")]
    assert any("<script>alert(1)</script>" in text for text in texts)
    # PostgreSQL's snippets leave out what looks like a tag in plain text.
    assert any(re.search(r"xylophone(</b>)? & co", text) for text in texts)


def test_marked_escapes_before_marking():
    text = "a <b>\ue000x & y\ue001</b> \ue001 stray"
    assert marked(text) == "a &lt;b&gt;<mark>x &amp; y</mark>&lt;/b&gt;  stray"


def test_excerpt_marks_every_word_that_starts_with_a_query_word():
    text = "Les États-Unis et les étatistes; l’état."
    assert excerpt(text, ["etat"]) == (
        "Les \ue000État\ue001s-Unis et les \ue000état\ue001istes; l’\ue000état\ue001."
    )


# Pages


@pytest.fixture
def many_results(mexico, make_topic):
    for n in range(25):
        make_topic(
            mexico,
            title_en=f"Quokka {n:02}",
            title_fr=f"Quokka {n:02}",
            body_en="<p>Marsupial.</p>",
        )


def page_links(soup):
    nav = soup.select_one("nav.search-pages")
    return nav, {a.get_text(): a["href"] for a in nav.select("a")}


def test_results_come_ten_a_page(client, many_results):
    soup = search(client, "en", q="quokka")
    assert len(titles(soup)) == 10
    assert soup.select_one("#results-title").get_text(" ", strip=True) == (
        "25 results for “quokka”"
    )
    assert soup.select_one(".search-results")["start"] == "1"
    nav, links = page_links(soup)
    assert nav["aria-label"] == "Search results pages"
    assert links == {
        "1": "?q=quokka&page=1",
        "2": "?q=quokka&page=2",
        "3": "?q=quokka&page=3",
        "Next": "?q=quokka&page=2",
    }
    assert nav.select_one('[aria-current="page"]').get_text() == "1"


def test_the_last_page_holds_the_rest(client, many_results):
    first = titles(search(client, "en", q="quokka", page=1))
    second = titles(search(client, "en", q="quokka", page=2))
    soup = search(client, "en", q="quokka", page=3)
    third = titles(soup)
    assert len(third) == 5
    assert sorted(first + second + third) == [f"Quokka {n:02}" for n in range(25)]
    assert soup.select_one(".search-results")["start"] == "21"
    assert soup.select_one(".search-range").get_text(strip=True) == (
        "Showing results 21 to 25."
    )
    nav, links = page_links(soup)
    assert "Next" not in links
    assert links["Previous"] == "?q=quokka&page=2"
    assert nav.select_one('[aria-current="page"]').get_text() == "3"


@pytest.mark.parametrize(
    ("page", "shown"),
    [
        ("99", "3"),
        ("99999999999999999999999999", "3"),
        ("abc", "1"),
        ("0", "1"),
        ("-2", "1"),
        ("1.5", "1"),
        ("", "1"),
        ("%00", "1"),
    ],
)
def test_a_page_out_of_range_or_not_a_number_gives_a_page(
    client, many_results, page, shown
):
    soup = search(client, "en", q="quokka", page=page)
    nav, _ = page_links(soup)
    assert nav.select_one('[aria-current="page"]').get_text() == shown
    assert titles(soup)


def test_the_page_links_keep_an_unusual_query(client, mexico, make_topic):
    for n in range(11):
        make_topic(mexico, title_en=f"R&D {n}", body_en="<p>Research.</p>")
    soup = search(client, "en", q="r&d")
    _, links = page_links(soup)
    assert links["2"] == "?q=r%26d&page=2"
    assert len(titles(search(client, "en", q="r&d", page=2))) == 1


def test_a_single_page_has_no_page_links(client, demo):
    soup = search(client, "en", q="Montreal")
    assert not soup.select("nav.search-pages")
    assert not soup.select(".search-range")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Nothing on this site matches your search."),
        ("fr", "Aucun contenu de ce site ne correspond"),
    ],
)
def test_no_match_says_so_in_the_page_language(client, demo, language, text):
    soup = search(client, language, q="zzzxxy")
    assert text in soup.text
    assert (
        soup.select_one("#results-title").get_text(" ", strip=True)
        == {
            "en": "0 results for “zzzxxy”",
            "fr": "0 résultat pour «\u00a0zzzxxy\u00a0»",
        }[language]
    )
    assert not soup.select(".search-results")


def test_the_results_page_is_in_french_on_french_pages(client, many_results):
    """Needs the French catalogue to hold the search page's new strings."""
    soup = search(client, "fr", q="quokka", page=2)
    nav, links = page_links(soup)
    assert nav["aria-label"] == "Pages de résultats de recherche"
    assert set(links) == {"Précédent", "1", "2", "3", "Suivant"}
    assert nav.select_one('[aria-current="page"]')["aria-label"] == "Page 2"
    assert soup.select_one(".search-range").get_text(strip=True) == (
        "Affichage des résultats 11 à 20."
    )


# The page itself


def test_an_empty_query_shows_the_form(client, demo):
    for query in ("", "   "):
        soup = search(client, "fr", q=query)
        assert soup.select_one("#search-q")
        assert not soup.select("#results-title")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_search_button_is_a_verb_in_each_language(client, demo, language):
    soup = search(client, language)
    button = soup.select_one(".search-page-row button").get_text()
    assert button == {"en": "Search", "fr": "Rechercher"}[language]


def test_the_query_stays_in_the_search_box(client, demo):
    soup = search(client, "en", q="  trade   agreements ")
    assert soup.select_one("#search-q")["value"] == "  trade   agreements "
    assert "“trade agreements”" in soup.select_one("#results-title").get_text()


# Bad input: a clear page, never a server error, nothing reflected unescaped


@pytest.mark.parametrize(
    ("language", "query", "message"),
    [
        ("en", "a" * 171, "Enter at most 170 characters to search for."),
        ("fr", "a" * 171, "Entrez au plus 170 caractères à rechercher."),
        ("en", "trade\x00", "Remove the control characters from your search."),
        ("en", "trade\x01", "Remove the control characters from your search."),
        ("en", "\x1b[31mtrade", "Remove the control characters from your search."),
        ("en", "trade\x7f", "Remove the control characters from your search."),
        ("fr", "\x08", "Retirez les caractères de contrôle de votre recherche."),
    ],
)
def test_bad_input_gets_a_400_with_the_error_in_the_page_language(
    client, demo, language, query, message
):
    response = client.get(SEARCH[language], {"q": query})
    assert response.status_code == 400
    soup = html(response)
    assert message in soup.select_one("#search-q-error").get_text()
    assert soup.select_one("#errors a")["href"] == "#search-q"
    assert not soup.select(".search-results")


def test_170_characters_are_accepted(client, demo):
    search(client, "en", q="trade " * 28 + "us")


def test_tabs_and_line_breaks_are_spaces(client, demo):
    assert "Trade relationship" in result_titles(client, "en", q="trade\trelationship")
    assert "Trade relationship" in result_titles(client, "en", q="trade\r\n")


@pytest.mark.parametrize(
    "query",
    [
        "%",
        "_",
        "%_",
        "100%",
        "'",
        '"',
        "\\",
        "\\'",
        '%_\\"',
        "' OR 1=1 --",
        "'; DROP TABLE relations_topic; --",
        "<script>alert(1)</script>",
        "<b>bold</b>",
        "&|!():*",
        "trade & !canada",
        "trade:* | (canada <-> us)",
        "!!!",
        ":*",
        "-trade",
        '"unclosed phrase',
        "or",
        "\u202etrade",
        "😀 trade",
        "\ue000trade\ue001",
    ],
)
def test_unusual_queries_get_a_normal_page_with_the_query_escaped(client, demo, query):
    response = client.get(SEARCH["en"], {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    if len(query) > 3 and re.search(r"[<>&\"']", query):
        assert query not in body
    soup = html(response)
    assert soup.select_one("#search-q")["value"] == query
    assert f"“{query.strip()}”" in soup.select_one("#results-title").get_text()
    assert not soup.select("main script")


@pytest.mark.parametrize("query", ["%", "_", "%_", "\\"])
def test_like_wildcards_match_nothing(client, demo, query):
    assert result_titles(client, "en", q=query) == []


def test_quotes_and_backslashes_are_searched_as_text(client, demo):
    assert "Trade relationship" in result_titles(client, "en", q="'trade\\")


# Queries and indexes


def test_the_number_of_queries_does_not_grow_with_the_results(
    client, make_relationship, make_topic, make_office
):
    """Dates of the page, the ranked matches with their count, then one
    query for each kind of result shown: relationships, topics, offices."""
    page = make_relationship(code="NZ", title_en="Canada-Kiwi relations")

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            soup = search(client, "en", q="kiwi")
        assert len(titles(soup)) == min(total, 10)
        return len(queries)

    make_topic(page, title_en="Kiwi trade")
    make_office(page, name_en="Kiwi office")
    total = 3
    few = count_queries()
    for n in range(30):
        make_topic(page, title_en=f"Topic {n}", body_en="<p>A kiwi.</p>")
        make_office(page, name_en=f"Office {n}", notes_en="Kiwi")
    total = 63
    many = count_queries()
    # The content version (relations.cache), dates, ranked matches with their
    # count, then relationships, topics and offices of the page.
    assert few == many == 6


def explain(queryset):
    with connection.cursor() as cursor:
        # So the plan shows whether the index can be used at all: on a handful
        # of test rows, reading the table is cheaper and would be chosen.
        cursor.execute("SET LOCAL enable_seqscan = off")
    return queryset.explain(verbose=True)


@postgresql_only
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("source", "index"),
    [
        (TOPICS, "topic_search"),
        (RELATIONSHIPS, "relationship_search"),
        (OFFICES, "office_search"),
    ],
)
def test_matching_uses_the_full_text_index(demo, language, source, index):
    plan = explain(FullTextSearch("trade", language).match(source))
    assert f"Index Scan on {index}_{language}" in plan


@postgresql_only
def test_ranking_reads_the_stored_vector_of_areas_of_action(demo):
    plan = explain(FullTextSearch("trade", "en").match(TOPICS))
    assert "to_tsvector" not in plan
    assert "search_en" in plan


@postgresql_only
def test_an_area_of_action_vector_follows_its_text(mexico, make_topic):
    topic = make_topic(mexico, title_en="Before", body_en="<p>Nothing.</p>")
    matched = FullTextSearch("walrus", "en").match(TOPICS)
    assert not matched.exists()
    topic.body_en = "<p>A walrus.</p>"
    topic.save()
    assert list(matched.values_list("pk", flat=True)) == [topic.pk]


# SQLite's full-text index (FTS5)


@sqlite_only
def test_the_index_follows_saves_and_deletes(client, mexico, make_topic, make_office):
    topic = make_topic(mexico, title_en="Walruses", body_en="<p>Tusks.</p>")
    office = make_office(mexico, name_en="Narwhal office")
    assert result_titles(client, "en", q="walrus") == ["Walruses"]
    topic.title_en = "Seals"
    topic.save()
    assert result_titles(client, "en", q="walrus") == []
    assert result_titles(client, "en", q="seals") == ["Seals"]
    topic.delete()
    office.delete()
    assert result_titles(client, "en", q="seals") == []
    assert result_titles(client, "en", q="narwhal") == []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_document WHERE object_id IN (%s, %s)",
            [topic.pk or 0, office.pk or 0],
        )
        assert cursor.fetchone()[0] == 0


@sqlite_only
def test_a_bulk_load_is_found_once_the_index_is_rebuilt(client, mexico):
    from django.core.management import call_command

    from relations.models import Topic

    Topic.objects.bulk_create(
        [
            Topic(
                relationship=mexico,
                title_en=f"Manatee {n}",
                title_fr=f"Lamantin {n}",
                anchor_en=f"manatee-{n}",
                anchor_fr=f"lamantin-{n}",
                body_en="<p>Sea cows.</p>",
                body_fr="<p>Vaches marines.</p>",
            )
            for n in range(3)
        ]
    )
    assert result_titles(client, "en", q="manatee") == []
    out = io.StringIO()
    call_command("rebuild_search_index", stdout=out)
    assert "objects indexed" in out.getvalue()
    # Other words than before: the page asked before is in the page cache.
    assert len(result_titles(client, "en", q="manatee sea")) == 3
    assert len(result_titles(client, "fr", q="lamantin vaches")) == 3


@sqlite_only
@pytest.mark.parametrize(
    "query",
    [
        "NEAR(trade security)",
        "trade OR security",
        "{a_fr} : commerce",
        "a_fr:commerce",
        '"trade',
        "trade*",
        "^trade",
        "trade AND NOT security",
        "- + ( ) : *",
    ],
)
def test_fts5_syntax_in_a_query_is_only_text(client, demo, query):
    response = client.get(SEARCH["en"], {"q": query})
    assert response.status_code == 200


@sqlite_only
def test_a_french_word_is_not_found_on_english_pages_through_the_index(client, demo):
    assert result_titles(client, "fr", q="commerce")
    assert result_titles(client, "en", q="sécurité") == []


@sqlite_only
def test_sqlite_matching_uses_the_full_text_index(demo):
    from relations.search import IndexedSearch

    sql, params = IndexedSearch("trade security", "en").matches()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "VIRTUAL TABLE INDEX" in plan


def test_a_word_with_sharp_s_is_found_as_typed(client, mexico, make_office):
    make_office(mexico, name_en="Office on the Hauptstraße", city="Berlin")
    assert result_titles(client, "en", q="Hauptstraße") == ["Office on the Hauptstraße"]


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("Le cœur du sujet", "coeur"),
        ("Le coeur du sujet", "cœur"),
        ("ﬁnance", "finance"),
    ],
)
def test_ligatures_are_found_either_way(client, mexico, make_office, text, query):
    make_office(mexico, name_en=f"Office: {text}", city="Paris")
    assert result_titles(client, "en", q=query) == [f"Office: {text}"]
