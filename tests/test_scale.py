"""The site at a ministry's scale: synthetic content for benchmarks
(manage.py seed_scale), and what visitors get when there is that much."""

import io

import pytest
from django.core.management import CommandError, call_command

from consulates.models import Office
from relations.models import Relationship, Topic
from tests.support.pages import html


def seed(countries, **options):
    out = io.StringIO()
    call_command("seed_scale", countries=countries, stdout=out, **options)
    return out.getvalue()


def test_seed_scale_makes_labelled_pages_with_areas_and_offices(client, demo):
    output = seed(5)
    assert "5 synthetic pages, 40 areas of action, 10 offices." in output
    synthetic = Relationship.objects.filter(slug_en__startswith="synthetic-")
    assert synthetic.count() == 5
    assert Topic.objects.filter(relationship__in=synthetic).count() == 40
    assert Office.objects.filter(relationship__in=synthetic).count() == 10
    page = synthetic.first()
    assert "(synthetic)" in page.title_en
    assert "(synthétique)" in page.title_fr
    response = client.get(page.get_absolute_url())
    assert response.status_code == 200
    assert "synthetic" in html(response).h1.get_text()
    # Found by the search (the index is rebuilt after the bulk load).
    soup = html(client.get("/en/search/", {"q": page.partner_name_en}))
    assert page.title_en in [a.get_text() for a in soup.select(".search-results a")]


def test_seed_scale_replaces_its_earlier_run(demo):
    seed(5)
    seed(3)
    assert Relationship.objects.filter(slug_en__startswith="synthetic-").count() == 3
    assert Relationship.objects.filter(country_code="US").exists()


def test_seed_scale_refuses_beside_real_content_unless_forced(demo, make_relationship):
    make_relationship(code="MX")
    with pytest.raises(CommandError, match="real relationship page"):
        seed(2)
    assert not Relationship.objects.filter(slug_en__startswith="synthetic-").exists()
    seed(2, force=True)
    assert Relationship.objects.filter(slug_en__startswith="synthetic-").count() == 2


def test_seed_scale_refuses_more_countries_than_there_are(demo):
    with pytest.raises(CommandError, match="ask for fewer"):
        seed(1000)


def test_seed_scale_never_takes_an_editors_page_for_its_own(demo, make_relationship):
    real = make_relationship(code="DE", slug_en="synthetic-fuels-germany")
    with pytest.raises(CommandError, match="real relationship page"):
        seed(2)
    assert Relationship.objects.filter(pk=real.pk).exists()
    seed(2, force=True)
    assert Relationship.objects.filter(pk=real.pk).exists()


def test_seed_scale_takes_an_edited_demo_page_for_real_content(demo):
    demo.summary_en = "Our real summary."
    demo.save()
    with pytest.raises(CommandError, match="real relationship page"):
        seed(2)
