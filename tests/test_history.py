"""History: the list answers, a version belongs to the object in its address,
and no restore reaches visitors without a Publisher."""

import pytest
import reversion
from django.contrib.auth.models import Group
from reversion.models import Version

from consulates.models import Office
from publishing.models import Draft
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
    client = log_in("Publisher")
    for view in ("restore", "changes"):
        url = admin_url(f"consulates_office_{view}", "en", office.pk, foreign.pk)
        response = getattr(client, method)(url, {"version": office.version})
        assert response.status_code == 404
    url = admin_url("consulates_office_compare_revisions", "en", office.pk)
    response = client.get(url, {"from": foreign.pk, "to": foreign.pk})
    assert response.status_code == 404
    assert Office.objects.filter(pk=office.pk).exists()


def test_an_editor_restoring_a_draft_version_leaves_the_page_live(log_in, page, client):
    editor = log_in("Editor")
    first = Version.objects.get_for_object(page).last()
    url = admin_url("relations_relationship_restore", "en", page.pk, first.pk)
    assert (
        editor.post(url, form_data(editor.get(url), "confirm-form")).status_code == 302
    )
    page.refresh_from_db()
    assert page.status == Status.PUBLISHED
    assert page.summary_en == "Second."
    # The restored content waits, as draft changes, for a publisher.
    assert Draft.of(page).values["fields"]["summary_en"] == "First."


@pytest.mark.parametrize("group", ["Editor", "Publisher"])
def test_reversions_own_views_are_gone(log_in, page, group):
    """django-reversion's recover and revision views wrote live content around
    the workflow (a deleted page came back live, an Editor's restore went
    live): they are not served."""
    with reversion.create_revision():
        page.save()
    version = Version.objects.get_for_object(page).first()
    Relationship.objects.filter(pk=page.pk).delete()
    client = log_in(group)
    for url in (
        admin_url("relations_relationship_changelist", "en") + f"recover/{version.pk}/",
        admin_url("relations_relationship_changelist", "en")
        + f"{page.pk}/history/{version.pk}/",
        admin_url("consulates_office_changelist", "en") + f"recover/{version.pk}/",
    ):
        assert client.get(url).status_code in (302, 404)
        assert client.post(url, {"_save": "1"}).status_code in (302, 404)
    assert not Relationship.objects.filter(pk=page.pk).exists()
    assert not Topic.objects.filter(relationship_id=page.pk).exists()


def test_what_changed_ignores_a_field_blank_before_and_after():
    from publishing.diffs import field_changes

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
