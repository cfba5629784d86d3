"""Rich text for editors' HTML: django-prose-editor in the admin, an nh3
allow-list on every save, and the other-language label on the page."""

import re

import nh3
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField, create_sanitizer

ALLOWED_TAGS = {"p", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "hreflang", "lang"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
LINK_LANGUAGES = {"en", "fr"}

EDITOR_EXTENSIONS = {
    "Heading": {"levels": [3, 4]},
    "Bold": True,
    "Italic": True,
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "LanguageLink": {
        "enableTarget": False,
        "languages": [
            ["", _("Same language as this page")],
            ["en", _("English only")],
            ["fr", _("French only")],
        ],
        "labels": {
            "title": _("Link"),
            "url": _("Address (URL)"),
            "language": _("Language of the linked page"),
            "submit": _("Save link"),
        },
    },
}


def _keep_attribute(tag, attribute, value):
    if attribute in {"hreflang", "lang"}:
        return value if value in LINK_LANGUAGES else None
    return value


def sanitize(html):
    """Return `html` with everything outside the allow-list removed."""
    if not html:
        return html
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    ).strip()
    # ProseMirror's empty document is one empty paragraph: store nothing.
    return "" if re.fullmatch(r"(<p>\s*</p>\s*)*", cleaned) else cleaned


# nh3 writes attributes in a fixed form (double quotes, no nesting of links),
# so a sanitised link can be found with a pattern.
_OTHER_LANGUAGE_LINK = re.compile(r'(<a\b[^>]*\bhreflang="(en|fr)"[^>]*>.*?</a>)', re.S)


def label_other_language_links(html, language):
    """Add "(French only)" after each link to a page in the other language."""

    def label(match):
        link, linked_language = match.groups()
        if linked_language == language:
            return link
        with override(language):
            if linked_language == "fr":
                # Translators: after a link to a page that exists only in French.
                text = gettext("(French only)")
            else:
                # Translators: after a link to a page that exists only in English.
                text = gettext("(English only)")
        return f"{link} <span>{escape(text)}</span>"

    return _OTHER_LANGUAGE_LINK.sub(label, html)


def has_text(html):
    """Return True if `html` shows any text."""
    return bool(re.sub(r"<[^>]*>|&nbsp;|\s", "", html or ""))


class RichTextField(ProseEditorField):
    """Rich text edited with django-prose-editor, sanitised every time it is saved."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EDITOR_EXTENSIONS)
        # The editor's own allow-list (from its extensions) runs first, then ours,
        # which also checks attribute values.
        kwargs.setdefault("sanitize", [sanitize, create_sanitizer])
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        value = sanitize(super().pre_save(model_instance, add))
        setattr(model_instance, self.attname, value)
        return value

    def sanitized(self, value):
        """Return `value` as a save would store it (the allow-list applied):
        for values that wait in a draft (publishing.xliff.apply)."""
        return sanitize(value)

    def rendered(self, value):
        """Return `value` as HTML safe to show staff (a side-by-side view)."""
        return mark_safe(sanitize(value))
