"""Canada.ca page conventions: the page's address in each language, rich text."""

from django import template
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe

from relations.richtext import label_other_language_links, sanitize

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, language, absolute=False, query=False):
    """Return the address of this page in `language`.

    A page about an object asks the object (its slug is translated), or the
    view's `object_url` (a preview); any other page translates its URL pattern.
    """
    request = context["request"]
    obj = context.get("object")
    object_url = context.get("object_url")
    if hasattr(obj, "get_absolute_url"):
        object_url = object_url or type(obj).get_absolute_url
    else:
        obj = object_url = None
    # Asked for three or four times a page (canonical, alternates, toggle).
    urls = request.__dict__.setdefault("page_urls", {})
    key = (language, object_url, type(obj), getattr(obj, "pk", None))
    url = urls.get(key)
    if url is None:
        if obj is not None:
            with translation.override(language):
                url = object_url(obj)
        else:
            url = translate_url(request.path, language)
        urls[key] = url
    if query and request.GET:
        url = f"{url}?{request.GET.urlencode()}"
    if absolute:
        url = request.build_absolute_uri(url)
    return url


@register.filter
def rich_text(html):
    """Render editors' HTML; sanitised again here so no stored path can bypass it."""
    html = sanitize(html or "")
    return mark_safe(label_other_language_links(html, translation.get_language()))
