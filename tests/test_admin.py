"""The admin works in both languages and loads nothing from a CDN."""

import pytest
from django.urls import reverse
from django.utils import translation

from relations.models import Agreement

from .conftest import html

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


def admin_url(name, language, *args):
    with translation.override(language):
        return reverse(f"admin:{name}", args=args)


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


def test_an_agreement_needs_both_languages(editor_client, db):
    url = admin_url("relations_agreement_add", "fr")
    response = editor_client.post(url, {"name_en": "Only English", "name_fr": ""})
    assert response.status_code == 200
    assert not Agreement.objects.exists()
    assert "Ce champ est obligatoire." in response.content.decode()

    response = editor_client.post(url, {"name_en": "Agreement", "name_fr": "Accord"})
    assert response.status_code == 302
    assert Agreement.objects.get().name_fr == "Accord"


def test_visitors_are_sent_to_the_login_page(client, db):
    response = client.get(admin_url("index", "fr"))
    assert response.status_code == 302
    assert response["Location"].startswith("/fr/admin/login/")
