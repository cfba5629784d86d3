"""Archived, as Canada.ca does it: the address keeps answering with the
archived notice (and where to go instead); the lists, the sitemap and open
data leave it out."""

import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from relations.models import Relationship, Status
from tests.support.pages import admin_url, form_data, html

NOTICE = {
    "en": "This page has been archived on the Web",
    "fr": "Cette page Web a été archivée dans le Web",
}


@pytest.fixture
def publisher(client, django_user_model):
    user = django_user_model.objects.create_user("paula", is_staff=True)
    user.groups.set(Group.objects.filter(name="Publisher"))
    client.force_login(user)
    return client


def archive(client, obj, model="relations_relationship", successor=""):
    url = admin_url(f"{model}_archive", "en", obj.pk)
    page = client.get(url)
    choices = [option["value"] for option in html(page).select("#id_successor option")]
    assert choices[0] == ""
    if successor:
        assert successor in choices
    data = {**form_data(page, "confirm-form"), "successor": successor}
    return client.post(url, data)


def test_an_archived_page_keeps_its_address_with_the_notice(
    publisher, client, demo, make_relationship
):
    successor = make_relationship(code="MX")
    assert archive(publisher, demo, successor=str(successor.pk)).status_code == 302
    demo.refresh_from_db()
    assert demo.status == Status.ARCHIVED
    assert demo.successor == successor

    client.logout()
    for language, path in [
        ("en", "/en/relations/united-states/"),
        ("fr", "/fr/relations/etats-unis/"),
    ]:
        response = client.get(path)
        assert response.status_code == 200
        notice = html(response).find(id="archived")
        assert NOTICE[language] in notice.get_text()
        link = notice.find("a")
        assert link["href"] == getattr(successor, f"slug_{language}").join(
            [f"/{language}/relations/", "/"]
        )


def test_an_archived_page_leaves_the_lists_sitemap_and_open_data(
    publisher, client, demo
):
    office = demo.offices.filter(status=Status.PUBLISHED).first()
    archive(publisher, demo)
    client.logout()
    home = client.get("/en/").content.decode()
    assert "/en/relations/united-states/" not in home
    directory = client.get("/en/offices/").content.decode()
    assert office.name_en not in directory
    sitemap = client.get("/sitemap-relationships.xml").content.decode()
    assert "/relations/united-states/" not in sitemap
    offices = json.loads(client.get("/api/offices.json").content)
    listed = json.dumps(offices)
    assert office.slug_en not in listed


def test_an_archived_office_keeps_its_page(publisher, client, demo):
    office = demo.offices.filter(status=Status.PUBLISHED).first()
    archive(publisher, office, model="consulates_office")
    client.logout()
    response = client.get(f"/en/offices/{office.slug_en}/")
    assert response.status_code == 200
    assert NOTICE["en"] in response.content.decode()
    assert office.name_en not in client.get("/en/offices/").content.decode()


def test_an_editor_cannot_archive(client, demo, django_user_model):
    user = django_user_model.objects.create_user("edith", is_staff=True)
    user.groups.set(Group.objects.filter(name="Editor"))
    client.force_login(user)
    url = admin_url("relations_relationship_archive", "en", demo.pk)
    response = client.post(url, {"version": demo.version})
    assert response.status_code == 403
    assert Relationship.objects.get(pk=demo.pk).status == Status.PUBLISHED


def test_a_successor_must_be_a_page_visitors_see(publisher, demo, make_relationship):
    hidden = make_relationship(code="MX", status="draft")
    url = admin_url("relations_relationship_archive", "en", demo.pk)
    offered = html(publisher.get(url)).select("#id_successor option")
    assert str(hidden.pk) not in [option["value"] for option in offered]
    data = {**form_data(publisher.get(url), "confirm-form"), "successor": hidden.pk}
    response = publisher.post(url, data)
    assert response.status_code == 400
    assert Relationship.objects.get(pk=demo.pk).status == Status.PUBLISHED


def test_a_publisher_editing_an_archived_page_is_told_visitors_see_it(publisher, demo):
    """The buttons say the archived page changes, and "Save as draft" keeps
    changes from it, as on a live page."""
    assert archive(publisher, demo).status_code == 302
    url = admin_url("relations_relationship_change", "en", demo.pk)
    page = publisher.get(url)
    buttons = {
        button["name"]: button["value"]
        for button in html(page).select(".publishing-buttons input[type=submit]")
    }
    assert buttons["_save"] == "Save to the archived page"
    assert buttons["_draft"] == "Save as draft"

    data = {**form_data(page, "relationship_form"), "summary_en": "Kept waiting."}
    assert publisher.post(url, {**data, "_draft": "1"}).status_code == 302
    visitor = Client()
    assert "Kept waiting." not in visitor.get("/en/relations/united-states/").text

    page = publisher.get(url)
    data = {
        **form_data(page, "relationship_form"),
        "summary_en": "Shown now.",
        "summary_fr": "Affiché maintenant.",
    }
    assert publisher.post(url, {**data, "_save": "1"}).status_code == 302
    demo.refresh_from_db()
    assert demo.summary_en == "Shown now."
    assert demo.status == Status.ARCHIVED
    assert "Shown now." in visitor.get("/en/relations/united-states/").text
