"""The publishing gate and the translation editor, attacked: confirmations
bound to the text read, schedules, concurrent drafts, hostile HTML, and the
live rule for what a published page lists."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from publishing import currency, workflow
from publishing.models import Draft
from relations.models import Status
from tests.support.pages import admin_url, form_data, html


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def state(obj, field, language):
    return currency.status(fresh(obj), field, language)[0]


def editor_url(page):
    return admin_url("relations_relationship_translate", "en", page.pk)


# "Still accurate" is bound to the text the Publisher read.


def test_a_tick_confirms_only_the_text_the_publisher_read(
    make_relationship, make_agreement, as_user
):
    page = make_relationship(status=Status.DRAFT)
    agreement = make_agreement(page)
    agreement.name_en = "Trade agreement, version 2"
    agreement.save()
    assert state(agreement, "name", "fr") == currency.OUT_OF_DATE
    paula = as_user("paula")
    url = admin_url("relations_relationship_publish", "en", page.pk)
    shown = paula.get(url)
    box = html(shown).select_one("#confirm-form input[name=still_accurate]")
    assert "version 2" in shown.content.decode()  # what she read
    data = {**form_data(shown, "confirm-form"), "still_accurate": box["value"]}
    # Meanwhile the English she read changes again (the page's version does not move).
    agreement = fresh(agreement)
    agreement.name_en = "Something else entirely"
    agreement.save()
    response = paula.post(url, data)
    # Expected: refused, as the one-text "Still accurate" page refuses (its `seen`).
    assert response.status_code == 400, "confirmed a text the publisher never saw"
    assert state(agreement, "name", "fr") == currency.OUT_OF_DATE


# A scheduled confirmation does not survive a change of the confirmed text.


def test_a_scheduled_confirmation_does_not_cover_a_text_changed_since(
    make_relationship, make_agreement, people, time_machine
):
    page = make_relationship()
    agreement = make_agreement(page)
    values = workflow.drafts.current(page)
    values["fields"]["summary_en"] = "From next week."
    workflow.save_draft(page, people["edith"], values, page.version)
    agreement.name_en = "Trade agreement, version 2"
    agreement.save()
    keys = [
        f"{currency.key(page, 'summary', 'fr')}|{currency.digest('From next week.')}",
        currency.confirmation(fresh(agreement), "name", "fr"),
    ]
    when = timezone.now() + datetime.timedelta(days=7)
    workflow.publish(fresh(page), people["paula"], at=when, still_accurate=keys)
    # After scheduling, a Publisher rewrites the agreement's English (its own form).
    agreement = fresh(agreement)
    agreement.name_en = "A completely different agreement"
    agreement.save()
    time_machine.move_to(when + datetime.timedelta(minutes=1))
    workflow.publish_due()
    # Expected: the French the schedule confirmed was against "version 2",
    # not this text; it should stay out of date (or the schedule be refused).
    assert state(agreement, "name", "fr") == currency.OUT_OF_DATE


def test_a_schedule_does_not_confirm_for_a_former_publisher(
    make_relationship, people, time_machine
):
    page = make_relationship()
    values = workflow.drafts.current(page)
    values["fields"]["summary_en"] = "From next week."
    workflow.save_draft(page, people["edith"], values, page.version)
    when = timezone.now() + datetime.timedelta(days=7)
    key = f"{currency.key(page, 'summary', 'fr')}|{currency.digest('From next week.')}"
    workflow.publish(fresh(page), people["paula"], at=when, still_accurate=[key])
    assert Draft.of(page).still_accurate == [key]
    # Paula leaves the Publishers before the publication time.
    people["paula"].groups.set(Group.objects.filter(name="Editor"))
    time_machine.move_to(when + datetime.timedelta(minutes=1))
    assert workflow.publish_due() == 0, "published on a former publisher's word"


# The translation editor and parts with drafts of their own (offices).


def office_page(make_relationship, make_office):
    page = make_relationship()
    office = make_office(page, notes_en="Open weekdays.", notes_fr="Ouvert en semaine.")
    return page, office


def test_the_editor_leaves_an_office_draft_it_did_not_touch(
    make_relationship, make_office, as_user, people
):
    page, office = office_page(make_relationship, make_office)
    edith = as_user("edith")
    data = form_data(edith.get(editor_url(page)), "translate-form")
    # Meanwhile Eric fixes the office's French in the office's draft.
    values = workflow.drafts.current(office)
    values["fields"]["notes_fr"] = "Ouvert du lundi au vendredi."
    workflow.save_draft(office, people["eric"], values, office.version)
    # Edith translates only the page summary; her form still holds the old notes.
    data[f"relations.relationship.{page.pk}.summary"] = "Résumé retraduit."
    response = edith.post(editor_url(page), data)
    assert Draft.of(office).values["fields"]["notes_fr"] == (
        "Ouvert du lundi au vendredi."
    ), f"Eric's draft change was silently reverted (status {response.status_code})"


def test_the_editor_refuses_a_translation_of_a_source_changed_meanwhile(
    make_relationship, make_office, as_user, people
):
    page, office = office_page(make_relationship, make_office)
    edith = as_user("edith")
    data = form_data(edith.get(editor_url(page)), "translate-form")
    # Meanwhile Eric rewrites the office's English in its draft.
    values = workflow.drafts.current(office)
    values["fields"]["notes_en"] = "Closed until further notice."
    workflow.save_draft(office, people["eric"], values, office.version)
    # Edith's French translates the English she read ("Open weekdays.").
    data[f"consulates.office.{office.pk}.notes"] = "Ouvert en semaine, de 9 h à 17 h."
    response = edith.post(editor_url(page), data)
    assert response.status_code == 400, "saved a translation of a superseded source"


# A translation in a draft, then its source changed in the draft: the
# French is out of date against the English it translated.


def test_english_changed_in_a_draft_after_its_translation_is_flagged(
    make_relationship, as_user, people
):
    page = make_relationship()
    edith = as_user("edith")
    data = form_data(edith.get(editor_url(page)), "translate-form")
    data[f"relations.relationship.{page.pk}.summary"] = "Le Canada et le Mexique, amis."
    assert edith.post(editor_url(page), data).status_code == 302
    # Eric then rewrites the English summary in the same draft.
    draft = Draft.of(page)
    values = draft.values
    values["fields"]["summary_en"] = "Canada and Mexico disagree on everything."
    workflow.save_draft(fresh(page), people["eric"], values, fresh(page).version)
    # The French now translates nothing that will be live: the gate must catch it.
    _objects, found = workflow.as_drafted(fresh(page))
    flagged = [(o, f, lang) for o, f, lang, s, _ in found if s == currency.OUT_OF_DATE]
    assert (page, "summary", "fr") in flagged, "review shows nothing out of date"


# A Publisher saves a translation draft from the change form.


def test_a_publisher_saves_a_translation_draft_from_the_form(
    make_relationship, as_user
):
    page = make_relationship()
    edith = as_user("edith")
    data = form_data(edith.get(editor_url(page)), "translate-form")
    data[f"relations.relationship.{page.pk}.summary"] = "Le Canada et le Mexique, amis."
    assert edith.post(editor_url(page), data).status_code == 302
    paula = as_user("paula")
    url = admin_url("relations_relationship_change", "en", page.pk)
    form = form_data(paula.get(url), "relationship_form")
    response = paula.post(url, {**form, "_save": "Save"}, follow=True)
    # The draft is a translation: the English is not out of date.
    assert fresh(page).summary_fr == "Le Canada et le Mexique, amis.", [
        str(m) for m in response.context["messages"]
    ]


def test_the_editor_sanitizes_hostile_html_before_the_draft(
    make_relationship, make_topic, as_user
):
    page = make_relationship()
    topic = make_topic(page)
    edith = as_user("edith")
    data = form_data(edith.get(editor_url(page)), "translate-form")
    hostile = (
        '<p onclick="alert(1)">Salut<script>alert(2)</script>'
        '<a href="javascript:alert(3)">x</a><img src=x onerror=alert(4)></p>'
    )
    data[f"relations.topic.{topic.pk}.body"] = hostile
    assert edith.post(editor_url(page), data).status_code == 302
    stored = next(
        row["fields"]["body_fr"]
        for row in Draft.of(page).values["children"]["topics"]
        if row["pk"] == topic.pk
    )
    preview = edith.get(fresh(page).get_preview_url().replace("/en/", "/fr/", 1))
    body = preview.content.decode()
    assert (
        "alert(2)" not in body and "onerror" not in body and "javascript:" not in body
    )
    assert (
        "<script" not in stored
        and "onerror" not in stored
        and "javascript:" not in stored
    )


def test_english_changed_after_its_translation_needs_a_confirmation(
    make_relationship, as_user, people
):
    page = make_relationship()
    edith = as_user("edith")
    data = form_data(edith.get(editor_url(page)), "translate-form")
    data[f"relations.relationship.{page.pk}.summary"] = "Le Canada et le Mexique, amis."
    assert edith.post(editor_url(page), data).status_code == 302
    values = Draft.of(page).values
    values["fields"]["summary_en"] = "Canada and Mexico disagree on everything."
    workflow.save_draft(fresh(page), people["eric"], values, fresh(page).version)
    try:
        workflow.publish(fresh(page), people["paula"])
    except workflow.NotTranslated:
        return
    raise AssertionError(
        "published 'disagree on everything' beside French 'amis', no confirmation"
    )


def test_a_publisher_changing_a_listed_agreement_keeps_its_languages_together(
    make_relationship, make_agreement, as_user
):
    """The rule for a Publisher's live save (not one language alone unless
    minor) holds for what a live page lists, saved in its own form."""
    page = make_relationship()
    agreement = make_agreement(page)
    paula = as_user("paula")
    url = admin_url("relations_agreement_change", "en", agreement.pk)
    data = form_data(paula.get(url), "agreement_form")
    data["name_en"] = "An agreement with a different meaning"
    refused = paula.post(url, data)
    assert refused.status_code == 200
    assert "out of date in French" in html(refused).find(class_="errornote").text + (
        html(refused).find(class_="errorlist").text
    )
    assert fresh(agreement).name_en != "An agreement with a different meaning"
    assert paula.post(url, {**data, "minor_change": "on"}).status_code == 302
    assert fresh(agreement).name_en == "An agreement with a different meaning"
    assert state(agreement, "name", "fr") == currency.CURRENT
