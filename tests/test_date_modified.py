"""Date modified moves with real changes of a page or of anything it shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from consulates.models import Office
from relations.models import Relationship, RelationshipAgreement

LONG_AGO = timezone.now() - timedelta(days=400)


@pytest.fixture
def page(make_relationship, make_topic, make_office, make_agreement):
    relationship = make_relationship()
    topic = make_topic(relationship)
    office = make_office(relationship)
    agreement = make_agreement(relationship)
    Relationship.objects.filter(pk=relationship.pk).update(content_modified_at=LONG_AGO)
    relationship.refresh_from_db()
    return relationship, topic, office, agreement


def moved(relationship):
    relationship.refresh_from_db()
    return relationship.content_modified_at > LONG_AGO


def test_resaving_without_a_change_keeps_the_date(page):
    relationship, topic, office, agreement = page
    for obj in (relationship, topic, office, agreement):
        obj.save()
    assert not moved(relationship)


def test_a_change_in_either_language_moves_the_date(page):
    relationship, *_ = page
    relationship.summary_fr = "Un nouveau résumé."
    relationship.save()
    assert moved(relationship)


def test_publishing_the_page_does_not_move_the_date(page):
    relationship, *_ = page
    relationship.status = "draft"
    relationship.save()
    relationship.status = "published"
    relationship.save()
    assert not moved(relationship)


def test_first_publication_is_recorded_once(make_relationship):
    relationship = make_relationship(status="draft")
    assert relationship.first_published_at is None
    relationship.status = "published"
    relationship.save()
    first = relationship.first_published_at
    assert first is not None
    relationship.status = "draft"
    relationship.save()
    relationship.status = "published"
    relationship.save()
    assert relationship.first_published_at == first


@pytest.mark.parametrize(
    "change",
    [
        lambda topic, office, agreement: setattr(topic, "body_fr", "<p>Nouveau</p>"),
        lambda topic, office, agreement: setattr(topic, "sort_order", 99),
        lambda topic, office, agreement: setattr(office, "city_en", "Montréal"),
        lambda topic, office, agreement: setattr(agreement, "name_fr", "Nouvel accord"),
    ],
    ids=["topic body", "topic order", "office city", "agreement name"],
)
def test_a_change_to_anything_shown_moves_the_date(page, change):
    relationship, topic, office, agreement = page
    change(topic, office, agreement)
    for obj in (topic, office, agreement):
        obj.save()
    assert moved(relationship)


def test_deleting_a_topic_moves_the_date(page):
    relationship, topic, *_ = page
    topic.delete()
    assert moved(relationship)


def test_unlisting_an_agreement_moves_the_date(page):
    relationship, *_ = page
    RelationshipAgreement.objects.filter(relationship=relationship).delete()
    assert moved(relationship)


def test_publishing_an_office_moves_the_date_but_editing_a_draft_does_not(page):
    relationship, _, office, _ = page
    draft = Office.objects.get(pk=office.pk)
    draft.status = "draft"
    draft.save()
    assert moved(relationship)

    Relationship.objects.filter(pk=relationship.pk).update(content_modified_at=LONG_AGO)
    draft.notes_en = "Work in progress"
    draft.save()
    assert not moved(relationship)

    draft.status = "published"
    draft.save()
    assert moved(relationship)


def test_moving_a_topic_changes_both_pages(page, make_relationship):
    relationship, topic, *_ = page
    other = make_relationship(code="FR", slug_en="france", slug_fr="france")
    Relationship.objects.update(content_modified_at=LONG_AGO)
    topic = type(topic).objects.get(pk=topic.pk)
    topic.relationship = other
    topic.save()
    assert moved(relationship)
    assert moved(other)
