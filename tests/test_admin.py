"""The admin works in both languages and loads nothing from a CDN."""

import pytest

from relations.models import Agreement
from tests.support.pages import admin_url, form_data, html

MODELS = [
    "relations_relationship",
    "relations_agreement",
    "relations_organization",
    "consulates_office",
]


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.ca", "pw")
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("model", MODELS)
def test_change_list_and_forms_open(editor_client, demo, model, language):
    for view in ("changelist", "add"):
        response = editor_client.get(admin_url(f"{model}_{view}", language))
        assert response.status_code == 200, (model, view)
        assert html(response).html["lang"] == language


@pytest.mark.parametrize("language", ["en", "fr"])
def test_relationship_form_has_both_languages_and_its_inlines(
    editor_client, demo, language
):
    response = editor_client.get(
        admin_url("relations_relationship_change", language, demo.pk)
    )
    assert response.status_code == 200
    soup = html(response)
    for field in ("title_en", "title_fr", "slug_en", "slug_fr"):
        assert soup.select_one(f'[name="{field}"]'), field
    assert soup.select_one('[name="topics-0-body_fr"]')
    assert soup.select_one('[name="agreement_links-0-agreement"]')
    assert soup.select_one('[name="organization_links-0-organization"]')
    scripts = [s["src"] for s in soup.select("script[src]")]
    assert any("vendor/jquery-ui-1.14.2/jquery-ui.min.js" in src for src in scripts)
    assert all(not src.startswith(("http:", "https:", "//")) for src in scripts)
    if language == "fr":
        assert "Domaines d’action" in soup.text or "domaines d’action" in soup.text


def test_a_new_agreement_may_be_saved_in_one_language_first(editor_client, db):
    url = admin_url("relations_agreement_add", "fr")
    response = editor_client.post(url, {"name_en": "Only English", "name_fr": ""})
    assert response.status_code == 302
    assert Agreement.objects.get().name_en == "Only English"


def test_an_agreement_on_a_published_page_keeps_both_languages(editor_client, demo):
    cusma = Agreement.objects.get(name_en__contains="CUSMA")
    url = admin_url("relations_agreement_change", "fr", cusma.pk)
    response = editor_client.post(
        url,
        {
            "name_en": "CUSMA",
            "name_fr": "",
            "url_en": cusma.url_en,
            "url_fr": cusma.url_fr,
        },
    )
    assert response.status_code == 200
    assert "Obligatoire en français" in response.content.decode()
    cusma.refresh_from_db()
    assert cusma.name_fr


def test_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(admin_url("index", "fr"))
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/admin/login/")


@pytest.fixture
def change_form(editor_client, demo):
    url = admin_url("relations_relationship_change", "fr", demo.pk)
    # The button a person clicks; without it the admin runs the chosen action.
    data = form_data(editor_client.get(url), "relationship_form")
    # Changes to one language, saved live: minor, or the other language would
    # be out of date and the save refused (publishing.currency).
    return url, {**data, "_save": "1", "minor_change": "on"}


def test_editing_through_the_admin_updates_the_page(editor_client, change_form, client):
    url, data = change_form
    data["title_fr"] = "Relations entre le Canada et les États-Unis"
    response = editor_client.post(url, data)
    assert response.status_code == 302
    page = html(client.get("/fr/relations/etats-unis/"))
    assert page.h1.get_text() == "Relations entre le Canada et les États-Unis"


def test_a_missing_french_title_is_refused(editor_client, change_form, demo):
    url, data = change_form
    data["title_fr"] = ""
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "Obligatoire en français" in response.content.decode()
    demo.refresh_from_db()
    assert demo.title_fr == "Relations Canada–États-Unis"


def test_a_slug_taken_by_another_page_is_refused(
    editor_client, change_form, make_relationship, demo
):
    make_relationship(code="MX", slug_en="mexico", slug_fr="mexique")
    url, data = change_form
    data["slug_fr"] = "mexique"
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    demo.refresh_from_db()
    assert demo.slug_fr == "etats-unis"


def test_two_sections_with_one_anchor_are_refused(editor_client, change_form, demo):
    url, data = change_form
    data["topics-1-anchor_fr"] = data["topics-0-anchor_fr"]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    assert demo.topics.get(sort_order=2).anchor_fr == "cooperation-covid-19"


def test_hostile_html_from_the_admin_is_stored_sanitized(
    editor_client, change_form, demo
):
    url, data = change_form
    data["topics-0-body_fr"] = '<p onclick="x()">Texte</p><script>alert(1)</script>'
    response = editor_client.post(url, data)
    assert response.status_code == 302
    assert demo.topics.get(sort_order=1).body_fr == "<p>Texte</p>"


@pytest.mark.parametrize(
    ("language", "heading", "title", "body"),
    [
        (
            "en",
            "Fields to correct",
            "Title [fr]: Required in French: visitors can see this content.",
            "Area of action 1, Body [fr]: Required in French",
        ),
        (
            "fr",
            "Champs à corriger",
            "Titre [fr]\u00a0: Obligatoire en français",
            "Domaine d’action 1, Corps du texte [fr]\u00a0: Obligatoire en français",
        ),
    ],
)
def test_errors_are_listed_at_the_top_with_links_to_their_fields(
    editor_client, demo, language, heading, title, body
):
    url = admin_url("relations_relationship_change", language, demo.pk)
    data = {**form_data(editor_client.get(url), "relationship_form"), "_save": "1"}
    data["title_fr"] = ""
    data["topics-0-body_fr"] = "<p></p>"
    response = editor_client.post(url, data)
    summary = html(response).select_one(".error-summary")
    assert summary.h2.get_text(strip=True) == heading
    links = summary.select("a")
    assert [link["href"] for link in links] == ["#id_title_fr", "#id_topics-0-body_fr"]
    assert links[0].get_text(" ", strip=True).startswith(title)
    assert links[1].get_text(" ", strip=True).startswith(body)
    for link in links:
        assert html(response).select_one(link["href"])


def test_a_form_without_errors_lists_none(editor_client, demo):
    url = admin_url("relations_relationship_change", "en", demo.pk)
    assert not html(editor_client.get(url)).select_one(".error-summary")
