"""A public page whose address changes leaves a permanent redirect; Publishers
list and edit redirects; loops and addresses off the site are refused."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from consulates.models import Office
from publishing.models import Redirect
from relations.models import Status
from tests.support.pages import admin_url, html

OFFICE = {"en": "/en/offices/{}/", "fr": "/fr/bureaux/{}/"}


@pytest.fixture
def office(make_relationship, make_office):
    return make_office(make_relationship(), slug_en="embassy", slug_fr="ambassade")


@pytest.mark.parametrize(
    ("language", "old", "new"),
    [
        ("en", "embassy", "embassy-of-canada"),
        ("fr", "ambassade", "ambassade-du-canada"),
    ],
)
def test_an_offices_changed_address_redirects_permanently(
    client, office, language, old, new
):
    setattr(office, f"slug_{language}", new)
    office.save()
    response = client.get(OFFICE[language].format(old) + "?from=bookmark")
    assert response.status_code == 301
    assert response["Location"] == OFFICE[language].format(new) + "?from=bookmark"
    assert client.get(response["Location"]).status_code == 200


def test_moving_twice_leads_straight_to_the_last_address(client, office):
    for slug in ("embassy-2", "embassy-3"):
        office.slug_en = slug
        office.save()
    response = client.get("/en/offices/embassy/")
    assert response["Location"] == "/en/offices/embassy-3/"


def test_an_unpublished_offices_new_address_is_not_revealed(client, office):
    office.unpublish()
    office.slug_en = "secret-new-address"
    office.save()
    response = client.get("/en/offices/embassy/")
    assert response.status_code == 404
    assert not Redirect.objects.filter(new_path__contains="secret").exists()


def test_a_redirect_that_would_loop_is_refused(db):
    Redirect.objects.create(old_path="/en/offices/a/", new_path="/en/offices/b/")
    Redirect.objects.create(old_path="/en/offices/b/", new_path="/en/offices/c/")
    loop = Redirect(old_path="/en/offices/c/", new_path="/en/offices/a/")
    with pytest.raises(ValidationError) as refused:
        loop.full_clean()
    assert "circle" in refused.value.message_dict["new_path"][0]
    itself = Redirect(old_path="/en/offices/d/", new_path="/en/offices/d/")
    with pytest.raises(ValidationError):
        itself.full_clean()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "relations/",
        "",
        # Ways round the loop check: the slash Django adds, a query string
        # that grows at each hop, an encoded letter.
        "/en/offices/a",
        "/en/offices/b/?x",
        "/en/offices/%61/",
    ],
)
def test_a_redirect_off_the_site_is_refused(db, target):
    redirect = Redirect(old_path="/en/offices/a/", new_path=target)
    with pytest.raises(ValidationError) as refused:
        redirect.full_clean()
    assert "new_path" in refused.value.message_dict


@pytest.mark.parametrize("source", ["/en/offices/a/?x", "/en/offices/%61/", "a/"])
def test_an_old_address_visitors_could_never_ask_for_is_refused(db, source):
    redirect = Redirect(old_path=source, new_path="/en/offices/b/")
    with pytest.raises(ValidationError) as refused:
        redirect.full_clean()
    assert list(refused.value.message_dict) == ["old_path"]


def test_a_redirect_is_remembered_for_an_hour_not_for_ever(client, office):
    office.slug_en = "embassy-2"
    office.save()
    response = client.get("/en/offices/embassy/")
    assert response.status_code == 301
    assert "max-age=3600" in response["Cache-Control"]


def test_a_draft_taking_a_former_address_leaves_its_redirect(
    client, office, make_relationship, make_office
):
    office.slug_en = "embassy-2"
    office.save()
    draft = make_office(make_relationship(code="PE"), status=Status.DRAFT)
    draft.slug_en = "embassy"
    draft.save()
    assert client.get("/en/offices/embassy/").status_code == 301


def test_a_redirect_stored_off_the_site_is_not_followed(client, db):
    Redirect.objects.create(old_path="/en/offices/a/", new_path="//evil.example/")
    assert client.get("/en/offices/a/").status_code == 404


@pytest.mark.parametrize("language", ["en", "fr"])
def test_publishers_list_and_edit_redirects_editors_do_not(
    client, django_user_model, language
):
    redirect = Redirect.objects.create(
        old_path="/en/offices/a/", new_path="/en/offices/b/"
    )
    publisher = django_user_model.objects.create_user("pub", is_staff=True)
    publisher.groups.set(Group.objects.filter(name="Publisher"))
    client.force_login(publisher)
    listing = client.get(admin_url("publishing_redirect_changelist", language))
    assert listing.status_code == 200
    assert "/en/offices/a/" in listing.content.decode()
    change = admin_url("publishing_redirect_change", language, redirect.pk)
    refused = client.post(
        change, {"old_path": "/en/offices/b/", "new_path": "/en/offices/b/"}
    )
    assert refused.status_code == 200
    message = {
        "en": "This would send visitors round in a circle back to /en/offices/b/.",
        "fr": "Les visiteurs tourneraient en rond et reviendraient à /en/offices/b/.",
    }[language]
    assert message in html(refused).get_text()
    saved = client.post(
        change, {"old_path": "/en/offices/a/", "new_path": "/en/offices/c/"}
    )
    assert saved.status_code == 302
    redirect.refresh_from_db()
    assert redirect.new_path == "/en/offices/c/"

    editor = django_user_model.objects.create_user("ed", is_staff=True)
    editor.groups.set(Group.objects.filter(name="Editor"))
    client.force_login(editor)
    assert client.get(listing.request["PATH_INFO"]).status_code == 403


def test_only_reads_are_redirected(client, office):
    office.slug_en = "embassy-2"
    office.save()
    assert client.post("/en/offices/embassy/").status_code in (403, 404, 405)


def test_an_office_restored_to_an_older_address_lives_there_again(client, office):
    office.slug_en = "embassy-2"
    office.save()
    office.slug_en = "embassy"
    office.save()
    assert client.get("/en/offices/embassy/").status_code == 200
    assert client.get("/en/offices/embassy-2/")["Location"] == "/en/offices/embassy/"
    assert Office.objects.get(pk=office.pk).status == Status.PUBLISHED
