"""The editors' workflow: states, the official-languages gate, scheduling,
preview, history and restore, slug redirects, minor changes."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from reversion.models import Version

from consulates.models import Office
from publishing.models import NotTranslated
from relations.models import (
    Agreement,
    Relationship,
    RelationshipAgreement,
    Status,
    Topic,
)
from tests.support.pages import admin_url, form_data, html

LONG_AGO = timezone.now() - datetime.timedelta(days=400)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "c@example.ca", "pw")
    client.force_login(user)
    return client


def publish_action(client, model, pk, language="en"):
    url = admin_url(f"{model}_changelist", language)
    return client.post(
        url, {"action": "publish", "_selected_action": [pk], "index": 0}, follow=True
    )


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# The official-languages gate


def test_a_draft_may_lack_french_but_cannot_be_published(make_relationship):
    draft = make_relationship(status="draft", title_fr="", summary_fr="")
    with pytest.raises(NotTranslated) as refusal:
        draft.publish()
    assert refusal.value.missing == {"en": [], "fr": ["title", "summary"]}
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


@pytest.mark.parametrize(
    "make_gap, expected",
    [
        (lambda page, topic, item: setattr(topic, "body_fr", "<p> </p>"), "body"),
        (lambda page, topic, item: setattr(topic, "title_en", ""), "title"),
        (
            lambda page, topic, item: setattr(topic, "closing_en", "<p>Only</p>"),
            "closing",
        ),
        (lambda page, topic, item: setattr(item, "name_fr", ""), "name"),
        (lambda page, topic, item: setattr(item, "url_en", "https://x.ca"), "address"),
    ],
)
def test_every_part_of_the_page_must_be_complete(
    make_relationship, make_topic, make_gap, expected
):
    page = make_relationship(status="draft")
    topic = make_topic(page)
    item = Agreement.objects.create(name_en="Treaty", name_fr="Traité")
    RelationshipAgreement.objects.create(relationship=page, agreement=item)
    make_gap(page, topic, item)
    topic.save()
    item.save()
    with pytest.raises(NotTranslated) as refusal:
        page.publish()
    labels = [*refusal.value.missing["en"], *refusal.value.missing["fr"]]
    assert len(labels) == 1
    assert expected in labels[0]


def test_publishing_from_the_admin_refuses_and_lists_what_is_missing(
    superuser_client, make_relationship, make_topic
):
    page = make_relationship(status="draft", title_fr="")
    make_topic(page, body_fr="")
    response = publish_action(superuser_client, "relations_relationship", page.pk, "fr")
    message = " ".join(messages_of(response))
    assert "n’a pas été publié" in message
    assert "manque en français\u00a0: titre" in message
    assert "corps" in message
    page.refresh_from_db()
    assert page.status == Status.DRAFT

    page.title_fr = "Relations Canada-Mexique"
    page.save()
    page.topics.update(body_fr="<p>Texte</p>")
    response = publish_action(superuser_client, "relations_relationship", page.pk)
    assert "1 item published." in messages_of(response)
    page.refresh_from_db()
    assert page.status == Status.PUBLISHED
    assert page.first_published_at is not None


def test_change_list_shows_and_filters_translation_status(
    superuser_client, make_relationship
):
    make_relationship(code="MX", status="draft", title_fr="", summary_fr="")
    make_relationship(code="BR", status="draft")
    url = admin_url("relations_relationship_changelist", "en")
    page = html(superuser_client.get(url)).text
    assert "EN ✓ FR ✗ 2 fields" in page
    assert "EN ✓ FR ✓" in page
    missing_french = superuser_client.get(url, {"translation": "fr"})
    assert [r.country_code for r in missing_french.context["cl"].result_list] == ["MX"]
    complete = superuser_client.get(url, {"translation": "complete"})
    assert [r.country_code for r in complete.context["cl"].result_list] == ["BR"]


def test_a_published_page_cannot_lose_a_topic_translation_in_the_admin(
    superuser_client, demo
):
    url = admin_url("relations_relationship_change", "fr", demo.pk)
    data = {**form_data(superuser_client.get(url), "relationship_form"), "_save": "1"}
    data["topics-2-body_fr"] = ""
    response = superuser_client.post(url, data)
    assert response.status_code == 200
    assert "Obligatoire en français" in response.content.decode()
    assert demo.topics.get(sort_order=3).body_fr


def test_an_office_is_published_only_when_complete(make_relationship, make_office):
    office = make_office(make_relationship(), status="draft", name_fr="")
    with pytest.raises(NotTranslated):
        office.publish()
    office.name_fr = "Ambassade"
    office.save()
    office.publish()
    assert Office.objects.published().filter(pk=office.pk).exists()


# Visitors see only published content


def test_drafts_answer_404(client, make_relationship):
    make_relationship(status="draft", slug_en="mexico", slug_fr="mexique")
    assert client.get("/en/relations/mexico/").status_code == 404
    assert client.get("/fr/relations/mexique/").status_code == 404


# Scheduling


def test_schedule_is_honoured_at_request_time(client, make_relationship):
    now = timezone.now()
    page = make_relationship(slug_en="mexico", publish_at=now + datetime.timedelta(1))
    assert client.get("/en/relations/mexico/").status_code == 404
    assert not Relationship.objects.published(at=now).exists()
    at_publication = page.publish_at
    assert Relationship.objects.published(at=at_publication).exists()

    page.publish_at = now - datetime.timedelta(seconds=1)
    page.unpublish_at = now + datetime.timedelta(hours=1)
    page.save()
    assert client.get("/en/relations/mexico/").status_code == 200
    assert not Relationship.objects.published(at=page.unpublish_at).exists()

    page.unpublish_at = now
    page.save()
    assert client.get("/en/relations/mexico/").status_code == 404


def test_publish_scheduled_records_transitions_in_history(make_relationship):
    now = timezone.now()
    due = make_relationship(code="MX", publish_at=now - datetime.timedelta(minutes=1))
    ending = make_relationship(code="BR", unpublish_at=now - datetime.timedelta(1))
    later = make_relationship(code="CL", publish_at=now + datetime.timedelta(1))
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    assert "1 published and 1 unpublished as scheduled" in out.getvalue()

    due.refresh_from_db()
    ending.refresh_from_db()
    later.refresh_from_db()
    assert (due.status, due.publish_at) == (Status.PUBLISHED, None)
    assert (ending.status, ending.unpublish_at) == (Status.DRAFT, None)
    assert later.publish_at is not None
    comments = {
        v.object_id: v.revision.comment
        for v in Version.objects.get_for_model(Relationship)
    }
    assert comments[str(due.pk)] == "Published as scheduled."
    assert comments[str(ending.pk)] == "Unpublished as scheduled."

    call_command("publish_scheduled", stdout=out)
    assert Version.objects.get_for_model(Relationship).count() == 2


# Preview


def preview_url(page, language):
    with translation.override(language):
        return page.get_preview_url()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_staff_preview_a_draft_marked_and_not_indexed(
    superuser_client, make_relationship, language
):
    draft = make_relationship(status="draft")
    response = superuser_client.get(preview_url(draft, language))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    page = html(response)
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert page.select_one(".preview-notice")
    assert page.h1.get_text() == getattr(draft, f"title_{language}")
    other = "fr" if language == "en" else "en"
    toggle = page.select_one(f'#wb-lng a[lang="{other}"]')
    assert toggle["href"] == preview_url(draft, other)
    assert not page.select_one("#report-problem")


def test_preview_is_404_for_visitors_and_staff_without_content_rights(
    client, django_user_model, make_relationship
):
    draft = make_relationship(status="draft")
    assert client.get(preview_url(draft, "en")).status_code == 404
    reviewer = django_user_model.objects.create_user("r", password="pw", is_staff=True)
    client.force_login(reviewer)
    assert client.get(preview_url(draft, "en")).status_code == 404


# History and restore


def test_revisions_keep_both_languages():
    from reversion.revisions import _get_options

    fields = _get_options(Relationship).fields
    assert {"title_en", "title_fr", "slug_en", "slug_fr"} <= set(fields)
    assert {"body_en", "body_fr"} <= set(_get_options(Topic).fields)
    assert {"name_en", "name_fr"} <= set(_get_options(Office).fields)


def test_history_shows_what_changed_and_restores_the_page_with_its_topics(
    superuser_client, demo
):
    url = admin_url("relations_relationship_change", "en", demo.pk)
    original = {
        **form_data(superuser_client.get(url), "relationship_form"),
        "_save": "1",
        # French-only rewordings, saved live (publishing.currency).
        "minor_change": "on",
    }
    first = dict(original, title_fr="Relations entre le Canada et les États-Unis")
    assert superuser_client.post(url, first).status_code == 302
    edited = {
        **form_data(superuser_client.get(url), "relationship_form"),
        "_save": "1",
        "minor_change": "on",
    }
    total = int(edited["topics-TOTAL_FORMS"])
    edited.update(
        {
            "topics-TOTAL_FORMS": str(total + 1),
            f"topics-{total}-sort_order": "99",
            f"topics-{total}-title_en": "Space",
            f"topics-{total}-title_fr": "Espace",
            f"topics-{total}-anchor_en": "space",
            f"topics-{total}-anchor_fr": "espace",
            f"topics-{total}-body_en": "<p>Moon</p>",
            f"topics-{total}-body_fr": "<p>Lune</p>",
            f"topics-{total}-listing": "",
            "title_fr": "Relations bilatérales",
        }
    )
    assert superuser_client.post(url, edited).status_code == 302
    assert demo.topics.filter(title_en="Space").exists()

    versions = Version.objects.get_for_object(demo)
    latest, earlier = versions[0], versions[1]
    changes = superuser_client.get(
        admin_url("relations_relationship_changes", "en", demo.pk, latest.pk)
    )
    text = html(changes).text
    assert "Title (French)" in text
    title = html(changes).find("th", string="Title (French)").find_next("td")
    assert title.find("del").get_text() == "entre le Canada et les États-Unis"
    assert title.find("ins").get_text() == "bilatérales"
    assert "Space" in text and "added" in text

    demo.refresh_from_db()
    Relationship.objects.filter(pk=demo.pk).update(content_modified_at=LONG_AGO)
    restore_url = admin_url("relations_relationship_restore", "en", demo.pk, earlier.pk)
    restore = form_data(superuser_client.get(restore_url), "confirm-form")
    assert superuser_client.post(restore_url, restore).status_code == 302
    demo.refresh_from_db()
    assert demo.title_fr == "Relations entre le Canada et les États-Unis"
    assert not demo.topics.filter(title_en="Space").exists()
    assert demo.status == Status.PUBLISHED
    assert demo.content_modified_at > LONG_AGO


# Addresses


@pytest.mark.parametrize(
    "language, old, new", [("en", "united-states", "usa"), ("fr", "etats-unis", "eu")]
)
def test_a_changed_slug_redirects_permanently(client, demo, language, old, new):
    setattr(demo, f"slug_{language}", new)
    demo.save()
    response = client.get(f"/{language}/relations/{old}/")
    assert response.status_code == 301
    assert response["Location"] == f"/{language}/relations/{new}/"
    assert client.get(f"/{language}/relations/{new}/").status_code == 200

    setattr(demo, f"slug_{language}", old)
    demo.save()
    assert client.get(f"/{language}/relations/{old}/").status_code == 200
    assert client.get(f"/{language}/relations/{new}/").status_code == 301


def test_a_draft_changing_its_slug_leaves_no_redirect(client, make_relationship):
    draft = make_relationship(status="draft", slug_en="mexico")
    draft.slug_en = "mexico-2"
    draft.save()
    draft.publish()
    assert client.get("/en/relations/mexico/").status_code == 404


# Date modified


def test_a_minor_change_leaves_date_modified(superuser_client, demo):
    Relationship.objects.filter(pk=demo.pk).update(content_modified_at=LONG_AGO)
    url = admin_url("relations_relationship_change", "en", demo.pk)
    data = {**form_data(superuser_client.get(url), "relationship_form"), "_save": "1"}
    data["summary_en"] = data["summary_en"] + " "
    data["topics-0-body_en"] = "<p>Typo fixed.</p>"
    data["minor_change"] = "on"
    assert superuser_client.post(url, data).status_code == 302
    demo.refresh_from_db()
    assert demo.content_modified_at == LONG_AGO
    assert demo.topics.order_by("sort_order").first().body_en == "<p>Typo fixed.</p>"

    # The form again: the one saved above is now out of date.
    data = {**form_data(superuser_client.get(url), "relationship_form"), "_save": "1"}
    data["topics-0-body_en"] = "<p>A real change.</p>"
    data["topics-0-body_fr"] = "<p>Un vrai changement.</p>"
    assert superuser_client.post(url, data).status_code == 302
    demo.refresh_from_db()
    assert demo.content_modified_at > LONG_AGO


def test_publishing_actions_do_not_move_date_modified(superuser_client, demo):
    Relationship.objects.filter(pk=demo.pk).update(content_modified_at=LONG_AGO)
    demo.refresh_from_db()
    demo.unpublish()
    demo.publish()
    demo.archive()
    demo.refresh_from_db()
    assert demo.content_modified_at == LONG_AGO


def test_compare_languages_shows_both_side_by_side(superuser_client, demo):
    response = superuser_client.get(
        admin_url("relations_relationship_compare", "fr", demo.pk)
    )
    assert response.status_code == 200
    page = html(response)
    first = page.select_one("table.compare-languages tbody tr")
    cells = first.find_all("td")
    assert cells[0]["lang"] == "en" and cells[1]["lang"] == "fr"
    assert "Pays partenaire" in page.text or "pays partenaire" in page.text
    assert "Canada–États-Unis" in page.text


def test_restoring_an_office_keeps_its_status(superuser_client, demo):
    office = demo.offices.first()
    url = admin_url("consulates_office_change", "en", office.pk)
    data = {**form_data(superuser_client.get(url), "office_form"), "_save": "1"}
    original_name = data["name_fr"]
    data["name_fr"] = "Bureau renommé"
    data["name_en"] = "Renamed office"
    assert superuser_client.post(url, data).status_code == 302
    earlier = Version.objects.get_for_object(office)[1]
    restore_url = admin_url("consulates_office_restore", "en", office.pk, earlier.pk)
    page = superuser_client.get(restore_url)
    assert page.status_code == 200
    restore = form_data(page, "confirm-form")
    assert superuser_client.post(restore_url, restore).status_code == 302
    office.refresh_from_db()
    assert office.name_fr == original_name
    assert office.status == Status.PUBLISHED


def test_saving_the_demo_page_unchanged_moves_no_date(demo, django_user_model):
    """Texts the demo left blank are None, a form's are "": the same content."""
    from publishing import workflow
    from publishing.drafts import current

    before = demo.content_modified_at
    values = current(demo)
    for rows in values["children"].values():
        for row in rows:
            for name, value in row["fields"].items():
                if value is None and name.startswith("closing"):
                    row["fields"][name] = ""
    workflow.write(demo, values, minor=False)
    demo.refresh_from_db()
    assert demo.content_modified_at == before
