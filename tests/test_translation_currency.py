"""Out-of-date translations, field by field (issue 15): whichever language
changes, its twin is flagged, on every content model and whatever path
saves it; a minor change flags nothing; a Publisher's "Still accurate"
clears a flag; `translation_status` lists them."""

import csv
import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone

from publishing import currency, workflow
from publishing.models import Draft, NotTranslated, TranslationSource, minor_change
from relations.models import Relationship, Status
from tests.support.pages import admin_url, form_data, html


def state(obj, field, language):
    obj = type(obj).objects.get(pk=obj.pk)
    return currency.status(obj, field, language)[0]


@pytest.fixture
def objects(
    make_relationship, make_topic, make_office, make_agreement, make_organization
):
    """One object of each content model, both languages written, and the
    translated field each test changes."""
    page = make_relationship()
    return [
        (page, "summary"),
        (make_topic(page), "body"),
        (make_office(page, notes_en="Note.", notes_fr="Remarque."), "notes"),
        (make_agreement(page), "name"),
        (make_organization(page), "name"),
    ]


@pytest.mark.parametrize("source, twin", [("en", "fr"), ("fr", "en")])
def test_a_changed_text_makes_its_twin_out_of_date(objects, source, twin):
    for obj, field in objects:
        assert state(obj, field, twin) == currency.CURRENT
        setattr(obj, f"{field}_{source}", f"New text of {field}.")
        obj.save()
        assert state(obj, field, twin) == currency.OUT_OF_DATE, obj
        assert state(obj, field, source) == currency.CURRENT, obj


def test_a_minor_change_flags_nothing(objects):
    for obj, field in objects:
        with minor_change():
            setattr(obj, f"{field}_en", "Typo fixed.")
            obj.save()
        assert state(obj, field, "fr") == currency.CURRENT, obj


def test_a_minor_change_does_not_clear_a_flag(make_relationship):
    page = make_relationship()
    page.summary_en = "A new summary."
    page.save()
    with minor_change():
        page.summary_en = "A new summary, with a typo fixed."
        page.save()
    assert state(page, "summary", "fr") == currency.OUT_OF_DATE


def test_both_languages_changed_together_are_current(make_relationship):
    page = make_relationship()
    page.summary_en, page.summary_fr = "Both.", "Les deux."
    page.save()
    assert state(page, "summary", "en") == state(page, "summary", "fr") == "current"


def test_translating_the_twin_or_changing_the_source_back_clears_it(
    make_relationship,
):
    page = make_relationship()
    original = page.summary_en
    page.summary_en = "Changed."
    page.save()
    page.summary_fr = "Modifié."
    page.save()
    assert state(page, "summary", "fr") == currency.CURRENT
    assert state(page, "summary", "en") == currency.CURRENT

    page.summary_en = "Changed again."
    page.save()
    page.summary_en = "Changed."
    page.save()
    assert state(page, "summary", "fr") == currency.CURRENT
    assert original != page.summary_en


def test_out_of_date_since_the_first_change_and_against_the_old_text(
    make_relationship,
):
    page = make_relationship()
    original = page.summary_en
    page.summary_en = "First change."
    page.save()
    row = TranslationSource.objects.get(field="summary", language="fr")
    since = row.outdated_at
    assert row.source_text == original
    page.summary_en = "Second change."
    page.save()
    row.refresh_from_db()
    # The French still translates the text before both changes: the diff an
    # editor needs runs from there.
    assert (row.source_text, row.outdated_at) == (original, since)


def test_a_blank_twin_is_missing_not_out_of_date(make_relationship):
    page = make_relationship(status="draft", summary_fr="")
    assert state(page, "summary", "fr") == currency.MISSING
    assert state(page, "summary", "en") == currency.CURRENT
    both_blank = make_relationship(
        code="CA", status="draft", summary_en="", summary_fr=""
    )
    assert state(both_blank, "summary", "fr") == currency.CURRENT


