"""An editor's changes to what visitors can see wait for a publisher."""

import pytest
from django.contrib.auth.models import Group
from reversion.models import Version

from consulates.models import Office
from publishing.models import Activity, Draft, Redirect
from relations.models import Relationship, Status, Topic
from tests.support.pages import admin_url, form_data, html


@pytest.fixture
def log_in(client, django_user_model):
    def log_in(group):
        user, _ = django_user_model.objects.get_or_create(
            username=group.lower(), defaults={"is_staff": True}
        )
        user.groups.set(Group.objects.filter(name=group))
        client.force_login(user)
        return client

    return log_in


def page_form(client, pk):
    url = admin_url("relations_relationship_change", "en", pk)
    response = client.get(url)
    return url, response, {**form_data(response, "relationship_form"), "_save": "1"}


def add_topic(data, title):
    index = int(data["topics-TOTAL_FORMS"])
    data["topics-TOTAL_FORMS"] = str(index + 1)
    slug = title.lower().replace(" ", "-")
    data.update(
        {
            f"topics-{index}-sort_order": "99",
            f"topics-{index}-title_en": title,
            f"topics-{index}-title_fr": f"{title} (fr)",
            f"topics-{index}-anchor_en": slug,
            f"topics-{index}-anchor_fr": f"{slug}-fr",
            f"topics-{index}-body_en": f"<p>{title} body.</p>",
            f"topics-{index}-body_fr": f"<p>Texte de {title}.</p>",
        }
    )


def public_page(client, page, language="en"):
    client.logout()
    response = client.get(f"/{language}/relations/{getattr(page, 'slug_' + language)}/")
    assert response.status_code == 200
    return response.content.decode()


def publish(client, model, pk):
    return client.post(
        admin_url(f"{model}_changelist", "en"),
        {"action": "publish", "_selected_action": [pk], "index": 0},
        follow=True,
    )


def test_an_editors_change_to_a_live_page_waits_for_a_publisher(log_in, demo, client):
    editor = log_in("Editor")
    url, _, data = page_form(editor, demo.pk)
    data["summary_en"] = "A summary written by the editor."
    data["summary_fr"] = "Un résumé écrit par l’éditrice."
    add_topic(data, "Arctic cooperation")
    response = editor.post(url, data, follow=True)

    assert "Your changes are saved as a draft." in response.content.decode()
    demo.refresh_from_db()
    assert demo.summary_en != "A summary written by the editor."
    assert not demo.topics.filter(title_en="Arctic cooperation").exists()
    assert Draft.of(demo) is not None

    # The editor sees the draft in the form and in the preview.
    _, form, _ = page_form(editor, demo.pk)
    shown = form.content.decode()
    assert "A summary written by the editor." in shown
    assert "Arctic cooperation" in shown
    assert "Visitors see the published version" in shown
    preview = editor.get(f"/en/preview/relations/{demo.pk}/").content.decode()
    assert "Arctic cooperation" in preview

    # Visitors do not.
    visible = public_page(client, demo)
    assert "Arctic cooperation" not in visible
    assert "A summary written by the editor." not in visible

    # A publisher publishes it; then visitors see it.
    modified_before = demo.content_modified_at
    publisher = log_in("Publisher")
    assert (
        "1 item published."
        in publish(publisher, "relations_relationship", demo.pk).content.decode()
    )
    demo.refresh_from_db()
    assert demo.summary_en == "A summary written by the editor."
    assert demo.status == Status.PUBLISHED
    assert demo.content_modified_at > modified_before
    assert not Draft.objects.exists()
    assert "Arctic cooperation" in public_page(client, demo)
    assert (
        Relationship.objects.get(pk=demo.pk)
        .topics.filter(title_fr="Arctic cooperation (fr)")
        .count()
        == 1
    )


