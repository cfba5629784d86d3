"""Time is the request's time: every list honours schedules when it is asked."""

import datetime

import pytest
from django.utils import timezone

# Each list, and what shows there that the page or its office is listed.
LISTS = [
    ("/en/", "Canada-Mexico relations"),
    ("/fr/", "Relations Canada-Mexique"),
    ("/sitemap.xml", "/en/relations/mexico/"),
    ("/en/offices/", "Embassy of Canada to Mexico"),
    ("/fr/bureaux/", "Ambassade du Canada au Mexique"),
    ("/en/search/?q=Mexico", "Canada-Mexico relations"),
    ("/fr/recherche/?q=Mexique", "Relations Canada-Mexique"),
    ("/api/offices.json", "Embassy of Canada to Mexico"),
    ("/api/offices.csv", "Ambassade du Canada au Mexique"),
]


@pytest.fixture
def scheduled(make_relationship, make_office, time_machine):
    """Mexico's page and embassy, scheduled: appearing in an hour, gone in two."""
    time_machine.move_to(timezone.now())
    now = timezone.now()
    page = make_relationship(
        slug_en="mexico",
        slug_fr="mexique",
        publish_at=now + datetime.timedelta(hours=1),
        unpublish_at=now + datetime.timedelta(hours=2),
    )
    make_office(
        page,
        name_en="Embassy of Canada to Mexico",
        name_fr="Ambassade du Canada au Mexique",
    )
    return now


@pytest.mark.parametrize(("url", "shown"), LISTS)
def test_every_list_honours_schedules_at_request_time(
    client, scheduled, time_machine, url, shown
):
    assert shown not in client.get(url).content.decode()
    time_machine.move_to(scheduled + datetime.timedelta(hours=1, seconds=1))
    assert shown in client.get(url).content.decode()
    time_machine.move_to(scheduled + datetime.timedelta(hours=2, seconds=1))
    assert shown not in client.get(url).content.decode()
