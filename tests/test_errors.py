"""Unknown pages and bad input get a styled answer in the visitor's language."""

import pytest
from django.test import Client

from relations.views import RelationshipDetailView
from tests.support.pages import html

NOT_FOUND = {
    "en": "We couldn’t find that Web page (Error 404)",
    "fr": "Nous ne pouvons trouver cette page Web (Erreur 404)",
}


@pytest.mark.parametrize(
    ("url", "language"),
    [
        ("/en/no-such-page/", "en"),
        ("/fr/aucune-page/", "fr"),
        ("/en/relations/atlantis/", "en"),
        ("/fr/relations/atlantide/", "fr"),
        ("/fr/relations/united-states/", "fr"),  # the English slug on a French URL
        ("/en/relations/etats-unis/", "en"),
        ("/en/relations/%C3%A9tats-unis/", "en"),
        ("/fr/relations/" + "x" * 3000 + "/", "fr"),
    ],
)
def test_unknown_pages_answer_a_styled_404_in_the_url_language(
    client, demo, url, language
):
    response = client.get(url)
    assert response.status_code == 404
    soup = html(response)
    assert soup.html["lang"] == language
    assert soup.h1.get_text() == NOT_FOUND[language]
    assert len(soup.find_all("h1")) == 1
    other = "fr" if language == "en" else "en"
    (other_block,) = soup.select(f'main [lang="{other}"]')
    assert NOT_FOUND[other] in other_block.get_text()
    assert other_block.select_one("a")["href"] == f"/{other}/"
    assert soup.select_one('link[rel="stylesheet"]')
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert not soup.select("#wb-bc")  # no breadcrumbs on error pages
    assert soup.select_one("#wb-srch form")  # the search box helps visitors on


@pytest.mark.parametrize(
    ("url", "language"),
    [("/en/relations/mexico/", "en"), ("/fr/relations/mexique/", "fr")],
)
def test_unpublished_relationship_is_not_found(
    client, make_relationship, url, language
):
    make_relationship(status="draft", slug_en="mexico", slug_fr="mexique")
    response = client.get(url)
    assert response.status_code == 404
    assert html(response).h1.get_text() == NOT_FOUND[language]


def test_path_without_language_redirects_to_a_language(client, demo):
    response = client.get("/relations/united-states/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/en/relations/united-states/"


def test_server_error_page_is_bilingual_and_has_no_traceback(db, demo, monkeypatch):
    def explode(self, *args, **kwargs):
        raise RuntimeError("database exploded: secret detail")

    monkeypatch.setattr(RelationshipDetailView, "get_object", explode)
    response = Client(raise_request_exception=False).get("/fr/relations/etats-unis/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret detail" not in body
    assert "Traceback" not in body
    soup = html(response)
    assert "We’re having a problem with that page (Error 500)" in soup.text
    assert "Nous éprouvons des difficultés avec cette page (Erreur 500)" in (
        soup.select_one('section[lang="fr"]').text
    )
    assert soup.select_one('link[rel="stylesheet"]')


def test_bad_host_header_gets_a_bilingual_400(client, db):
    response = client.get("/en/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    text = html(response).text
    assert "The request could not be processed (Error 400)" in text
    assert "La demande n’a pas pu être traitée (Erreur 400)" in text


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/en/search/?q=" + "a" * 171, "Enter at most 170 characters to search for."),
        (
            "/fr/recherche/?q=" + "a" * 171,
            "Entrez au plus 170 caractères à rechercher.",
        ),
        ("/en/search/?q=trade%00", "Remove the control characters from your search."),
        (
            "/fr/recherche/?q=%00",
            "Retirez les caractères de contrôle de votre recherche.",
        ),
    ],
)
def test_bad_search_input_gets_a_400_in_the_page_language(client, demo, url, message):
    response = client.get(url)
    assert response.status_code == 400
    soup = html(response)
    assert message in soup.select_one("#search-q-error").get_text()
    assert soup.select_one("#search-q")["aria-invalid"] == "true"


@pytest.mark.parametrize(
    ("query", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
        ("' OR 1=1 --", "&#x27; OR 1=1 --"),
        ('%_\\"', "%_\\&quot;"),
    ],
)
def test_search_input_is_never_reflected_unescaped(client, demo, query, escaped):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert query not in body
    assert escaped in body
