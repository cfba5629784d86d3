"""History: the list answers, a version belongs to the object in its address,
and no restore reaches visitors without a Publisher."""

import pytest
import reversion
from django.contrib.auth.models import Group
from reversion.models import Version

from consulates.models import Office
from relations.models import Relationship, Status, Topic
from tests.support.pages import admin_url, form_data, html


@pytest.fixture
def log_in(client, django_user_model):
    def log_in(group):
        user, _ = django_user_model.objects.get_or_create(
            username=group, defaults={"is_staff": True}
        )
        user.groups.set(Group.objects.filter(name=group))
        client.force_login(user)
        return client

    return log_in


@pytest.fixture
def page(make_relationship, make_topic, make_office):
    """A live page with two revisions: first as a draft, then published."""
    with reversion.create_revision():
        relationship = make_relationship(status=Status.DRAFT, summary_en="First.")
        make_topic(relationship)
        make_office(relationship)
    with reversion.create_revision():
        relationship.summary_en = "Second."
        relationship.status = Status.PUBLISHED
        relationship.save()
    return relationship


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("model", ["relations_relationship", "consulates_office"])
def test_the_history_page_lists_the_revisions(log_in, page, model, language):
    obj = page if model == "relations_relationship" else page.offices.get()
    client = log_in("Publisher")
    response = client.get(admin_url(f"{model}_history", language, obj.pk))
    assert response.status_code == 200
    assert html(response).html["lang"] == language
    changes = html(response).select('a[href$="/changes/"]')
    assert len(changes) == len(Version.objects.get_for_object(obj)) > 0
    for link in changes:
        assert client.get(link["href"]).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_version_of_another_object_is_not_found_on_an_offices_history(
    log_in, page, method
):
    office = page.offices.get()
    topic = page.topics.get()
    foreign = Version.objects.get_for_object(topic).first()
    # The same number as the office's own id, as the attack used.
    Version.objects.filter(pk=foreign.pk).update(object_id=str(office.pk))
    url = admin_url("consulates_office_revision", "en", office.pk, foreign.pk)
    client = log_in("Publisher")
    response = getattr(client, method)(url, {"_save": "1"})
    assert response.status_code == 404
    assert Office.objects.filter(pk=office.pk).exists()


def test_an_editor_restoring_a_draft_version_leaves_the_page_live(log_in, page, client):
    editor = log_in("Editor")
    first = Version.objects.get_for_object(page).last()
    url = admin_url("relations_relationship_revision", "en", page.pk, first.pk)
    data = {**form_data(editor.get(url), "relationship_form"), "_save": "1"}
    editor.post(url, data)
    page.refresh_from_db()
    assert page.status == Status.PUBLISHED
    assert page.summary_en == "Second."


@pytest.mark.parametrize("group", ["Editor", "Publisher"])
def test_recovering_a_deleted_page_needs_a_publisher(log_in, page, group):
    with reversion.create_revision():
        page.save()
    version = Version.objects.get_for_object(page).first()
    Relationship.objects.filter(pk=page.pk).delete()
    client = log_in(group)
    url = admin_url("relations_relationship_recover", "en", version.pk)
    response = client.get(url)
    if group == "Editor":
        assert response.status_code == 403
        assert not Relationship.objects.filter(pk=page.pk).exists()
    else:
        assert response.status_code == 200


def test_a_version_of_another_model_cannot_be_recovered_as_an_office(log_in, page):
    topic = page.topics.get()
    foreign = Version.objects.get_for_object(topic).first()
    url = admin_url("consulates_office_recover", "en", foreign.pk)
    response = log_in("Publisher").get(url)
    assert response.status_code == 404
    assert Topic.objects.filter(pk=topic.pk).count() == 1


def test_what_changed_ignores_a_field_blank_before_and_after():
    from relations.admin import field_changes

    blank_twice = field_changes(
        Office,
        {"email": None, "fax": "", "latitude": None},
        {"email": "", "fax": None, "latitude": None},
    )
    assert blank_twice == []
    changed = field_changes(
        Office, {"fax": None, "latitude": None}, {"fax": "1", "latitude": 0}
    )
    assert [label for label, _ in changed] == ["fax", "latitude"]


def test_a_bulk_action_keeps_one_revision_per_page(log_in, make_relationship):
    first = make_relationship(status=Status.DRAFT, code="MX")
    second = make_relationship(status=Status.DRAFT, code="PE")
    client = log_in("Publisher")
    client.post(
        admin_url("relations_relationship_changelist", "en"),
        {"action": "publish", "_selected_action": [first.pk, second.pk], "index": 0},
    )
    revisions = [
        Version.objects.get_for_object(page).first().revision_id
        for page in (first, second)
    ]
    assert revisions[0] != revisions[1]
    # Restoring one page's revision leaves the other page as it is.
    second.unpublish()
    Version.objects.get_for_object(first).first().revision.revert(delete=True)
    second.refresh_from_db()
    assert second.status == Status.DRAFT
