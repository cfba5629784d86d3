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
