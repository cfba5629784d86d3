import functools

from django import template
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.autoreload import file_changed

from feedback.views import SENT, section_context

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


@functools.lru_cache(maxsize=1024)
def blank_form(language, path):
    """Return the form as every visitor first sees it on this page: it holds
    nothing but the page's address and the code's own text."""
    return render_to_string("feedback/report_problem.html", section_context(path))


@receiver(file_changed)
def forget_blank_forms(sender, file_path, **kwargs):
    # runserver reloads a changed template without a restart.
    blank_form.cache_clear()
