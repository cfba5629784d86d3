from urllib.parse import quote

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from feedback.views import SENT, section_context
from relations.cache import build

register = template.Library()


@register.simple_tag(takes_context=True)
def report_problem(context):
    """Render "Report a problem on this page" for the page being rendered."""
    request = context["request"]
    section = getattr(request, "report_problem", None)
    if section is None:
        if request.GET.get("feedback") != SENT:
            return blank_form(translation.get_language(), request.path)
        section = section_context(request.path, state=SENT)
    return render_to_string("feedback/report_problem.html", section)


# Where the page's address goes in the form as rendered for every page.
PAGE_MARK = "/report-a-problem-on-this-page/"


def blank_form(language, path):
    """Return the form as every visitor first sees it on this page.

    It holds nothing but the page's address and the code's own text: it is
    rendered once per language and build into the shared cache, with a mark
    where the address goes, and the address put in its place.
    """
    key = make_template_fragment_key("report_problem", [language, build()])
    html = cache.get(key)
    if html is None:
        with translation.override(language):
            html = render_to_string(
                "feedback/report_problem.html", section_context(PAGE_MARK)
            )
        cache.set(key, html, settings.PAGE_CACHE_SECONDS)
    html = html.replace(f'value="{PAGE_MARK}"', f'value="{escape(path)}"')
    return mark_safe(html.replace(f"?page={PAGE_MARK}", f"?page={escape(quote(path))}"))
