"""Whole-page caching of public pages in the shared cache (Django's cache
framework), made stale the moment content changes.

A cached page is stored under the content version (models.ContentVersion), a
number kept in the database that every save or delete of content moves, in
the same transaction, and copies into the shared cache once committed. Every
worker and every instance reads that copy, so an edit made anywhere shows on
the next request everywhere, without a query for a cached page; pages cached
under an older number are never read again and age out of the cache. A
schedule (publish_at, unpublish_at, a draft's publication time) changes what
visitors see without any save: the row also holds the next such moment, and
the first request after it moves the number (and publishes the draft).

Below the whole page, each relationship page's content (its areas of action,
offices and lists: what takes the queries and most of the rendering) is kept
with Django's fragment cache ({% cache %} in relationship_detail.html), under
the page's own number, Relationship.page_version, which any change of what
that page shows replaces. The change also renders the new content once
committed, so the first visitor after an edit finds it ready. Every key holds
the build (the code, templates, catalogues and static files), so a new
release never serves what an older one rendered. Nothing is cached in a
process's memory: a page rendered for one request is shared only through the
cache, and only once PageCacheMiddleware has judged it public.

PageCacheMiddleware keeps only the responses of views wrapped in
`public_page`, only with status 200, free of cookies and of Vary, and only for
the query parameters the view reads: previews, the admin, errors and POST
responses never are. Responses carry an ETag, Last-Modified where the page has
a date, and a public Cache-Control with `stale-if-error`; a matching
conditional GET gets 304. While the database cannot be reached, pages in the
cache under the last version seen are still served; others get the 503 page.
"""

import datetime
import functools
import hashlib
import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.utils import make_template_fragment_key
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import Min, Q, prefetch_related_objects
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.autoreload import file_changed
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from config.outage import database_unreachable, service_unavailable
from publishing.models import Draft, Publishable
from publishing.workflow import publish_due

from .models import (
    ContentVersion,
    Country,
    PageContent,
    Region,
    Relationship,
    Status,
    page_prefetches,
)

ROW = 1
# The content version, copied into the shared cache once committed, so that a
# cached page is served without a query. A copy lives this long only: one that
# missed an edit (the cache unreachable at that moment, two edits committed at
# once by two processes) is read again from the database within this time.
VERSION_KEY = "content-version"
VERSION_SECONDS = 2
# The last content version read, kept as long as pages are: while the database
# cannot be reached, pages cached under it are served.
LAST_VERSION_KEY = "content-version-last"
# How long a cache in front of the site may serve a page while the site errs.
STALE_IF_ERROR_SECONDS = 86400
# What a release renders with: a change to any of these must not meet pages
# rendered before it (a hashed stylesheet name, a corrected translation).
BUILD_SOURCES = [
    "config",
    "consulates",
    "feedback",
    "publishing",
    "relations",
    "templates",
]
BUILD_FILES = ["requirements.txt", "locale/fr/LC_MESSAGES/django.mo"]


def next_scheduled_change(now):
    """Return the next moment a schedule changes what visitors see, or None."""
    moments = []
    for model in publishable_models():
        found = model.objects.filter(status=Status.PUBLISHED).aggregate(
            appear=Min("publish_at", filter=Q(publish_at__gt=now)),
            disappear=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
        )
        moments += [moment for moment in found.values() if moment]
    # Draft changes a Publisher scheduled for later.
    found = Draft.objects.aggregate(due=Min("publish_at", filter=Q(publish_at__gt=now)))
    moments += [moment for moment in found.values() if moment]
    return min(moments, default=None)


def publishable_models():
    """Return every model whose objects have a publication schedule."""
    return [model for model in apps.get_models() if issubclass(model, Publishable)]


