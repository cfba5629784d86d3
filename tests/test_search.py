"""The basic search page: published content only, in the page's language."""

import pytest

from .conftest import html


def result_titles(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return [a.get_text() for a in html(response).select(".search-results h3 a")]


def test_finds_areas_of_action_in_the_page_language(client, demo):
    assert "Trade relationship" in result_titles(client, "/en/search/", q="trade")
    assert "Relation commerciale" in result_titles(
        client, "/fr/recherche/", q="commerce"
    )


def test_a_french_query_on_the_english_page_finds_no_french_text(client, demo):
    assert result_titles(client, "/en/search/", q="Feuille de route") == []
    assert "Relation bilatérale" in result_titles(
        client, "/fr/recherche/", q="Feuille de route"
    )


def test_offices_are_found_by_city(client, demo):
    titles = result_titles(client, "/fr/recherche/", q="Montréal")
    assert "Consulat général des États-Unis à Montréal" in titles


def test_unpublished_content_is_never_found(client, demo):
    demo.status = "draft"
    demo.save()
    assert result_titles(client, "/en/search/", q="trade") == []


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/en/search/?q=zzzxxy", "Nothing on this site matches your search."),
        ("/fr/recherche/?q=zzzxxy", "Aucun contenu de ce site ne correspond"),
    ],
)
def test_no_match_says_so_in_the_page_language(client, demo, url, text):
    response = client.get(url)
    assert text in html(response).text


def test_an_empty_query_shows_the_form(client, demo):
    soup = html(client.get("/fr/recherche/?q="))
    assert soup.select_one("#search-q")
    assert not soup.select(".search-results")


@pytest.mark.parametrize(
    ("url", "button"), [("/en/search/", "Search"), ("/fr/recherche/", "Rechercher")]
)
def test_the_search_button_is_a_verb_in_each_language(client, demo, url, button):
    soup = html(client.get(url))
    assert soup.select_one(".search-page-row button").get_text() == button