def test_a_draft_grows_over_several_saves_and_its_new_sections_stay_in_it(
    log_in, demo, make_relationship, make_topic
):
    editor = log_in("Editor")
    url, _, data = page_form(editor, demo.pk)
    add_topic(data, "Arctic cooperation")
    assert editor.post(url, data).status_code == 302

    # Second save: the form shows the draft's new section; change it.
    url, form, data = page_form(editor, demo.pk)
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-title_en") and value == "Arctic cooperation"
    )
    # Not yet a row: it gets its id when published.
    assert not data[f"topics-{index}-id"]
    data[f"topics-{index}-title_en"] = "Arctic and North"
    assert editor.post(url, data).status_code == 302
    assert Draft.objects.count() == 1

    # Meanwhile a section is added elsewhere: it must not take the draft's id.
    elsewhere = make_topic(make_relationship(code="MX"))

    publish(log_in("Publisher"), "relations_relationship", demo.pk)
    assert list(
        demo.topics.filter(title_fr="Arctic cooperation (fr)").values_list(
            "title_en", flat=True
        )
    ) == ["Arctic and North"]
    elsewhere.refresh_from_db()
    assert elsewhere.relationship.country_code == "MX"


def test_a_removed_section_stays_live_until_published(log_in, demo, client):
    editor = log_in("Editor")
    url, _, data = page_form(editor, demo.pk)
    first = demo.topics.order_by("sort_order").first()
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-id") and key.startswith("topics-") and value == str(first.pk)
    )
    data[f"topics-{index}-DELETE"] = "on"
    assert editor.post(url, data).status_code == 302
    assert Topic.objects.filter(pk=first.pk).exists()
    assert first.title_en in public_page(client, demo)

    publish(log_in("Publisher"), "relations_relationship", demo.pk)
    assert not Topic.objects.filter(pk=first.pk).exists()


def test_a_publisher_saving_the_form_publishes_the_draft(log_in, demo):
    editor = log_in("Editor")
    url, _, data = page_form(editor, demo.pk)
    data["title_en"] = "Canada–United States relations (draft)"
    data["title_fr"] = "Relations Canada–États-Unis (ébauche)"
    editor.post(url, data)

    publisher = log_in("Publisher")
    url, form, data = page_form(publisher, demo.pk)
    assert "Saving publishes these changes with yours" in form.content.decode()
    assert data["title_fr"] == "Relations Canada–États-Unis (ébauche)"
    assert publisher.post(url, data).status_code == 302
    demo.refresh_from_db()
    assert demo.title_fr == "Relations Canada–États-Unis (ébauche)"
    assert not Draft.objects.exists()


def test_discarding_a_draft_leaves_the_published_page(log_in, demo):
    editor = log_in("Editor")
    url, _, data = page_form(editor, demo.pk)
    data["title_en"] = "Draft title"
    editor.post(url, data)
    changelist = editor.get(admin_url("relations_relationship_changelist", "en"))
    assert "Published, with draft changes" in changelist.content.decode()

    response = editor.post(
        admin_url("relations_relationship_changelist", "en"),
        {"action": "discard_draft_change", "_selected_action": [demo.pk], "index": 0},
        follow=True,
    )
    assert "Draft changes of 1 item discarded." in response.content.decode()
    _, form, data = page_form(editor, demo.pk)
    assert data["title_en"] == Relationship.objects.get(pk=demo.pk).title_en
    # Who discarded it is on record.
    assert Activity.objects.of(demo).filter(action="discarded").exists()


def test_a_slug_changed_in_a_draft_redirects_once_published(log_in, demo, client):
    editor = log_in("Editor")
    url, _, data = page_form(editor, demo.pk)
    data["slug_fr"] = "etats-unis-d-amerique"
    editor.post(url, data)
    assert client.get("/fr/relations/etats-unis/").status_code == 200

    publish(log_in("Publisher"), "relations_relationship", demo.pk)
    assert Redirect.objects.filter(old_path="/fr/relations/etats-unis/").exists()
    client.logout()
    response = client.get("/fr/relations/etats-unis/")
    assert response.status_code == 301
    assert response["Location"] == "/fr/relations/etats-unis-d-amerique/"


