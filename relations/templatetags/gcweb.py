"""Canada.ca page conventions: the page's address in each language, rich text."""

import datetime
import re

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.urls import translate_url
from django.utils import timezone, translation
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from relations.cache import build
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
    if query:
        url += toggled_query(context, language)
    if absolute:
        url = request.build_absolute_uri(url)
    return url


def toggled_query(context, language):
    """Return the query string the page in `language` is asked with: the
    view's own (`language_queries`, its filters translated), else the
    parameters the view reads (relations.cache.public_page), never another
    (a report's "thank you" belongs to the page it was sent from)."""
    queries = context.get("language_queries")
    if queries is not None:
        query = queries.get(language, "")
    else:
        request = context["request"]
        query = request.GET.copy()
        for name in set(query) - set(getattr(request, "page_params", ())):
            del query[name]
        query = query.urlencode()
    return f"?{query}" if query else ""


# Canada.ca: a page's <title> holds at most about 60 characters.
TITLE_LENGTH = 60


@register.simple_tag
def page_title(title):
    """Return the <title> of a page whose heading is `title`: with the
    institution's name if the whole fits in TITLE_LENGTH characters, else the
    heading alone, cut at a word with "…" if it is longer still."""
    # Translators: a page's <title>; keep the part after the title short.
    whole = gettext("%(title)s - Global Affairs Canada") % {"title": title}
    if len(whole) <= TITLE_LENGTH:
        return whole
    title = str(title)
    if len(title) <= TITLE_LENGTH:
        return title
    cut = title[: TITLE_LENGTH - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return f"{cut.rstrip(' ,;:-–—')}…"


HYPHENATED = re.compile(r"\w+(?:-\w+)+")


@register.filter(needs_autoescape=True)
def keep_together(text, autoescape=True):
    """Return `text` with each hyphenated name ("États-Unis") in a span that
    does not wrap: browsers may break a line after a hyphen."""
    escaped = conditional_escape(text) if autoescape else str(text)
    return mark_safe(
        HYPHENATED.sub(
            lambda found: f'<span class="text-nowrap">{found.group(0)}</span>',
            escaped,
        )
    )


@register.filter
def iso_date(value):
    """Return the day of `value` in the site's time zone, as W3CDTF wants it."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.isoformat() if value else ""


class ChromeNode(template.Node):
    """Canada.ca's header and footer, which hold code and translations only
    (a release alone changes them): rendered once per language and build
    into the shared cache, all of a page's parts under one key (one read a
    page), and read from there. Never kept in a process's memory, where it
    could keep a value of the request that rendered it."""

    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    def render(self, context):
        # Read once per rendering of a page, kept for its other parts.
        found = context.render_context.get(CHROME)
        if found is None:
            key = make_template_fragment_key(
                "chrome", [translation.get_language(), build()]
            )
            found = context.render_context[CHROME] = (key, cache.get(key) or {})
        key, parts = found
        html = parts.get(self.name)
        if html is None:
            html = parts[self.name] = self.nodelist.render(context)
            cache.set(key, parts, settings.PAGE_CACHE_SECONDS)
        return html


# Where a page's rendering keeps the chrome's key and parts once read.
CHROME = "gcweb.chrome"


@register.tag
def chrome(parser, token):
    """{% chrome "name" %}…{% endchrome %}: see ChromeNode; names are unique."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("chrome takes one name")
    nodelist = parser.parse(("endchrome",))
    parser.delete_first_token()
    return ChromeNode(bits[1].strip("\"'"), nodelist)


@register.filter
def rich_text(html):
    """Render editors' HTML; sanitised again here so no stored path can bypass it."""
    html = sanitize(html or "")
    return mark_safe(label_other_language_links(html, translation.get_language()))
