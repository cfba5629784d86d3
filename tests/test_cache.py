"""Public pages are cached whole and stale the moment content changes."""

import datetime
import time

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from relations.cache import VERSION_KEY, VERSION_SECONDS, page_key
from relations.models import ContentVersion, Status
from tests.support.pages import html

PAGE = "/en/relations/mexico/"


@pytest.fixture
def page(make_relationship, make_topic):
    relationship = make_relationship(slug_en="mexico", slug_fr="mexique")
    make_topic(relationship, title_en="Trade", anchor_en="trade")
    return relationship


def test_in_a_transaction_a_cached_page_costs_the_version_query_only(
    client, page, django_assert_num_queries
):
    first = client.get(PAGE)
    with django_assert_num_queries(1):
        again = client.get(PAGE)
    assert again.status_code == 200
    assert again.content == first.content


def test_an_edit_shows_on_the_next_request(client, page):
    client.get(PAGE)
    topic = page.topics.get()
    topic.title_en = "Trade and investment"
    topic.save()
    assert "Trade and investment" in client.get(PAGE).content.decode()


def test_unpublishing_and_deleting_show_at_once(client, page, make_topic):
    extra = make_topic(page, title_en="Arctic")
    assert "Arctic" in client.get(PAGE).content.decode()
    extra.delete()
    assert "Arctic" not in client.get(PAGE).content.decode()
    page.unpublish()
    assert client.get(PAGE).status_code == 404


def test_a_schedule_coming_due_makes_the_page_stale_without_a_save(
    client, page, time_machine
):
    page.unpublish_at = timezone.now() + datetime.timedelta(seconds=1)
    page.save()
    assert client.get(PAGE).status_code == 200
    row = ContentVersion.objects.get()
    assert row.next_change_at == page.unpublish_at
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=1.1))
    assert client.get(PAGE).status_code == 404


def test_public_pages_carry_validators_and_answer_conditional_gets(client, page):
    response = client.get(PAGE)
    assert response["Cache-Control"] == "public, max-age=60, stale-if-error=86400"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]
    assert "Set-Cookie" not in response
    assert "Cookie" not in response.get("Vary", "")
    same = client.get(PAGE, headers={"If-None-Match": response["ETag"]})
    assert same.status_code == 304
    assert same.content == b""
    unchanged = client.get(
        PAGE, headers={"If-Modified-Since": response["Last-Modified"]}
    )
    assert unchanged.status_code == 304
    page.summary_en = "New summary."
    page.save()
    changed = client.get(PAGE, headers={"If-None-Match": response["ETag"]})
    assert changed.status_code == 200


def test_stray_query_parameters_bypass_the_cache(
    client, page, django_assert_max_num_queries
):
    client.get(f"{PAGE}?utm_source=mail")
    with django_assert_max_num_queries(10) as queries:
        client.get(f"{PAGE}?utm_source=mail")
    assert len(queries) > 1


def test_errors_and_posts_are_never_cached(client, page, django_assert_max_num_queries):
    too_long = "/en/search/?q=" + "x" * 171
    assert client.get(too_long).status_code == 400
    with django_assert_max_num_queries(10) as queries:
        assert client.get(too_long).status_code == 400
    assert len(queries) > 1
    sent = client.post(
        "/en/report-a-problem/", {"page": PAGE, "problems": ["spelling"]}
    )
    assert sent.status_code in {200, 303}
    assert (
        html(client.get(PAGE)).select_one("#report-problem details").get("open") is None
    )


def test_previews_are_never_cached(client, page, django_user_model):
    editor = django_user_model.objects.create_user("ed", password="pw", is_staff=True)
    editor.groups.set(Group.objects.filter(name="Editor"))
    client.force_login(editor)
    url = f"/en/preview/relations/{page.pk}/"
    first = client.get(url)
    assert "public" not in first["Cache-Control"]
    page.title_en = "Canada-Mexico: a new title"
    page.save()
    assert "Canada-Mexico: a new title" in client.get(url).content.decode()


def test_a_draft_is_not_served_from_a_cached_published_copy(client, page):
    client.get(PAGE)
    page.status = Status.DRAFT
    page.save(update_fields=["status"])
    assert client.get(PAGE).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/fr/bureaux/",
        "/en/offices/?kind=embassy",
        "/en/search/?q=trade",
    ],
)
def test_every_public_page_is_cached(client, page, url, django_assert_num_queries):
    assert client.get(url).status_code == 200
    version = ContentVersion.objects.get().number
    assert cache.get(page_key(RequestFactory().get(url), version)) is not None
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url", ["/", "/sitemap.xml", "/robots.txt", "/api/offices.json"]
)
def test_addresses_outside_the_languages_answer_conditional_gets(client, page, url):
    # They vary on Accept-Language, so they are not kept in the page cache.
    first = client.get(url)
    assert first["Vary"] == "Accept-Language"
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