def test_null_and_empty_are_the_same_text(make_topic, make_relationship):
    topic = make_topic(make_relationship(), closing_en="", closing_fr="")
    topic.closing_en = None
    topic.save()
    assert not TranslationSource.objects.exists()


def test_publishing_a_draft_records_it(make_relationship, make_topic, people):
    page = make_relationship()
    topic = make_topic(page)
    values = workflow.drafts.current(page)
    for part in values["children"]["topics"]:
        if part["pk"] == topic.pk:
            part["fields"]["body_en"] = "<p>A new English paragraph.</p>"
    workflow.save_draft(page, people["edith"], values, page.version)
    assert state(topic, "body", "fr") == currency.CURRENT  # a draft is not live
    # The gate: refused, naming the text, nothing published.
    with pytest.raises(NotTranslated) as refused:
        workflow.publish(page, people["paula"])
    assert "out of date in French: Area of action" in str(refused.value)
    assert [
        (obj, field, language) for obj, field, language, _ in refused.value.outdated
    ] == [(topic, "body", "fr")]
    assert Draft.of(page) is not None
    assert state(topic, "body", "fr") == currency.CURRENT
    # What a Publisher ticks: the text against the source as the draft has it.
    key = currency.confirmation(*refused.value.outdated[0][:3])
    assert key.startswith(currency.key(topic, "body", "fr") + "|")
    # A confirmation against the English as it was before confirms nothing.
    with pytest.raises(NotTranslated):
        workflow.publish(
            page,
            people["paula"],
            still_accurate=[currency.confirmation(topic, "body", "fr")],
        )
    # An Editor's confirmation is not a Publisher's.
    with pytest.raises(workflow.NotAllowed):
        workflow.publish(page, people["edith"], still_accurate=[key])
    workflow.publish(page, people["paula"], still_accurate=[key])
    assert Draft.of(page) is None
    assert state(topic, "body", "fr") == currency.CURRENT
    row = TranslationSource.objects.get(field="body", language="fr")
    assert row.confirmed_by == people["paula"]
    assert row.source_text == "<p>A new English paragraph.</p>"


def test_a_publishers_live_change_to_one_language_is_refused(make_relationship, people):
    """The gate holds for a Publisher saving a published page straight to
    visitors: not one language alone, unless the change is minor."""
    page = make_relationship()
    values = workflow.drafts.current(page)
    values["fields"]["summary_en"] = "A new English summary."
    with pytest.raises(NotTranslated) as refused:
        workflow.save(page, people["paula"], values, page.version)
    assert refused.value.saving
    assert "Nothing was saved" in str(refused.value)
    assert "out of date in French: Summary" in str(refused.value)
    assert Relationship.objects.get(pk=page.pk).summary_en != "A new English summary."
    assert state(page, "summary", "fr") == currency.CURRENT
    page.refresh_from_db()
    workflow.save(page, people["paula"], values, page.version, minor=True)
    assert Relationship.objects.get(pk=page.pk).summary_en == "A new English summary."
    # Both languages together: nothing out of date.
    page.refresh_from_db()
    values["fields"]["summary_en"] = "Another summary."
    values["fields"]["summary_fr"] = "Un autre résumé."
    workflow.save(page, people["paula"], values, page.version)
    assert state(page, "summary", "fr") == currency.CURRENT


def test_a_page_not_yet_published_is_saved_then_refused_at_publication(
    make_relationship, people
):
    page = make_relationship(status=Status.DRAFT)
    values = workflow.drafts.current(page)
    values["fields"]["title_fr"] = "Relations Canada–Mexique (révisé)"
    workflow.save(page, people["edith"], values, page.version)
    assert state(page, "title", "en") == currency.OUT_OF_DATE
    with pytest.raises(NotTranslated) as refused:
        workflow.publish(fresh(page), people["paula"])
    assert "out of date in English: Title" in str(refused.value)
    assert fresh(page).status == Status.DRAFT
    key = currency.confirmation(fresh(page), "title", "en")
    workflow.publish(fresh(page), people["paula"], still_accurate=[key])
    assert fresh(page).status == Status.PUBLISHED
    assert state(page, "title", "en") == currency.CURRENT


