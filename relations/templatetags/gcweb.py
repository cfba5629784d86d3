"""Canada.ca page conventions: the page's address in each language, rich text."""

from django import template
from django.urls import translate_url
from django.utils import translation
from django.utils.safestring import mark_safe

from relations.richtext import sanitize

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, language, absolute=False, query=False):
    """Return the address of this page in `language`.

    A page about an object asks the object (its slug is translated); any other
    page translates its URL pattern.
    """
    request = context["request"]
    obj = context.get("object")
    if hasattr(obj, "get_absolute_url"):
        with translation.override(language):
            url = obj.get_absolute_url()
    else:
        url = translate_url(request.path, language)
    if query and request.GET:
        url = f"{url}?{request.GET.urlencode()}"
    if absolute:
        url = request.build_absolute_uri(url)
    return url


@register.filter
def rich_text(html):
    """Render editors' HTML; sanitised again here so no stored path can bypass it."""
    return mark_safe(sanitize(html or ""))
