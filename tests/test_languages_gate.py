"""The official-languages rule is a model invariant: what visitors may see is
complete in English and French, whatever path validates it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from relations.models import Status


def refusal(obj):
    with pytest.raises(ValidationError) as raised:
        obj.full_clean()
    return raised.value


@pytest.mark.parametrize("when", ["now", "scheduled"])
def test_a_published_page_without_its_french_title_is_refused(make_relationship, when):
    publish_at = timezone.now() + datetime.timedelta(days=1)
    page = make_relationship(publish_at=publish_at if when == "scheduled" else None)
    page.title_fr = ""
    error = refusal(page)
    assert list(error.message_dict) == ["title_fr"]
    assert "Required in French" in error.message_dict["title_fr"][0]


def test_a_draft_may_be_written_in_one_language_first(make_relationship):
    page = make_relationship(status=Status.DRAFT)
    page.title_fr = ""
    page.full_clean()


def test_a_section_of_a_published_page_is_complete_in_both_languages(
    make_relationship, make_topic
):
    topic = make_topic(make_relationship())
    topic.body_en = "<p></p>"
    assert list(refusal(topic).message_dict) == ["body_en"]


def test_a_published_office_is_complete_in_both_languages(
    make_relationship, make_office
):
    office = make_office(make_relationship(status=Status.DRAFT))
    office.name_fr = ""
    assert list(refusal(office).message_dict) == ["name_fr"]
    office.status = Status.DRAFT
    office.full_clean()


def test_an_agreement_listed_on_a_published_page_is_complete(
    make_relationship, make_agreement
):
    agreement = make_agreement(make_relationship())
    agreement.name_fr = ""
    assert list(refusal(agreement).message_dict) == ["name_fr"]


def test_a_published_page_is_refused_while_what_it_shows_is_incomplete(
    make_relationship, make_topic, make_organization
):
    page = make_relationship()
    topic = make_topic(page, title_en="Trade")
    organization = make_organization(page)
    type(topic).objects.filter(pk=topic.pk).update(title_fr="")
    type(organization).objects.filter(pk=organization.pk).update(
        name_en="NATO", url_fr=""
    )
    error = refusal(page)
    assert list(error.message_dict) == ["__all__"]
    (message,) = error.message_dict["__all__"]
    assert "Trade" in message and "NATO" in message
    with translation.override("fr"):
        (message,) = refusal(page).message_dict["__all__"]
    assert message.startswith("Cette page est visible du public\u00a0: tout ce")
    assert "manque en français" in message
    page.status = Status.DRAFT
    page.full_clean()