def bump():
    """Make every cached page stale: give the content version a new number.

    A random one, not the next: a database restored from a backup, or a new
    one beside a cache that outlived the old, would otherwise reuse numbers
    that cached pages of other content are stored under.
    """
    values = {
        "number": new_number(),
        "next_change_at": next_scheduled_change(timezone.now()),
    }
    if not ContentVersion.objects.filter(pk=ROW).update(**values):
        ContentVersion.objects.update_or_create(pk=ROW, defaults=values)
    # Not before the commit: a visitor reading the new number sooner could
    # keep the old content under it.
    transaction.on_commit(functools.partial(share_version, values), robust=True)


def share_version(values):
    copy = (values["number"], values["next_change_at"])
    cache.set(VERSION_KEY, copy, VERSION_SECONDS)
    cache.set(LAST_VERSION_KEY, values["number"], settings.PAGE_CACHE_SECONDS)


def shared_version():
    """Return the content version from its copy in the shared cache, or None
    where only the database can tell: no copy, a schedule come due, or inside
    a transaction, whose own changes no copy knows of until they are
    committed."""
    if connection.in_atomic_block:
        return None
    copy = cache.get(VERSION_KEY)
    if copy is None:
        return None
    number, next_change = copy
    if next_change is not None and next_change <= timezone.now():
        return None
    return number


def new_number():
    return secrets.randbits(62) + 1


def current_version(share=True):
    """Return the content version: one query, unless a schedule has come due;
    copy it into the shared cache if `share` and no copy is there.

    That query also serves as the health check of a persistent connection
    (CONN_HEALTH_CHECKS), which would otherwise cost a second round trip: if
    the database dropped the connection, it is closed and the query retried
    once on a new one.
    """
    reused = connection.connection is not None and not connection.in_atomic_block
    if reused:
        connection.health_check_done = True
    try:
        return read_version(share)
    except (InterfaceError, OperationalError):
        if not reused:
            raise
        connection.close()
        return read_version(share)


def read_version(share):
    # Read on every request the cache cannot answer, so the ORM's work is
    # spared: one row by its key.
    table = connection.ops.quote_name(ContentVersion._meta.db_table)
    sql = f"SELECT number, next_change_at FROM {table} WHERE id = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [ROW])
        found = cursor.fetchone()
        if found is not None:
            number, next_change = found
            next_change = next_change and parse_moment(next_change)
            if next_change is None or next_change > timezone.now():
                if share and not connection.in_atomic_block:
                    # add, not set: a copy that an edit committed meanwhile
                    # is newer than this row as read.
                    cache.add(VERSION_KEY, (number, next_change), VERSION_SECONDS)
                    cache.set(LAST_VERSION_KEY, number, settings.PAGE_CACHE_SECONDS)
                return number
        # A schedule came due: an office appeared or went, on any page, or
        # draft changes are to be published now.
        publish_due()
        bump()
        Relationship.objects.update(page_version=new_number())
        cursor.execute(sql, [ROW])
        return cursor.fetchone()[0]


