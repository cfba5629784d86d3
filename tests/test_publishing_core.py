"""The publishing core, tried as editors, publishers and attackers try it:
straight to the URLs as each role, forms opened at different times, the
wrong button. Each test is one of the failures seen (issue 14) or a rule of
the review loop."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from publishing import workflow
from publishing.models import Activity, Draft, TranslationSource
from relations.models import Relationship, Status, Topic
from tests.support.pages import admin_url, form_data, html

LONG_AGO = timezone.now() - datetime.timedelta(days=400)


def change_url(pk, model="relations_relationship", language="en"):
    return admin_url(f"{model}_change", language, pk)


def open_form(client, pk, model="relations_relationship", form_id="relationship_form"):
    """Return the form's data as a browser would send it with "_save"."""
    return {**form_data(client.get(change_url(pk, model)), form_id), "_save": "1"}


def view_url(view, pk, model="relations_relationship"):
    return admin_url(f"{model}_{view}", "en", pk)


def errors(response):
    return " ".join(
        node.get_text(" ", strip=True)
        for node in html(response).select(".errornote, .errorlist, .messagelist")
    )


# 1. No Editor makes content live


def test_an_editor_posting_straight_to_publishing_urls_changes_nothing(
    demo, as_user, people
):
    editor = as_user("edith")
    data = open_form(editor, demo.pk)
    data["summary_en"] = "Waiting."
    assert editor.post(change_url(demo.pk), data).status_code == 302
    version = Relationship.objects.get(pk=demo.pk).version
    for view, body in [
        ("review", {"version": version, "_publish": "1"}),
        ("review", {"version": version, "_send_back": "1", "comment": "No."}),
        ("unpublish", {"version": version}),
        ("archive", {"version": version}),
        ("publish", {"version": version}),
    ]:
        response = editor.post(view_url(view, demo.pk), body)
        assert response.status_code in (302, 403), view
    response = editor.post(
        admin_url("relations_relationship_changelist", "en"),
        {"action": "publish", "_selected_action": [demo.pk], "index": 0},
    )
    demo.refresh_from_db()
    assert demo.status == Status.PUBLISHED
    assert demo.summary_en != "Waiting."
    assert Draft.of(demo).values["fields"]["summary_en"] == "Waiting."
    with pytest.raises(workflow.NotAllowed):
        workflow.publish(demo, people["edith"])


# 2. Discard and Unpublish do what they say


def test_discard_from_the_form_leaves_the_live_page_as_it_was(demo, as_user):
    editor = as_user("edith")
    data = open_form(editor, demo.pk)
    data["title_en"] = "Draft title"
    editor.post(change_url(demo.pk), data)
    live_title = Relationship.objects.get(pk=demo.pk).title_en

    page = editor.get(view_url("discard", demo.pk))
    assert page.status_code == 200
    response = editor.post(
        view_url("discard", demo.pk), form_data(page, "confirm-form")
    )
    assert response.status_code == 302
    demo.refresh_from_db()
    assert demo.title_en == live_title
    assert Draft.of(demo) is None


def test_unpublish_keeps_the_draft_apart_from_the_content(demo, as_user):
    editor = as_user("edith")
    data = open_form(editor, demo.pk)
    data["title_en"] = "Draft title"
    editor.post(change_url(demo.pk), data)
    live_title = Relationship.objects.get(pk=demo.pk).title_en

    publisher = as_user("paula")
    page = publisher.get(view_url("unpublish", demo.pk))
    publisher.post(view_url("unpublish", demo.pk), form_data(page, "confirm-form"))
    demo.refresh_from_db()
    assert demo.status == Status.DRAFT
    assert demo.title_en == live_title
    assert Draft.of(demo).values["fields"]["title_en"] == "Draft title"


# 4. Nothing is lost silently


