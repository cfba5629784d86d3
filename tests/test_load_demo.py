import io

import pytest
from django.core.management import call_command

from consulates.models import Office
from relations.models import Agreement, Organization, Relationship, Topic


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Relationship, Topic, Agreement, Organization, Office)
    }


@pytest.fixture
def loaded(db):
    output = load_demo()
    return output


def test_loads_the_united_states_relationship(loaded):
    assert "Created Canada-United States relations" in loaded
    assert counts() == {
        "Relationship": 1,
        "Topic": 8,
        "Agreement": 2,
        "Organization": 7,
        "Office": 21,
    }
    offices = Office.objects.filter(run_by=Office.RunBy.CANADA)
    assert offices.filter(kind=Office.Kind.EMBASSY).get().city_en == "Washington, D.C."
    assert offices.filter(kind=Office.Kind.CONSULATE_GENERAL).count() == 12
    partner = Office.objects.filter(run_by=Office.RunBy.PARTNER)
    assert partner.filter(kind=Office.Kind.EMBASSY).get().city_fr == "Ottawa"


@pytest.mark.parametrize(
    "model", [Relationship, Topic, Agreement, Organization, Office]
)
def test_every_required_field_is_filled_in_both_languages(loaded, model):
    from modeltranslation.translator import translator

    options = translator.get_options_for_model(model)
    for obj in model.objects.all():
        for field in options.fields:
            if model._meta.get_field(field).blank:
                continue
            for language in ("en", "fr"):
                assert getattr(obj, f"{field}_{language}"), (obj, field, language)


def test_running_twice_changes_nothing(loaded):
    before = counts()
    modified = Relationship.objects.get().content_modified_at
    output = load_demo()
    assert "already loaded; nothing changed" in output
    assert counts() == before
    assert Relationship.objects.get().content_modified_at == modified


def test_editors_changes_survive_a_second_run(loaded):
    topic = Topic.objects.get(anchor_en="trade-relationship")
    topic.title_fr = "Commerce"
    topic.save()
    Office.objects.filter(city_en="Boston").delete()
    load_demo()
    assert Topic.objects.get(pk=topic.pk).title_fr == "Commerce"
    assert not Office.objects.filter(city_en="Boston").exists()


def test_reset_restores_the_demo_version(loaded):
    topic = Topic.objects.get(anchor_en="trade-relationship")
    topic.title_fr = "Commerce"
    topic.save()
    Office.objects.filter(city_en="Boston").delete()
    Agreement.objects.filter(name_en__contains="CUSMA").update(name_fr="Changé")
    output = load_demo("--reset")
    assert "Restored" in output
    assert Topic.objects.get(anchor_en="trade-relationship").title_fr == (
        "Relation commerciale"
    )
    assert Office.objects.filter(city_en="Boston").count() == 1
    assert Agreement.objects.get(name_en__contains="CUSMA").name_fr == (
        "Accord Canada–États-Unis–Mexique (ACEUM)"
    )
    assert counts()["Topic"] == 8
    assert counts()["Office"] == 21


def test_reset_dry_run_changes_nothing(loaded):
    topic = Topic.objects.get(anchor_en="trade-relationship")
    topic.title_fr = "Commerce"
    topic.save()
    output = load_demo("--reset", "--dry-run")
    assert output.startswith("Dry run, nothing saved:")
    assert "Deleted first: 8 areas of action, 21 offices" in output
    assert Topic.objects.get(pk=topic.pk).title_fr == "Commerce"


def test_shared_agreements_are_reused_not_duplicated(db):
    existing = Agreement.objects.create(
        name_en="Canada-United States-Mexico Agreement (CUSMA)",
        name_fr="ACEUM",
    )
    load_demo()
    assert Agreement.objects.filter(name_en__contains="CUSMA").get() == existing
    assert Agreement.objects.get(pk=existing.pk).name_fr == "ACEUM"