def parse_moment(value):
    """Return an aware datetime from a raw column (SQLite gives text)."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = timezone.make_aware(value, datetime.UTC)
    return value


def is_content(sender):
    return issubclass(sender, PageContent)


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, instance, **kwargs):
    if is_content(sender):
        bump()
        if isinstance(instance, PageContent):
            pages_changed(instance.pages_showing())


@receiver(post_save, sender=Country)
@receiver(post_save, sender=Region)
@receiver(post_delete, sender=Country)
@receiver(post_delete, sender=Region)
def reference_changed(sender, instance, **kwargs):
    # A country's name and travel advice show on its page and in the
    # directory; a region's name in the index.
    bump()
    if isinstance(instance, Country):
        pages_changed(
            set(
                Relationship.objects.filter(country_code=instance.code).values_list(
                    "pk", flat=True
                )
            )
        )


@receiver(post_save, sender=Draft)
def draft_scheduled(sender, instance, **kwargs):
    # Its time becomes the next change, if it is the nearest.
    if instance.publish_at is not None:
        bump()


@receiver(m2m_changed)
def content_links_changed(sender, instance, **kwargs):
    if is_content(type(instance)):
        bump()
        # Sent before and after the change: the pages an item leaves are
        # known before, those it joins after.
        pages_changed(instance.pages_showing())


def pages_changed(ids):
    """Give these pages new numbers; render their content once committed."""
    if not ids:
        return
    Relationship.objects.filter(pk__in=ids).update(page_version=new_number())
    # Robust: a failure here leaves the content to be rendered by the first
    # visitor, and must not turn the editor's saved change into an error.
    transaction.on_commit(functools.partial(render_pages, ids), robust=True)


def render_pages(ids):
    """Have the content of these relationship pages ready in every language."""
    for relationship in Relationship.objects.published().filter(pk__in=ids):
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                page_content(relationship)


# The name the page template gives the fragment ({% cache … relationship_content %}).
CONTENT_FRAGMENT = "relationship_content"


def content_key(relationship):
    """Return what the content of a relationship page is cached under
    ({% cache %} in relationship_detail.html), in the active language: one
    string, the fragment's only "vary on" value."""
    return ":".join(
        [
            str(relationship.pk),
            build(),
            get_script_prefix(),
            str(relationship.page_version),
            translation.get_language(),
        ]
    )


def page_content(relationship):
    """Render the content of a public relationship page into the fragment
    cache, where the page's template finds it."""
    key = make_template_fragment_key(CONTENT_FRAGMENT, [content_key(relationship)])
    cache.set(key, render_page_content(relationship), settings.PAGE_CACHE_SECONDS)


def render_page_content(relationship, parts=None, offices=None):
    """Render the content of a relationship page: from the database, or from
    `parts` ({relation: [parts]}) and `offices` as a preview has them."""
    if parts is None or offices is None:
        prefetch_related_objects([relationship], *page_prefetches())
    if parts is None:
        parts = {
            name: list(getattr(relationship, name).all())
            for name in relationship.draft_children
        }
    if offices is None:
        offices = relationship.offices.all()
    country = Country.objects.filter(code=relationship.country_code).first()
    return render_to_string(
        "relations/includes/relationship_content.html",
        {
            "relationship": relationship,
            "country": country,
            "offices_abroad": offices_serving(relationship),
            "topics": sorted(parts["topics"], key=lambda t: (t.sort_order, t.pk or 0)),
            "agreements": [link.item for link in ordered(parts["agreement_links"])],
            "organizations": [
                link.item for link in ordered(parts["organization_links"])
            ],
            "offices": offices,
        },
    )


def offices_serving(relationship):
    """Return the published offices in other countries that serve this one,
    on published pages (an embassy accredited to neighbouring countries)."""
    # The offices' model through the relation: relations does not import
    # consulates, which depends on it.
    offices = Relationship._meta.get_field("offices").related_model
    found = (
        offices.objects.published()
        .filter(
            served_countries__country=relationship.country_code,
            relationship__in=Relationship.objects.published(),
        )
        .exclude(relationship=relationship)
        .select_related("relationship")
    )
    return sorted(found, key=lambda office: (office.name.casefold(), office.pk))


def ordered(links):
    return sorted(links, key=lambda link: (link.sort_order, link.pk or 0))


@functools.cache
def build():
    """Return a digest of what this release renders pages with."""
    root = Path(settings.BASE_DIR)
    paths = [root / name for name in BUILD_FILES]
    for name in BUILD_SOURCES:
        paths += (root / name).rglob("*")
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        if path.is_file() and path.suffix != ".pyc":
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    # The static files' names, wherever collectstatic put them.
    manifest = Path(settings.STATIC_ROOT or root, "staticfiles.json")
    if manifest.is_file():
        digest.update(b"staticfiles.json")
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


@receiver(file_changed)
def forget_build(sender, file_path, **kwargs):
    # runserver reloads templates and catalogues without a restart: what was
    # rendered with the old ones must not be served under the old digest.
    build.cache_clear()