def test_a_publisher_saving_a_form_opened_earlier_is_refused(demo, as_user):
    paula, peter = as_user("paula"), as_user("peter")
    first = open_form(paula, demo.pk)
    second = open_form(peter, demo.pk)
    first["summary_en"] = "Paula's summary."
    first["summary_fr"] = "Le résumé de Paula."
    assert paula.post(change_url(demo.pk), first).status_code == 302

    second["title_en"] = "Peter's title"
    response = peter.post(change_url(demo.pk), second)
    assert response.status_code == 200
    assert "changed after you opened it" in errors(response)
    assert "Published" in errors(response) or "Changed" in errors(response)
    # Peter's work is still in the form he sees; Paula's is live.
    assert html(response).find("input", attrs={"name": "title_en"})["value"] == (
        "Peter's title"
    )
    demo.refresh_from_db()
    assert demo.summary_en == "Paula's summary."
    assert demo.title_en != "Peter's title"


def test_a_second_editor_adds_to_the_draft_and_sees_the_first(demo, as_user, people):
    edith, eric = as_user("edith"), as_user("eric")
    data = open_form(edith, demo.pk)
    data["title_en"] = "Edith's title"
    edith.post(change_url(demo.pk), data)

    data = open_form(eric, demo.pk)
    assert data["title_en"] == "Edith's title"
    data["summary_en"] = "Eric's summary."
    response = eric.post(change_url(demo.pk), data)
    assert response.status_code == 302, errors(response)

    draft = Draft.of(demo)
    assert draft.values["fields"]["title_en"] == "Edith's title"
    assert draft.values["fields"]["summary_en"] == "Eric's summary."
    assert set(draft.authors.all()) == {people["edith"], people["eric"]}
    assert Draft.objects.count() == 1


def test_a_publisher_form_opened_before_an_editors_draft_leaves_the_draft(
    demo, as_user
):
    paula, edith = as_user("paula"), as_user("edith")
    stale = open_form(paula, demo.pk)
    data = open_form(edith, demo.pk)
    data["summary_en"] = "Edith's summary."
    edith.post(change_url(demo.pk), data)

    stale["title_en"] = "Paula's title"
    response = paula.post(change_url(demo.pk), stale)
    assert "changed after you opened it" in errors(response)
    assert Draft.of(demo).values["fields"]["summary_en"] == "Edith's summary."
    assert Relationship.objects.get(pk=demo.pk).title_en != "Paula's title"


def test_an_editor_cannot_discard_another_editors_draft(demo, as_user):
    edith, eric = as_user("edith"), as_user("eric")
    data = open_form(edith, demo.pk)
    data["summary_en"] = "Edith's summary."
    edith.post(change_url(demo.pk), data)

    response = eric.post(
        admin_url("relations_relationship_changelist", "en"),
        {"action": "discard_draft_change", "_selected_action": [demo.pk], "index": 0},
        follow=True,
    )
    assert "You may not do this" in response.content.decode()
    current = Relationship.objects.get(pk=demo.pk).version
    response = eric.post(view_url("discard", demo.pk), {"version": current})
    assert response.status_code == 403
    assert Draft.of(demo) is not None
    # A publisher may.
    paula = as_user("paula")
    assert (
        paula.post(view_url("discard", demo.pk), {"version": current}).status_code
        == 302
    )
    assert Draft.of(demo) is None


def test_two_saves_on_one_version_the_second_is_refused(demo, people):
    """The check is one conditional UPDATE: two changes prepared on the same
    version cannot both pass, whatever the timing of the forms' checks."""
    values = workflow.drafts.current(demo)
    version = demo.version
    workflow.save_draft(demo, people["edith"], values, version)
    with pytest.raises(workflow.Conflict) as refused:
        workflow.save_draft(demo, people["eric"], values, version)
    assert "Draft saved by edith" in str(refused.value)


# 5. Date modified moves however content goes live


def test_publishing_a_draft_that_changes_only_areas_of_action_moves_date_modified(
    demo, as_user
):
    Relationship.objects.filter(pk=demo.pk).update(content_modified_at=LONG_AGO)
    edith = as_user("edith")
    data = open_form(edith, demo.pk)
    data["topics-0-body_en"] = "<p>A new sentence.</p>"
    data["topics-0-body_fr"] = "<p>Une nouvelle phrase.</p>"
    edith.post(change_url(demo.pk), data)
    assert Relationship.objects.get(pk=demo.pk).content_modified_at == LONG_AGO

    paula = as_user("paula")
    review = paula.get(view_url("review", demo.pk))
    assert review.status_code == 200
    assert "A new sentence." in review.content.decode()
    body = {**form_data(review, "review-form"), "_publish": "1"}
    assert paula.post(view_url("review", demo.pk), body).status_code == 302
    demo.refresh_from_db()
    assert demo.content_modified_at > LONG_AGO
    assert demo.topics.order_by("sort_order").first().body_en == (
        "<p>A new sentence.</p>"
    )


