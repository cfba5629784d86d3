"""Template filters for the publishing pages."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def translated(text):
    """Return a revision's comment in the reader's language: the workflow
    keeps its own comments in English, as their msgid ("Published.")."""
    return gettext(text) if text else text


@register.simple_tag
def editor_labels():
    """The rich-text editor's button names, by the English the editor gives
    them (django-prose-editor has no translation of its toolbar): named in
    the admin's language by static/js/admin-accessible-widgets.js."""
    return {
        "paragraph": gettext("Paragraph"),
        "heading 3": gettext("Heading 3"),
        "heading 4": gettext("Heading 4"),
        "unordered list": gettext("Bulleted list"),
        "ordered list": gettext("Numbered list"),
        "blockquote": gettext("Quotation"),
        "bold": gettext("Bold"),
        "italic": gettext("Italic"),
        "insert link": gettext("Insert link"),
        "remove link": gettext("Remove link"),
        "undo": gettext("Undo"),
        "redo": gettext("Redo"),
    }