def test_a_scheduled_publication_keeps_the_publishers_confirmation(
    make_relationship, people, time_machine
):
    page = make_relationship()
    values = workflow.drafts.current(page)
    values["fields"]["summary_en"] = "From next week."
    workflow.save_draft(page, people["edith"], values, page.version)
    when = timezone.now() + datetime.timedelta(days=7)
    with pytest.raises(NotTranslated) as refused:
        workflow.publish(fresh(page), people["paula"], at=when)
    assert Draft.of(page).publish_at is None
    key = currency.confirmation(*refused.value.outdated[0][:3])
    workflow.publish(fresh(page), people["paula"], at=when, still_accurate=[key])
    draft = Draft.of(page)
    assert draft.still_accurate == [key] and draft.scheduled_by == people["paula"]
    assert state(page, "summary", "fr") == currency.CURRENT
    time_machine.move_to(when + datetime.timedelta(minutes=1))
    assert workflow.publish_due() == 1
    assert fresh(page).summary_en == "From next week."
    assert state(page, "summary", "fr") == currency.CURRENT
    row = TranslationSource.objects.get(field="summary", language="fr")
    assert row.confirmed_by == people["paula"]


def test_a_scheduled_draft_changed_since_is_not_confirmed_by_the_schedule(
    make_relationship, people, time_machine
):
    """An Editor's change after scheduling sends it back to review: the
    Publisher's confirmation was for what they read, not for this."""
    page = make_relationship()
    values = workflow.drafts.current(page)
    values["fields"]["summary_en"] = "From next week."
    workflow.save_draft(page, people["edith"], values, page.version)
    when = timezone.now() + datetime.timedelta(days=7)
    with pytest.raises(NotTranslated) as refused:
        workflow.publish(fresh(page), people["paula"], at=when)
    key = currency.confirmation(*refused.value.outdated[0][:3])
    workflow.publish(fresh(page), people["paula"], at=when, still_accurate=[key])
    values["fields"]["summary_en"] = "From next week, changed."
    workflow.save_draft(fresh(page), people["edith"], values, fresh(page).version)
    assert Draft.of(page).still_accurate == []
    time_machine.move_to(when + datetime.timedelta(minutes=1))
    assert workflow.publish_due() == 0
    assert fresh(page).summary_en != "From next week, changed."


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_still_accurate_is_a_publishers_and_is_recorded(make_relationship, people):
    page = make_relationship()
    page.title_en = "Canada–Mexico relations"
    page.save()
    with pytest.raises(workflow.NotAllowed):
        workflow.confirm_translation(page, page, "title", "fr", people["edith"])
    assert state(page, "title", "fr") == currency.OUT_OF_DATE
    with pytest.raises(workflow.ValidationError):
        workflow.confirm_translation(page, page, "country_code", "fr", people["paula"])
    row = workflow.confirm_translation(page, page, "title", "fr", people["paula"])
    assert state(page, "title", "fr") == currency.CURRENT
    assert row.confirmed_by == people["paula"] and row.confirmed_at is not None


def test_deleting_an_object_forgets_its_sources(make_relationship, make_topic):
    topic = make_topic(make_relationship())
    topic.title_en = "Renamed"
    topic.save()
    assert TranslationSource.objects.count() == 1
    topic.delete()
    assert not TranslationSource.objects.exists()