def test_restoring_moves_date_modified(demo, people):
    Relationship.objects.filter(pk=demo.pk).update(content_modified_at=LONG_AGO)
    demo.refresh_from_db()
    values = workflow.drafts.current(demo)
    values["fields"]["summary_en"] = "Changed."
    values["fields"]["summary_fr"] = "Changé."
    workflow.save(demo, people["paula"], values, demo.version)
    earlier = workflow.Version.objects.get_for_object(demo)[1]
    Relationship.objects.filter(pk=demo.pk).update(content_modified_at=LONG_AGO)
    demo.refresh_from_db()
    workflow.restore(demo, people["paula"], earlier.pk, demo.version)
    demo.refresh_from_db()
    assert demo.summary_en != "Changed."
    assert demo.content_modified_at > LONG_AGO


# The review loop


def test_the_review_loop_with_comments_and_email(demo, as_user, people, mailoutbox):
    edith = as_user("edith")
    data = open_form(edith, demo.pk)
    data["summary_fr"] = "Un résumé à revoir."
    edith.post(change_url(demo.pk), data)
    page = edith.get(view_url("submit", demo.pk))
    body = {**form_data(page, "submit-form"), "comment": "Please check the French."}
    assert edith.post(view_url("submit", demo.pk), body).status_code == 302
    assert Draft.of(demo).state == Draft.State.SUBMITTED
    told = {address for message in mailoutbox for address in message.to}
    assert told == {"paula@example.gc.ca", "peter@example.gc.ca"}
    assert "Please check the French." in mailoutbox[0].body

    paula = as_user("paula")
    home = paula.get(admin_url("index", "en"))
    waiting = html(home).find(id="awaiting-review")
    assert demo.title_en in waiting.get_text()
    assert (
        edith.get(admin_url("index", "en")).content.decode().count("awaiting-review")
        == 0
    )

    review = paula.get(view_url("review", demo.pk))
    text = html(review).get_text(" ")
    assert "Please check the French." in text
    assert "Un résumé à revoir." in text
    # Sending back needs a comment.
    body = {**form_data(review, "review-form"), "_send_back": "1"}
    response = paula.post(view_url("review", demo.pk), body)
    assert response.status_code == 400
    assert Draft.of(demo).state == Draft.State.SUBMITTED
    mailoutbox.clear()
    body["comment"] = "« Revoir » takes a capital."
    assert paula.post(view_url("review", demo.pk), body).status_code == 302
    assert Draft.of(demo).state == Draft.State.RETURNED
    assert [message.to for message in mailoutbox] == [["edith@example.gc.ca"]]
    assert "« Revoir » takes a capital." in mailoutbox[0].body

    # The editor fixes it and submits again; the publisher publishes.
    form = edith.get(change_url(demo.pk))
    assert "« Revoir » takes a capital." in form.content.decode()
    data = open_form(edith, demo.pk)
    data["summary_fr"] = "Un résumé à Revoir."
    edith.post(change_url(demo.pk), data)
    assert Draft.of(demo).state == Draft.State.EDITING
    page = edith.get(view_url("submit", demo.pk))
    edith.post(view_url("submit", demo.pk), form_data(page, "submit-form"))
    mailoutbox.clear()
    review = paula.get(view_url("review", demo.pk))
    body = {**form_data(review, "review-form"), "_publish": "1"}
    # Only the French changed: the English it translated is out of date, and
    # publishing is refused until the publisher says it is still accurate.
    refused = paula.post(view_url("review", demo.pk), body)
    assert refused.status_code == 400
    assert "out of date in English: Summary" in html(refused).find(role="alert").text
    assert Relationship.objects.get(pk=demo.pk).summary_fr != "Un résumé à Revoir."
    box = html(refused).find("input", attrs={"name": "still_accurate"})
    body = {**form_data(refused, "review-form"), "_publish": "1"}
    body["still_accurate"] = box["value"]
    assert paula.post(view_url("review", demo.pk), body).status_code == 302
    demo.refresh_from_db()
    assert demo.summary_fr == "Un résumé à Revoir."
    english = TranslationSource.objects.get(field="summary", language="en")
    assert english.confirmed_by == people["paula"]
    assert english.source_text == "Un résumé à Revoir."
    assert Draft.of(demo) is None
    assert [message.to for message in mailoutbox] == [["edith@example.gc.ca"]]
    actions = list(
        Activity.objects.of(demo).order_by("at", "pk").values_list("action", flat=True)
    )
    assert actions == [
        "draft_saved",
        "submitted",
        "sent_back",
        "draft_saved",
        "submitted",
        "published",
    ]


