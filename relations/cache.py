"""Whole-page caching of public pages, invalidated the moment content changes.

A cached page is stored under the content version (models.ContentVersion), a
number kept in the database that every save or delete of content moves, in
the same transaction. Every worker and every instance reads it, one small
query a request, so an edit made anywhere shows on the next request
everywhere; pages cached under an older number are never read again and age
out of the cache. A schedule (publish_at, unpublish_at) changes what visitors
see without any save: the row also holds the next such moment, and the first
request after it moves the number.

Only views wrapped in `public_page` are cached, only their 200 responses free
of cookies, and only for the query parameters they use: previews, the admin,
errors and POST responses never are. Responses carry an ETag, Last-Modified
where the page has a date, and a public Cache-Control, and a matching
conditional GET gets 304.
"""

import functools
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min, Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe

from .models import ContentVersion, FormerSlug, PageContent, Publishable, Status

ROW = 1


def next_scheduled_change(now):
    """Return the next moment a schedule changes what visitors see, or None."""
    from consulates.models import Office

    from .models import Relationship

    moments = []
    for model in (Relationship, Office):
        found = model.objects.filter(status=Status.PUBLISHED).aggregate(
            appear=Min("publish_at", filter=Q(publish_at__gt=now)),
            disappear=Min("unpublish_at", filter=Q(unpublish_at__gt=now)),
        )
        moments += [moment for moment in found.values() if moment]
    return min(moments, default=None)


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


def new_number():
    return secrets.randbits(62) + 1


def current_version():
    """Return the content version: one query, unless a schedule has come due."""
    row = ContentVersion.objects.filter(pk=ROW).values_list("number", "next_change_at")
    found = row.first()
    if found is None or (found[1] is not None and found[1] <= timezone.now()):
        bump()
        found = row.first()
    return found[0]


def is_content(sender):
    return issubclass(sender, (PageContent, Publishable, FormerSlug))


@receiver(post_save)
@receiver(post_delete)
def content_changed(sender, **kwargs):
    if is_content(sender):
        bump()


@receiver(m2m_changed)
def content_links_changed(sender, instance, **kwargs):
    if is_content(type(instance)):
        bump()


def page_key(request, version):
    address = request.get_full_path()
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{version}:{digest}"


def public_page(view=None, *, params=()):
    """Cache the view's public responses; `params`: the query parameters it reads.

    A request with any other query parameter is answered without the cache,
    so stray parameters cannot fill it.
    """
    if view is None:
        return functools.partial(public_page, params=params)

    @functools.wraps(view)
    def cached_view(request, *args, **kwargs):
        if (
            request.method not in ("GET", "HEAD")
            or set(request.GET) - set(params)
            # The page re-rendered around a report's thank-you or errors
            # (feedback.views.render_page) is this visitor's alone.
            or getattr(request, "report_problem", None) is not None
        ):
            return view(request, *args, **kwargs)
        key = page_key(request, current_version())
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                modified = (response.context_data or {}).get("date_modified")
                response = response.render()
            else:
                modified = None
            if not cacheable(response):
                return response
            add_validators(response, modified)
            cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response.get("Last-Modified")),
            response=response,
        )

    return cached_view


def cacheable(response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Vary" not in response
    )


def add_validators(response, modified):
    response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    if modified is not None:
        response["Last-Modified"] = http_date(modified.timestamp())
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