def test_an_editor_restoring_a_live_page_makes_a_draft(log_in, demo):
    editor = log_in("Editor")
    url, _, data = page_form(editor, demo.pk)
    original = data["summary_en"]
    publisher = log_in("Publisher")
    data["summary_en"] = "Changed by the publisher."
    data["summary_fr"] = "Changé par la publicatrice."
    publisher.post(url, data)

    editor = log_in("Editor")
    earlier = Version.objects.get_for_object(demo).last()
    restore_url = admin_url("relations_relationship_restore", "en", demo.pk, earlier.pk)
    restore = form_data(editor.get(restore_url), "confirm-form")
    assert editor.post(restore_url, restore).status_code == 302
    demo.refresh_from_db()
    assert demo.summary_en == "Changed by the publisher."
    _, _, draft = page_form(editor, demo.pk)
    assert draft["summary_en"] == original


def test_an_editors_change_to_a_live_office_waits(log_in, demo, client):
    office = demo.offices.filter(status=Status.PUBLISHED).first()
    editor = log_in("Editor")
    url = admin_url("consulates_office_change", "en", office.pk)
    data = {**form_data(editor.get(url), "office_form"), "_save": "1"}
    data["city_en"] = data["city_fr"] = "Anchorage"
    assert editor.post(url, data).status_code == 302
    assert Office.objects.get(pk=office.pk).city_en != "Anchorage"
    preview = editor.get(f"/en/preview/relations/{demo.pk}/").content.decode()
    assert "Anchorage" in preview
    assert "Anchorage" not in public_page(client, demo)

    publish(log_in("Publisher"), "consulates_office", office.pk)
    assert Office.objects.get(pk=office.pk).city_en == "Anchorage"


def test_an_editor_cannot_change_what_a_live_page_lists(log_in, demo):
    listed = demo.agreement_links.first().agreement
    editor = log_in("Editor")
    url = admin_url("relations_agreement_change", "en", listed.pk)
    page = editor.get(url)
    assert page.status_code == 200
    assert not html(page).find("input", attrs={"name": "name_en"})
    response = editor.post(url, {"name_en": "Renamed", "name_fr": "Renommé"})
    assert response.status_code == 403
    listed.refresh_from_db()
    assert listed.name_en != "Renamed"


def test_the_draft_is_explained_in_french(log_in, demo):
    editor = log_in("Editor")
    url = admin_url("relations_relationship_change", "fr", demo.pk)
    data = {**form_data(editor.get(url), "relationship_form"), "_save": "1"}
    data["summary_fr"] = "Un résumé en attente."
    response = editor.post(url, data, follow=True)
    assert "Vos modifications sont enregistrées comme ébauche." in (
        response.content.decode()
    )
    form = editor.get(url).content.decode()
    assert "Modifications en attente" in form
    assert "Un résumé en attente." in form


def test_a_draft_previewed_leaves_the_public_pages_cached_content_as_published(
    log_in, demo, client, django_capture_on_commit_callbacks
):
    assert "Arctic cooperation" not in public_page(client, demo, "fr")
    editor = log_in("Editor")
    url, _, data = page_form(editor, demo.pk)
    add_topic(data, "Arctic cooperation")
    # Commits are run as in production: nothing of the draft may be rendered.
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(url, data, follow=True)
        preview = editor.get(f"/fr/apercu/relations/{demo.pk}/").content.decode()
    assert "Arctic cooperation (fr)" in preview
    client.logout()
    for path in ("/en/relations/united-states/", "/fr/relations/etats-unis/"):
        # Past the whole-page cache, to the content cached under the page's number.
        response = client.get(path + "?uncached=1")
        assert response.status_code == 200
        assert "Arctic cooperation" not in response.content.decode()


