"""The translation editor: the page and what it shows, source beside
translation, field by field; saving makes drafts for review."""

from publishing import currency, workflow
from publishing.models import Draft
from tests.support.pages import admin_url, form_data, html


def editor_url(page, language="en"):
    return admin_url("relations_relationship_translate", language, page.pk)


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def test_every_text_is_shown_beside_its_translation_with_its_status(demo, as_user):
    topic = demo.topics.order_by("sort_order").first()
    topic.body_en = topic.body_en.replace("unique", "singular", 1)
    topic.save()
    response = as_user("edith").get(editor_url(demo))
    assert response.status_code == 200
    page = html(response)
    rows = page.select("section.translation-row")
    expected = sum(
        1
        for obj in demo.shown_objects()
        for name in currency.translated_fields(type(obj))
        if currency.text(getattr(obj, f"{name}_en")).strip()
    )
    assert len(rows) == expected
    outdated = page.select("section.status-out_of_date")
    assert len(outdated) == 1
    assert "singular" in outdated[0].find(class_="word-diff").find("ins").text
    assert outdated[0].find(class_="translation-source")["lang"] == "en"
    # Rich text is edited with the form's editor; each field has its label.
    target = outdated[0].find(class_="translation-target")
    assert target["lang"] == "fr"
    field = target.find("textarea")
    assert page.find("label", attrs={"for": field["id"]})
    assert "prose-editor" in response.content.decode()
    # Agreements and organizations, shared by pages, link to their own form.
    shared = [row for row in rows if row.find(class_="translation-target").find("a")]
    assert shared and all(
        "/agreement/" in r.find("a")["href"] or "/organization/" in r.find("a")["href"]
        for r in shared
    )


def test_saving_makes_a_draft_and_clears_the_flag_once_published(demo, as_user, people):
    topic = demo.topics.order_by("sort_order").first()
    topic.body_en = topic.body_en.replace("unique", "singular", 1)
    topic.save()
    edith = as_user("edith")
    form = edith.get(editor_url(demo))
    data = form_data(form, "translate-form")
    name = f"relations.topic.{topic.pk}.body"
    data[name] = data[name].replace("unique", "singulière", 1)
    response = edith.post(editor_url(demo), data)
    assert response.status_code == 302
    # Live content untouched; a draft waits, and its French is current.
    assert "singulière" not in fresh(topic).body_fr
    draft = Draft.of(demo)
    assert draft is not None
    page = html(edith.get(editor_url(demo)))
    assert not page.select("section.status-out_of_date")
    workflow.publish(fresh(demo), people["paula"])
    assert "singulière" in fresh(topic).body_fr
    assert currency.status(fresh(topic), "body", "fr")[0] == currency.CURRENT
    assert currency.status(fresh(topic), "body", "en")[0] == currency.CURRENT


def test_a_form_opened_before_another_change_is_refused(demo, as_user, people):
    edith = as_user("edith")
    data = form_data(edith.get(editor_url(demo)), "translate-form")
    page = fresh(demo)
    values = workflow.drafts.current(page)
    values["fields"]["summary_en"] = "Changed meanwhile."
    values["fields"]["summary_fr"] = "Changé entre-temps."
    workflow.save_draft(page, people["eric"], values, page.version)
    data[f"relations.relationship.{demo.pk}.title"] = "Titre nouveau"
    response = edith.post(editor_url(demo), data)
    assert response.status_code == 400
    assert "changed after you opened it" in html(response).find(role="alert").text
    assert "Titre nouveau" not in str(Draft.of(demo).values)


def test_nothing_changed_is_said_and_french_source_works(demo, as_user):
    edith = as_user("edith")
    data = form_data(edith.get(editor_url(demo, "fr")), "translate-form")
    response = edith.post(editor_url(demo, "fr"), data)
    assert response.status_code == 400
    assert "Aucune traduction" in html(response).find(role="alert").text
    french_source = html(edith.get(editor_url(demo) + "?source=fr"))
    assert french_source.find(class_="translation-source")["lang"] == "fr"
    assert Draft.of(demo) is None


def test_only_those_who_may_change_the_page_translate(demo, as_user):
    for name in ("anonymous", "staff", "reviewer"):
        assert as_user(name).get(editor_url(demo)).status_code in (302, 403)
        assert as_user(name).post(editor_url(demo), {}).status_code in (302, 403)
    assert Draft.objects.count() == 0