def test_changes_scheduled_for_later_wait_until_then(demo, people, time_machine):
    values = workflow.drafts.current(demo)
    values["fields"]["summary_en"] = "From next week."
    values["fields"]["summary_fr"] = "Dès la semaine prochaine."
    workflow.save_draft(demo, people["edith"], values, demo.version)
    demo.refresh_from_db()
    when = timezone.now() + datetime.timedelta(days=7)
    workflow.publish(demo, people["paula"], demo.version, at=when)
    assert workflow.publish_due() == 0
    assert Relationship.objects.get(pk=demo.pk).summary_en != "From next week."
    time_machine.move_to(when + datetime.timedelta(minutes=1))
    assert workflow.publish_due() == 1
    assert Relationship.objects.get(pk=demo.pk).summary_en == "From next week."


# Preview


def test_a_preview_of_a_draft_writes_nothing(demo, as_user):
    edith = as_user("edith")
    data = open_form(edith, demo.pk)
    index = int(data["topics-TOTAL_FORMS"])
    data.update(
        {
            "topics-TOTAL_FORMS": str(index + 1),
            f"topics-{index}-sort_order": "99",
            f"topics-{index}-title_en": "Arctic",
            f"topics-{index}-title_fr": "Arctique",
            f"topics-{index}-anchor_en": "arctic",
            f"topics-{index}-anchor_fr": "arctique",
            f"topics-{index}-body_en": "<p>North.</p>",
            f"topics-{index}-body_fr": "<p>Nord.</p>",
        }
    )
    edith.post(change_url(demo.pk), data)
    with CaptureQueriesContext(connection) as queries:
        preview = edith.get(f"/en/preview/relations/{demo.pk}/")
    assert "Arctic" in preview.content.decode()
    written = [
        q["sql"]
        for q in queries
        if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
        and "django_session" not in q["sql"]
    ]
    assert written == []
    assert not Topic.objects.filter(title_en="Arctic").exists()


# Offices with their page


def test_publishing_a_page_offers_its_unpublished_offices(
    make_relationship, make_office, as_user
):
    page = make_relationship(code="MX", status="draft")
    ready = make_office(page, status="draft", name_en="Embassy in Mexico City")
    other = make_office(
        make_relationship(code="PE", status="draft"), status="draft", name_en="Lima"
    )
    paula = as_user("paula")
    url = view_url("publish", page.pk)
    confirm = paula.get(url)
    offered = [box["value"] for box in html(confirm).select("[name=companions]")]
    assert offered == [str(ready.pk)]
    # An office of another page is not published, whatever the form says.
    body = {
        **form_data(confirm, "confirm-form"),
        "companions": [str(ready.pk), str(other.pk)],
    }
    assert paula.post(url, body).status_code == 302
    ready.refresh_from_db()
    other.refresh_from_db()
    assert (ready.status, other.status) == (Status.PUBLISHED, Status.DRAFT)


def test_an_office_that_cannot_be_published_stops_the_whole_step(
    make_relationship, make_office, as_user
):
    page = make_relationship(code="MX", status="draft")
    incomplete = make_office(page, status="draft", name_fr="")
    paula = as_user("paula")
    url = view_url("publish", page.pk)
    body = {**form_data(paula.get(url), "confirm-form"), "companions": [incomplete.pk]}
    response = paula.post(url, body)
    assert response.status_code == 400
    assert "French" in errors(response)
    page.refresh_from_db()
    assert page.status == Status.DRAFT