def test_translation_status_lists_each_field_and_counts(
    make_relationship, make_topic, make_office
):
    page = make_relationship(code="MX", status="draft", summary_fr="")
    topic = make_topic(page)
    topic.body_en = "<p>New.</p>"
    topic.save()
    office = make_office(page)
    office.city_fr = "Mexico (ville)"
    office.save()
    make_relationship(code="CL")  # nothing to translate

    out = io.StringIO()
    call_command("translation_status", "mx", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "1 missing, 2 out of date"
    assert any("summary [fr] missing" in line for line in lines)
    topic_line = f"relations.Topic {topic.pk} “{topic.title_en}”: body [fr] out of date"
    assert any(line.startswith(topic_line) for line in lines)
    assert any("city [en] out of date" in line for line in lines)

    out = io.StringIO()
    call_command("translation_status", stdout=out)
    assert out.getvalue().splitlines()[-1] == "1 missing, 2 out of date"

    with pytest.raises(CommandError):
        call_command("translation_status", "ZZ")


def test_the_demo_content_starts_current(demo):
    out = io.StringIO()
    call_command("translation_status", "US", stdout=out)
    assert out.getvalue().splitlines() == ["0 missing, 0 out of date"]
    assert Relationship.objects.get(pk=demo.pk).shown_objects()[0] == demo


# In the admin: the form lists what is out of date; a Publisher confirms it.


def change_url(obj, view="change", language="en"):
    return admin_url(f"relations_relationship_{view}", language, obj.pk)


def test_the_form_lists_out_of_date_texts_with_what_changed(
    make_relationship, make_topic, as_user
):
    page = make_relationship()
    topic = make_topic(page, body_en="<p>Trade grew fast.</p>")
    topic.body_en = "<p>Trade grew slowly.</p>"
    topic.save()

    editor = html(as_user("edith").get(change_url(page)))
    listed = editor.find(class_="out-of-date")
    assert "body (French)" in listed.get_text()
    assert [d.get_text() for d in listed.select("del")] == ["fast."]
    assert [i.get_text() for i in listed.select("ins")] == ["slowly."]
    assert not listed.find("a", string="Still accurate…")

    publisher = html(as_user("paula").get(change_url(page, language="fr")))
    link = publisher.find(class_="out-of-date").find("a")
    assert link.get_text() == "Toujours exact…"


def test_an_editors_draft_shows_the_french_it_leaves_behind(
    make_relationship, as_user, people
):
    page = make_relationship()
    values = workflow.drafts.current(page)
    values["fields"]["summary_en"] = "A new English summary."
    workflow.save_draft(page, people["edith"], values, page.version)
    assert state(page, "summary", "fr") == currency.CURRENT  # live is unchanged
    listed = html(as_user("edith").get(change_url(page))).find(class_="out-of-date")
    assert "summary (French)" in listed.get_text()


def still_accurate(client, page, obj, field, language, seen=None):
    url = change_url(page, "still_accurate")
    query = {
        "content_type": ContentType.objects.get_for_model(obj).pk,
        "object_id": obj.pk,
        "field": field,
        "language": language,
    }
    shown = client.get(url, query)
    if shown.status_code != 200:
        return shown, shown
    data = form_data(shown, "confirm-form")
    if seen is not None:
        data["seen"] = seen
    return shown, client.post(url, data)


def test_a_publisher_confirms_a_text_still_accurate(make_relationship, as_user, people):
    page = make_relationship()
    page.title_en = "Canada–Mexico relations"
    page.save()
    shown, done = still_accurate(as_user("paula"), page, page, "title", "fr")
    assert "Relations Canada-Mexique" in shown.text
    assert done.status_code == 302
    assert state(page, "title", "fr") == currency.CURRENT
    row = TranslationSource.objects.get(field="title", language="fr")
    assert row.confirmed_by == people["paula"]


def test_still_accurate_is_refused_to_editors_and_on_stale_or_foreign_texts(
    make_relationship, make_topic, as_user
):
    page = make_relationship()
    page.title_en = "Canada–Mexico relations"
    page.save()
    url = change_url(page, "still_accurate")
    query = {
        "content_type": ContentType.objects.get_for_model(page).pk,
        "object_id": page.pk,
        "field": "title",
        "language": "fr",
    }
    for name in ("edith", "staff", "reviewer", "administrator"):
        outsider = as_user(name)
        assert outsider.get(url, query).status_code == 403, name
        assert outsider.post(url, {**query, "seen": "x"}).status_code == 403, name
    anonymous = as_user("anonymous").post(url, {**query, "seen": "x"})
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]

    publisher = as_user("paula")
    # The English changed again after the page was opened.
    shown = publisher.get(url, query)
    page.title_en = "Canada–Mexico relations, again"
    page.save()
    stale = publisher.post(url, form_data(shown, "confirm-form"))
    assert stale.status_code == 400
    assert state(page, "title", "fr") == currency.OUT_OF_DATE

    other_topic = make_topic(make_relationship(code="CL"))
    for wrong in [
        {
            **query,
            "content_type": ContentType.objects.get_for_model(other_topic).pk,
            "object_id": other_topic.pk,
        },
        {**query, "field": "country_code"},
        {**query, "language": "de"},
        {**query, "content_type": "x"},
    ]:
        assert publisher.get(url, wrong).status_code == 404
        assert publisher.post(url, {**wrong, "seen": "x"}).status_code == 404
    assert state(page, "title", "fr") == currency.OUT_OF_DATE