def test_an_editor_adding_a_country_an_office_serves_waits_for_a_publisher(
    log_in, demo, client, make_relationship
):
    """An office's countries also served are part of it: an Editor's change
    goes to its draft, and the other country's page lists the office only
    once a Publisher publishes it."""
    mexico = make_relationship(code="MX", slug_en="mexico", slug_fr="mexique")
    office = Office.objects.get(slug_en="embassy-of-canada-to-the-united-states")
    editor = log_in("Editor")
    url = admin_url("consulates_office_change", "en", office.pk)
    data = {**form_data(editor.get(url), "office_form"), "_save": "1"}
    index = int(data["served_countries-TOTAL_FORMS"])
    data["served_countries-TOTAL_FORMS"] = str(index + 1)
    data[f"served_countries-{index}-country"] = "MX"
    response = editor.post(url, data, follow=True)
    assert "Your changes are saved as a draft." in response.content.decode()
    assert not office.served_countries.exists()
    assert "Embassy of Canada to the United States" not in public_page(client, mexico)

    publisher = log_in("Publisher")
    publish(publisher, "consulates_office", office.pk)
    assert list(office.served_countries.values_list("country", flat=True)) == ["MX"]
    assert "Embassy of Canada to the United States" in public_page(client, mexico)


def test_an_editor_takes_back_a_removal_in_their_own_draft(
    log_in, demo, client, make_relationship
):
    from consulates.models import ServedCountry

    make_relationship(code="MX", slug_en="mexico", slug_fr="mexique")
    office = Office.objects.get(slug_en="embassy-of-canada-to-the-united-states")
    ServedCountry.objects.create(office=office, country_id="MX")
    editor = log_in("Editor")
    url = admin_url("consulates_office_change", "en", office.pk)

    def form():
        return {**form_data(editor.get(url), "office_form"), "_save": "1"}

    data = form()
    data["served_countries-0-DELETE"] = "on"
    first = editor.post(url, data, follow=True)
    import sys

    sys.path.insert(0, "/tmp")
    import dbg

    dbg.show(first)
    assert "saved as a draft" in first.content.decode()
    data = form()
    index = int(data["served_countries-TOTAL_FORMS"])
    data["served_countries-TOTAL_FORMS"] = str(index + 1)
    data[f"served_countries-{index}-country"] = "MX"
    response = editor.post(url, data, follow=True)
    assert "saved as a draft" in response.content.decode()
    # The same country twice in one form is still refused.
    data = form()
    index = int(data["served_countries-TOTAL_FORMS"])
    data["served_countries-TOTAL_FORMS"] = str(index + 1)
    data[f"served_countries-{index}-country"] = "MX"
    response = editor.post(url, data)
    assert response.status_code == 200
    assert "Please correct the duplicate data" in response.content.decode()

    publisher = log_in("Publisher")
    publish(publisher, "consulates_office", office.pk)
    assert list(office.served_countries.values_list("country", flat=True)) == ["MX"]


def test_a_publisher_removes_and_adds_back_a_country_in_one_save(log_in, demo):
    from consulates.models import ServedCountry

    office = Office.objects.get(slug_en="embassy-of-canada-to-the-united-states")
    ServedCountry.objects.create(office=office, country_id="MX")
    publisher = log_in("Publisher")
    url = admin_url("consulates_office_change", "en", office.pk)
    data = {**form_data(publisher.get(url), "office_form"), "_save": "1"}
    data["served_countries-0-DELETE"] = "on"
    index = int(data["served_countries-TOTAL_FORMS"])
    data["served_countries-TOTAL_FORMS"] = str(index + 1)
    data[f"served_countries-{index}-country"] = "MX"
    response = publisher.post(url, data, follow=True)
    assert response.status_code == 200
    assert list(office.served_countries.values_list("country", flat=True)) == ["MX"]
