"""The two official languages, as the publishing rules name them in messages."""

from django.conf import settings
from django.utils.translation import gettext, pgettext

LANGUAGES = settings.MODELTRANSLATION_LANGUAGES


def language_in_sentence(language):
    """Return the language's name as written mid-sentence ("en français")."""
    if language == "en":
        return pgettext("language name in a sentence", "English")
    return pgettext("language name in a sentence", "French")


def required_message(language):
    if language == "en":
        return gettext("Required in English: visitors can see this content.")
    return gettext("Required in French: visitors can see this content.")


def describe_missing(missing):
    """Say what is missing in each language: {language: [labels]} as a phrase."""
    parts = []
    for language, labels in missing.items():
        if labels:
            parts.append(
                gettext("missing in %(language)s: %(fields)s")
                % {
                    "language": language_in_sentence(language),
                    "fields": "; ".join(labels),
                }
            )
    return "; ".join(parts)


def text_label(page, obj, field):
    """Name `obj`'s `field` as a list of what `page` shows does: the page's
    own fields by their label, its parts' with their kind and name."""
    label = str(obj._meta.get_field(field).verbose_name)
    if obj == page and type(obj) is type(page):
        return label[:1].upper() + label[1:]
    return gettext("%(kind)s “%(name)s”: %(field)s") % {
        "kind": str(obj._meta.verbose_name)[:1].upper()
        + str(obj._meta.verbose_name)[1:],
        "name": obj.display_name(),
        "field": label,
    }


def describe_out_of_date(page, outdated):
    """Say which texts are out of date in each language: `outdated` is
    [(obj, field, language, ...)], as publishing.currency lists them."""
    by_language = {}
    for obj, field, language, *_rest in outdated:
        by_language.setdefault(language, []).append(text_label(page, obj, field))
    return "; ".join(
        gettext("out of date in %(language)s: %(fields)s")
        % {"language": language_in_sentence(language), "fields": "; ".join(labels)}
        for language, labels in by_language.items()
    )