def test_the_change_list_counts_and_filters_out_of_date_texts(
    make_relationship, make_topic, as_user
):
    stale = make_relationship(code="MX")
    topic = make_topic(stale)
    topic.title_en, topic.body_en = "Trade", "<p>Trade.</p>"
    topic.save()
    fresh = make_relationship(code="CL")
    client = as_user("paula")
    listing = html(client.get(admin_url("relations_relationship_changelist", "en")))
    row = next(r for r in listing.select("#result_list tbody tr") if "MX" in r.text)
    assert "FR: 2 out of date" in row.get_text()

    url = admin_url("relations_relationship_changelist", "en")
    outdated = client.get(url, {"translation": "outdated_fr"})
    assert [p.pk for p in outdated.context["cl"].result_list] == [stale.pk]
    complete = client.get(url, {"translation": "complete"})
    assert fresh.pk in [p.pk for p in complete.context["cl"].result_list]
    assert stale.pk not in [p.pk for p in complete.context["cl"].result_list]


# The official-languages report.


def test_the_official_languages_report_lists_pages_and_since_when(
    make_relationship, make_topic, as_user
):
    page = make_relationship(
        code="MX",
        status="draft",
        summary_fr="",
        title_en="=HYPERLINK(1)",
        title_fr="=HYPERLINK(1)",
    )
    topic = make_topic(page)
    topic.body_fr = "<p>Texte changé.</p>"
    topic.save()
    make_relationship(code="CL")  # nothing to translate

    url = admin_url("official_languages", "fr")
    editor = as_user("edith")
    home = html(editor.get(admin_url("index", "fr")))
    assert home.select_one("#official-languages a")["href"] == url
    shown = html(editor.get(url)).find(id="content-main")
    captions = [c.get_text(" ", strip=True) for c in shown.select("caption")]
    assert captions == ["=HYPERLINK(1) (Brouillon)"]
    cells = [td.get_text(" ", strip=True) for td in shown.select("tbody td")]
    assert "résumé (français)" in cells and "Manquant" in cells
    assert "corps du texte (anglais)" in cells and "À mettre à jour" in cells
    assert any(cell.endswith("(0 jour)") for cell in cells)

    response = editor.get(url, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "\ufeffcountry_code"
    assert len(rows) == 3
    body = next(row for row in rows if row[5] == "en")
    assert body[6] == "out_of_date" and body[8] == "0"
    # A cell a spreadsheet would run as a formula is neutralised.
    assert body[1] == "'=HYPERLINK(1)"

    for name in ("staff", "reviewer"):
        assert as_user(name).get(url).status_code == 403
    assert as_user("anonymous").get(url).status_code == 302


def test_the_publish_page_offers_the_confirmation(make_relationship, as_user, people):
    page = make_relationship(status=Status.DRAFT)
    values = workflow.drafts.current(page)
    values["fields"]["title_fr"] = "Relations Canada–Mexique (révisé)"
    workflow.save(page, people["edith"], values, page.version)
    paula = as_user("paula")
    url = change_url(page, "publish")
    shown = paula.get(url)
    boxes = html(shown).select("#confirm-form input[name=still_accurate]")
    assert len(boxes) == 1
    assert boxes[0]["value"] == currency.confirmation(fresh(page), "title", "en")
    label = html(shown).find("label", attrs={"for": boxes[0]["id"]}).text
    assert "Title" in label and "English" in label
    refused = paula.post(url, form_data(shown, "confirm-form"))
    assert refused.status_code == 400
    assert "out of date in English: Title" in html(refused).find(role="alert").text
    assert fresh(page).status == Status.DRAFT
    body = {**form_data(refused, "confirm-form"), "still_accurate": boxes[0]["value"]}
    assert paula.post(url, body).status_code == 302
    assert fresh(page).status == Status.PUBLISHED


def test_each_out_of_date_field_has_a_badge_and_the_change(demo, as_user):
    topic = demo.topics.order_by("sort_order").first()
    topic.body_en = topic.body_en.replace("unique", "singular", 1)
    topic.save()
    page = html(as_user("edith").get(change_url(demo)))
    index = next(
        field["name"].split("-")[1]
        for field in page.select("input[name$='-id']")
        if field["name"].startswith("topics-") and field.get("value") == str(topic.pk)
    )
    help_text = page.find(id=f"id_topics-{index}-body_fr_helptext")
    assert help_text.find(class_="label-out-of-date").text == "Out of date"
    assert help_text.find("ins").text == "singular"
    # Only that field has one.
    badged = [
        element["id"]
        for element in page.select("[id$=_helptext]")
        if element.find(class_="label-out-of-date")
    ]
    assert badged == [f"id_topics-{index}-body_fr_helptext"]


def test_a_missing_text_is_missing_since_it_became_so(
    make_relationship, make_topic, time_machine
):
    page = make_relationship()
    topic = make_topic(page, closing_en="<p>More to come.</p>", closing_fr="")
    created = timezone.now()
    rows = currency.problems([fresh(topic)])
    [(_obj, field, language, found, row)] = [p for p in rows if p[1] == "closing"]
    assert (field, language, found) == ("closing", "fr", currency.MISSING)
    assert abs(currency.since(found, row) - created) < datetime.timedelta(seconds=5)
    # Still missing a day later: since the first moment, not the latest save.
    time_machine.move_to(created + datetime.timedelta(days=1))
    topic = fresh(topic)
    topic.closing_en = "<p>More to come soon.</p>"
    topic.save()
    [(_obj, _field, _language, found, row)] = [
        p for p in currency.problems([fresh(topic)]) if p[1] == "closing"
    ]
    assert currency.since(found, row).date() == timezone.localtime(created).date()
    # Written: current, and no "since".
    topic = fresh(topic)
    topic.closing_fr = "<p>La suite bientôt.</p>"
    topic.save()
    assert currency.status(fresh(topic), "closing", "fr")[0] == currency.CURRENT
    # Blanked again on a live object: missing from now.
    topic = fresh(topic)
    topic.closing_fr = ""
    topic.save()
    [(_obj, _field, _language, found, row)] = [
        p for p in currency.problems([fresh(topic)]) if p[1] == "closing"
    ]
    assert found == currency.MISSING
    assert currency.since(found, row).date() == timezone.localdate()
