"""A relationship page's content is cached under its own number, which every
change of what the page shows replaces, and is rendered by the change."""

import datetime
from unittest import mock

import pytest
import reversion
from django.utils import timezone, translation
from django.utils.autoreload import file_changed
from reversion.models import Version

from consulates.models import Office
from publishing.models import minor_change
from relations import cache as page_cache
from relations.models import Relationship
from relations.templatetags import gcweb

# A stray parameter: the whole-page cache is bypassed, the view runs.
UNCACHED = "?uncached=1"
# The content version, then the page itself; its content comes from the cache.
QUERIES_WITH_CONTENT_CACHED = 2
# The same two, then topics, agreements, organizations and offices, the
# country (travel advice) and the offices in other countries serving it.
QUERIES_RENDERING_CONTENT = 8


@pytest.fixture
def mexico(make_relationship, make_topic):
    page = make_relationship(slug_en="mexico", slug_fr="mexique")
    make_topic(page, title_en="Trade", title_fr="Commerce", listing="offices")
    return page


@pytest.fixture
def peru(make_relationship, make_topic):
    page = make_relationship(code="PE", slug_en="peru", slug_fr="perou")
    make_topic(page, title_en="Mining", title_fr="Mines")
    return page


def retitle(page, title):
    """Save the page's only area of action under a new English title."""
    topic = page.topics.get()
    topic.title_en = title
    topic.save()


def text(client, path):
    response = client.get(path + UNCACHED)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    "path", ["/en/relations/mexico/", "/fr/relations/mexique/"], ids=["en", "fr"]
)
def test_content_rendered_once_is_served_without_its_queries(
    client, mexico, path, django_assert_num_queries
):
    with django_assert_num_queries(QUERIES_RENDERING_CONTENT):
        first = client.get(path + UNCACHED)
    with django_assert_num_queries(QUERIES_WITH_CONTENT_CACHED):
        again = client.get(path + UNCACHED)
    assert again.content == first.content


def test_a_committed_edit_renders_the_page_in_both_languages_before_any_visitor(
    client, mexico, django_capture_on_commit_callbacks, django_assert_num_queries
):
    topic = mexico.topics.get()
    topic.title_en = "Trade and investment"
    topic.title_fr = "Commerce et investissement"
    with django_capture_on_commit_callbacks(execute=True):
        topic.save()
    with django_assert_num_queries(QUERIES_WITH_CONTENT_CACHED):
        english = text(client, "/en/relations/mexico/")
    with django_assert_num_queries(QUERIES_WITH_CONTENT_CACHED):
        french = text(client, "/fr/relations/mexique/")
    assert "Trade and investment" in english
    assert "Commerce et investissement" in french


def test_an_edit_shows_at_once_even_before_its_content_is_rendered(client, mexico):
    assert "Trade" in text(client, "/en/relations/mexico/")
    # Inside the test's transaction: the rendering after commit never runs.
    retitle(mexico, "Energy")
    page = text(client, "/en/relations/mexico/")
    assert "Energy" in page
    assert ">Trade<" not in page


def test_an_edit_of_one_page_leaves_the_others_content_in_the_cache(
    client, mexico, peru, django_assert_num_queries
):
    text(client, "/en/relations/peru/")
    before = Relationship.objects.get(pk=peru.pk).page_version
    retitle(mexico, "Energy")
    assert Relationship.objects.get(pk=peru.pk).page_version == before
    with django_assert_num_queries(QUERIES_WITH_CONTENT_CACHED):
        assert "Mining" in text(client, "/en/relations/peru/")
    assert "Energy" in text(client, "/en/relations/mexico/")


def test_a_shared_agreement_renamed_changes_every_page_listing_it(
    client, mexico, peru, make_topic, make_agreement
):
    agreement = make_agreement(mexico)
    peru.agreement_links.create(agreement=agreement, sort_order=1)
    for page in (mexico, peru):
        make_topic(page, title_en="Agreements", listing="agreements")
    for path in ("/en/relations/mexico/", "/en/relations/peru/"):
        assert agreement.name_en in text(client, path)
    agreement.name_en = "Canada-United States-Mexico Agreement"
    agreement.save()
    for path in ("/en/relations/mexico/", "/en/relations/peru/"):
        assert "Canada-United States-Mexico Agreement" in text(client, path)


def test_links_added_and_cleared_from_either_side_show_at_once(
    client, mexico, make_topic, make_organization
):
    make_topic(mexico, title_en="Partners", listing="organizations")
    organization = make_organization()
    name = organization.name_en
    assert name not in text(client, "/en/relations/mexico/")
    mexico.organizations.add(organization, through_defaults={"sort_order": 1})
    assert name in text(client, "/en/relations/mexico/")
    organization.relationships.clear()
    assert name not in text(client, "/en/relations/mexico/")
    organization.relationships.add(mexico, through_defaults={"sort_order": 1})
    assert name in text(client, "/en/relations/mexico/")
    organization.relationships.remove(mexico)
    assert name not in text(client, "/en/relations/mexico/")


def test_an_office_moved_to_another_page_changes_both(
    client, mexico, peru, make_office
):
    topic = peru.topics.get()
    topic.listing = "offices"
    topic.save()
    office = make_office(mexico, city="Monterrey")
    assert "Monterrey" in text(client, "/en/relations/mexico/")
    assert "Monterrey" not in text(client, "/en/relations/peru/")
    office.relationship = peru
    office.save()
    assert "Monterrey" not in text(client, "/en/relations/mexico/")
    assert "Monterrey" in text(client, "/en/relations/peru/")


