"""Template filters for the publishing pages."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def translated(text):
    """Return a revision's comment in the reader's language: the workflow
    keeps its own comments in English, as their msgid ("Published.")."""
    return gettext(text) if text else text