def page_key(request, version):
    # The scheme and host too: a page's canonical and hreflang links are built
    # from them, and a Host header with another port must not set them for
    # every visitor.
    address = request.build_absolute_uri()
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{build()}:{version}:{digest}"


def public_page(view=None, *, params=()):
    """Mark the view's responses public: PageCacheMiddleware may keep them.

    `params`: the query parameters the view reads. A request with any other
    is answered without the cache, so stray parameters cannot fill it.
    """
    if view is None:
        return functools.partial(public_page, params=params)

    @functools.wraps(view)
    def public_view(request, *args, **kwargs):
        # What the language toggle carries to the other language's page.
        request.page_params = params
        response = view(request, *args, **kwargs)
        if (
            request.method in ("GET", "HEAD")
            and not set(request.GET) - set(params)
            # The page re-rendered around a report's thank-you or errors
            # (feedback.views.render_page) is this visitor's alone.
            and getattr(request, "report_problem", None) is None
        ):
            if hasattr(response, "render"):
                modified = (response.context_data or {}).get("date_modified")
                response = response.render()
            else:
                modified = None
            if response.status_code == 200:
                add_validators(response, modified)
                response.public = True
        return response

    return public_view


class PageCacheMiddleware:
    """Answer GET and HEAD from the page cache; keep the public pages it misses.

    Placed before every middleware that only adds headers, so a hit costs
    two cache reads (the version's copy, the page) and little else; what is
    kept is the final response, those headers included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        shared = shared_version()
        if shared is not None and (page := cached_page(page_key(request, shared))):
            return answer(request, page)
        try:
            version = current_version(share=shared is None)
        except (InterfaceError, OperationalError) as error:
            if not database_unreachable(error):
                raise
            return self.during_outage(request, error)
        key = page_key(request, version)
        if version != shared and (page := cached_page(key)):
            return answer(request, page)
        response = self.get_response(request)
        if not getattr(response, "public", False):
            return response
        if cacheable(response):
            keep_page(
                key, {"content": response.content, "headers": dict(response.items())}
            )
        return conditional(request, response)

    def during_outage(self, request, error):
        """The page as last cached, if it is; else the 503 page."""
        version = cache.get(LAST_VERSION_KEY)
        page = version and cached_page(page_key(request, version))
        if page:
            return answer(request, page)
        return service_unavailable(request, error)


def cached_page(key):
    """Return the page kept under `key`: from this process's copy of pages
    it served last (Django's local-memory cache), else from the shared cache.

    Safe where a per-process cache usually is not: it holds whole pages that
    the middleware judged public (no cookie, no Vary), the very bytes the
    shared cache holds for everyone, under keys holding the content version
    read on every request, so an edit anywhere makes every copy unreachable
    at once, as in the shared cache. Fragments are never kept here.
    """
    local = caches["pages"]
    page = local.get(key)
    if page is None:
        page = cache.get(key)
        if page is not None:
            local.set(key, page, settings.PAGE_CACHE_SECONDS)
    return page


def keep_page(key, page):
    cache.set(key, page, settings.PAGE_CACHE_SECONDS)
    caches["pages"].set(key, page, settings.PAGE_CACHE_SECONDS)


def answer(request, page):
    return conditional(request, HttpResponse(page["content"], headers=page["headers"]))


def conditional(request, response):
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date_safe(response.get("Last-Modified")),
        response=response,
    )


def cacheable(response):
    # Any Vary would need a copy for each of its values: such responses (the
    # addresses outside /en/ and /fr/ vary on Accept-Language) are not kept,
    # though they still answer conditional requests.
    return not response.streaming and not response.cookies and "Vary" not in response


def add_validators(response, modified):
    set_response_etag(response)
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PUBLIC_MAX_AGE,
        stale_if_error=STALE_IF_ERROR_SECONDS,
    )
