"""Time is the request's time: every list honours schedules when it is asked."""

import datetime

import pytest
from django.utils import timezone

from tests.support.pages import html

# Each list, and what shows there that the page or its office is listed.
LISTS = [
    ("/en/", "Mexico"),
    ("/fr/", "Mexique"),
    ("/sitemap-relationships.xml", "/en/relations/mexico/"),
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
    def text(url):
        # What a visitor reads of a page; a sitemap's or open data's text whole.
        response = client.get(url)
        if response["Content-Type"].startswith("text/html"):
            return html(response).get_text()
        return response.content.decode()

    assert shown not in text(url)
    time_machine.move_to(scheduled + datetime.timedelta(hours=1, seconds=1))
    assert shown in text(url)
    time_machine.move_to(scheduled + datetime.timedelta(hours=2, seconds=1))
    assert shown not in text(url)


def test_changes_scheduled_by_a_publisher_show_at_their_time(
    client, demo, django_user_model, time_machine
):
    """A cached page does not outlive a scheduled change to it: the first
    request after its time publishes it, no cron job needed."""
    from django.contrib.auth.models import Group

    from publishing import drafts, workflow

    publisher = django_user_model.objects.create_user("paula", is_staff=True)
    publisher.groups.set(Group.objects.filter(name="Publisher"))
    time_machine.move_to(timezone.now())
    page = "/en/relations/united-states/"
    assert "Partners from next week." not in client.get(page).content.decode()
    values = drafts.current(demo)
    values["fields"]["title_en"] = "Partners from next week."
    values["fields"]["title_fr"] = "Partenaires dès la semaine prochaine."
    workflow.save_draft(demo, publisher, values, demo.version)
    demo.refresh_from_db()
    when = timezone.now() + datetime.timedelta(days=7)
    workflow.publish(demo, publisher, demo.version, at=when)
    assert "Partners from next week." not in client.get(page).content.decode()
    time_machine.move_to(when + datetime.timedelta(seconds=1))
    assert "Partners from next week." in client.get(page).content.decode()