@pytest.mark.parametrize("cached_first", [True, False])
def test_a_page_shown_with_report_errors_is_neither_served_from_nor_put_in_the_cache(
    client, page, cached_first
):
    if cached_first:
        client.get(PAGE)
    refused = client.post("/en/report-a-problem/", {"page": PAGE})
    assert refused.status_code == 400
    assert html(refused).select_one("#report-problem-errors")
    assert not html(client.get(PAGE)).select_one("#report-problem-errors")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_connection_the_database_dropped_is_replaced(
    client, make_relationship, make_topic
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("dropping a connection is a PostgreSQL test")
    import psycopg

    make_topic(make_relationship(slug_en="mexico", slug_fr="mexique"))
    assert client.get(PAGE).status_code == 200
    # The version query stands in for the health check of a reused
    # connection: a connection the server closed must still give the page.
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        dbname=settings["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    # A page not in the cache, so the version is read from the database.
    assert client.get(PAGE + "?fresh=1").status_code == 200
    assert connection.connection.info.backend_pid != pid


def test_the_file_cache_lists_its_folder_to_cull_it_at_most_once_a_second(
    tmp_path, monkeypatch
):
    from config import filecache

    store = filecache.FileCache(
        str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}}
    )
    for n in range(30):
        store.set(f"key-{n}", n)
    assert len(list(tmp_path.glob("*.djcache"))) == 30
    later = time.monotonic() + filecache.CULL_INTERVAL
    monkeypatch.setattr(filecache.time, "monotonic", lambda: later)
    store.set("key-30", 30)
    # 30 entries, over the limit of 10: half of them removed, then the new one.
    assert len(list(tmp_path.glob("*.djcache"))) == 30 - 30 // 2 + 1


def count_in(folder, times):
    """Run in a worker process: add then increment one counter, as rate limits do."""
    from config.filecache import FileCache

    store = FileCache(folder, {})
    for _ in range(times):
        store.add("hits", 0, timeout=60)
        store.incr("hits")


def test_the_file_cache_counts_every_increment_of_processes_counting_at_once(
    tmp_path,
):
    from concurrent.futures import ProcessPoolExecutor

    from config.filecache import FileCache

    workers, times = 4, 250
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(count_in, [str(tmp_path)] * workers, [times] * workers))
    assert FileCache(str(tmp_path), {}).get("hits") == workers * times


# Outside a transaction, as in production: the content version is read from
# its copy in the shared cache.
shared = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@shared
def test_a_cached_page_costs_no_query_once_the_version_is_shared(
    client, make_relationship, django_assert_num_queries
):
    make_relationship(slug_en="mexico", slug_fr="mexique")
    first = client.get(PAGE)
    with django_assert_num_queries(0):
        again = client.get(PAGE)
    assert again.content == first.content


@shared
def test_a_committed_edit_shows_on_the_next_request_through_the_shared_copy(
    client, make_relationship, make_topic
):
    page = make_relationship(slug_en="mexico", slug_fr="mexique")
    topic = make_topic(page, title_en="Trade")
    assert "Trade" in client.get(PAGE).content.decode()
    assert cache.get(VERSION_KEY) is not None
    topic.title_en = "Trade and investment"
    topic.save()
    assert "Trade and investment" in client.get(PAGE).content.decode()


@shared
def test_a_copy_that_missed_an_edit_is_read_again_within_its_lifetime(
    client, make_relationship, make_topic, time_machine
):
    page = make_relationship(slug_en="mexico", slug_fr="mexique")
    topic = make_topic(page, title_en="Trade")
    client.get(PAGE)
    # The edit's write to the cache lost: the copy keeps the old number.
    copy = cache.get(VERSION_KEY)
    topic.title_en = "Energy"
    topic.save()
    cache.set(VERSION_KEY, copy, VERSION_SECONDS)
    assert "Energy" not in client.get(PAGE).content.decode()
    time_machine.move_to(
        timezone.now() + datetime.timedelta(seconds=VERSION_SECONDS + 0.1)
    )
    assert "Energy" in client.get(PAGE).content.decode()


@shared
def test_a_schedule_coming_due_is_seen_through_the_shared_copy(
    client, make_relationship, time_machine
):
    page = make_relationship(slug_en="mexico", slug_fr="mexique")
    page.unpublish_at = timezone.now() + datetime.timedelta(seconds=1)
    page.save()
    assert client.get(PAGE).status_code == 200
    assert cache.get(VERSION_KEY)[1] == page.unpublish_at
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=1.1))
    assert client.get(PAGE).status_code == 404