def test_a_minor_change_shows_though_the_date_stays(client, mexico):
    text(client, "/en/relations/mexico/")
    topic = mexico.topics.get()
    topic.title_en = "Trade (corrected)"
    with minor_change():
        topic.save()
    assert "Trade (corrected)" in text(client, "/en/relations/mexico/")


def test_an_office_scheduled_to_open_appears_in_the_sentence_without_a_save(
    client, mexico, make_office, time_machine
):
    make_office(
        mexico,
        city="Guadalajara",
        kind=Office.Kind.CONSULATE,
        publish_at=timezone.now() + datetime.timedelta(seconds=1),
    )
    assert "Guadalajara" not in text(client, "/en/relations/mexico/")
    time_machine.move_to(timezone.now() + datetime.timedelta(seconds=1.1))
    assert "Guadalajara" in text(client, "/en/relations/mexico/")


def test_a_restored_revision_never_brings_back_an_old_number(client, mexico):
    with reversion.create_revision():
        mexico.save()
    text(client, "/en/relations/mexico/")
    retitle(mexico, "Energy")
    assert "Energy" in text(client, "/en/relations/mexico/")
    Version.objects.get_for_object(mexico).first().revision.revert(delete=True)
    page = text(client, "/en/relations/mexico/")
    assert ">Trade<" in page
    assert "Energy" not in page


def test_a_new_release_does_not_serve_what_an_older_one_rendered(
    client, mexico, monkeypatch, django_assert_num_queries
):
    text(client, "/en/relations/mexico/")
    client.get("/en/relations/mexico/")
    monkeypatch.setattr(page_cache, "build", lambda: "next-release")
    with django_assert_num_queries(QUERIES_RENDERING_CONTENT):
        assert client.get("/en/relations/mexico/").status_code == 200


def test_the_build_changes_with_a_template(settings, tmp_path):
    (tmp_path / "templates").mkdir()
    template = tmp_path / "templates" / "page.html"
    template.write_text("<p>One</p>")
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    page_cache.build.cache_clear()
    try:
        first = page_cache.build()
        template.write_text("<p>Two</p>")
        assert page_cache.build() == first
        # What runserver's reloader sends when it reloads a template.
        file_changed.send(sender=None, file_path=template)
        assert page_cache.build() != first
    finally:
        page_cache.build.cache_clear()


def test_a_new_build_renders_the_chrome_anew(client, mexico, monkeypatch):
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key

    client.get("/en/relations/mexico/")
    chrome = make_template_fragment_key("chrome", ["en", page_cache.build()])
    parts = cache.get(chrome)
    assert parts["footer"]
    cache.set(chrome, {**parts, "footer": "older footer"})
    # A release, or a template runserver reloaded (test_the_build_changes_…).
    monkeypatch.setattr(gcweb, "build", lambda: "next-build")
    page = client.get("/en/relations/mexico/?fresh=1").content.decode()
    assert "older footer" not in page
    assert "Terms and conditions" in page


def test_nothing_rendered_is_kept_in_a_process(client, mexico):
    """A fragment rendered for one request (its CSP nonce, its user) must not
    be served to the next from a process's memory: every rendered piece a
    page reuses is in the shared cache, which a clear empties (whole public
    pages aside, which a different address does not reach)."""
    from django.core.cache import cache, caches

    first = client.get("/en/relations/mexico/?a=1").content.decode()
    cache.clear()
    caches["pages"].clear()
    with mock.patch(
        "django.template.loader_tags.IncludeNode.render",
        side_effect=lambda *args, **kwargs: "",
    ):
        again = client.get("/en/relations/mexico/?a=2").content.decode()
    # Nothing included came from anywhere but a rendering: all is gone.
    assert "Terms and conditions" in first
    assert "Terms and conditions" not in again


def test_a_failed_rendering_after_commit_leaves_the_edit_saved(
    client, mexico, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(relationship):
        raise RuntimeError("template missing")

    monkeypatch.setattr(page_cache, "render_page_content", broken)
    topic = mexico.topics.get()
    topic.title_en = "Energy"
    with django_capture_on_commit_callbacks(execute=True):
        topic.save()
    monkeypatch.undo()
    assert mexico.topics.get().title_en == "Energy"
    assert "Energy" in text(client, "/en/relations/mexico/")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_page_is_read_by_its_slug_as_the_orm_reads_it(mexico, language):
    slug = getattr(mexico, f"slug_{language}")
    found = Relationship.objects.live_page(slug, language)
    expected = Relationship.objects.get(pk=mexico.pk)
    for field in Relationship._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname)
    assert timezone.is_aware(found.content_modified_at)
    with translation.override(language):
        assert found.title == getattr(expected, f"title_{language}")


def test_only_a_live_page_is_read_by_its_slug(mexico):
    later = timezone.now() + datetime.timedelta(days=1)
    assert Relationship.objects.live_page("mexique", "en") is None
    assert Relationship.objects.live_page("mexico", "de") is None
    for change in ({"publish_at": later}, {"status": "draft"}):
        Relationship.objects.filter(pk=mexico.pk).update(**change)
        assert Relationship.objects.live_page("mexico", "en") is None
        Relationship.objects.filter(pk=mexico.pk).update(
            status="published", publish_at=None
        )
    assert Relationship.objects.live_page("mexico", "en").pk == mexico.pk
    # An archived page keeps its address (with Canada.ca's archived notice).
    Relationship.objects.filter(pk=mexico.pk).update(status="archived")
    assert Relationship.objects.live_page("mexico", "en").pk == mexico.pk
