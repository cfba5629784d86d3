"""Whether each language's text of a translated field is current with the
other language's, field by field, whatever path saves the object.

For a translated field (`title`, with `title_en` and `title_fr`), each
language's text is:
- **missing** when it is blank and the other language's is not;
- **out of date** when the other language's text is no longer the one it was
  written or confirmed against (`TranslationSource`);
- **current** otherwise.

Either language may be the source. When a save changes one language's text
and not the other's, the changed text is taken as written against the other
(current). If it was current before, it was the source: the other becomes
out of date, unless the change is marked minor
(`publishing.models.minor_change`). If it was blank or out of date, it was
being translated, and the other stays as it was.
`record` is called by every content model's `save` (relations.PageContent),
so the admin, imports and the shell all record it; `QuerySet.update()` and
`bulk_create()`, which call no `save`, do not.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from modeltranslation.translator import NotRegistered, translator

from .languages import LANGUAGES
from .models import TranslationSource, translated_texts

CURRENT = "current"
OUT_OF_DATE = "out_of_date"
MISSING = "missing"


def translated_fields(model):
    """Return the names of `model`'s translated texts, () if it has none.

    Addresses (slugs, anchors, links) are translated fields but not
    translations: each language's is its own, never out of date.
    """
    if not getattr(model, "tracks_translations", True):
        # Reference data (countries, regions), not content editors translate.
        return ()
    try:
        options = translator.get_options_for_model(model)
    except NotRegistered:
        return ()
    return tuple(
        sorted(
            name
            for name in options.fields
            if not isinstance(
                model._meta.get_field(name), (models.SlugField, models.URLField)
            )
        )
    )


def other(language):
    return LANGUAGES[1] if language == LANGUAGES[0] else LANGUAGES[0]


def text(value):
    # A blank field may be None or "" (modeltranslation's empty values): the
    # same text either way.
    return "" if value is None else str(value)


def key(obj, field, language):
    """Name one text of one object, as a form or a draft keeps it:
    "content type id:object id:field:language"."""
    content_type = ContentType.objects.get_for_model(obj).pk
    return f"{content_type}:{obj.pk}:{field}:{language}"


def digest(value):
    """Return a short fingerprint of a text, to tell whether it is still the
    one a person read."""
    return hashlib.sha256(text(value).encode()).hexdigest()[:16]


def confirmation(obj, field, language):
    """Name a Publisher's "Still accurate" for `obj`'s text of `field` in
    `language`, as read against the other language's text as it is now:
    "key|fingerprint". It confirms nothing once that text changes."""
    source = getattr(obj, f"{field}_{other(language)}")
    return f"{key(obj, field, language)}|{digest(source)}"


def sources_of(obj):
    """Return {(field, language): TranslationSource} for `obj`."""
    rows = TranslationSource.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    )
    return {(row.field, row.language): row for row in rows}


def record(obj, before, *, minor=False):
    """Record what a save of `obj` did to its translations.

    `before`: its column values as last read or saved ({"title_en": …}); a
    column missing from it (deferred) is taken as unchanged; None for a new
    object, whose texts were all blank (a text written in one language only
    is missing in the other from now).
    """
    fields = translated_fields(type(obj))
    if not fields:
        return
    adding = before is None
    if adding:
        before = {
            f"{field}_{language}": "" for field in fields for language in LANGUAGES
        }
    changes = changed_texts(obj, before)
    if not changes:
        return
    rows = {} if adding else sources_of(obj)
    for row in apply(obj, changes, rows, minor):
        row.save()


def changed_texts(obj, before):
    """Return [(field, old, new, changed languages)] for the translated
    fields whose text differs between `before` and `obj` in memory."""
    changes = []
    for field in translated_fields(type(obj)):
        old, new = {}, {}
        for language in LANGUAGES:
            name = f"{field}_{language}"
            if name in before:
                old[language] = text(before[name])
                new[language] = text(getattr(obj, name))
        changed = {lang for lang in old if old[lang] != new[lang]}
        if changed:
            changes.append((field, old, new, changed))
    return changes


def apply(obj, changes, rows, minor):
    """Change `rows` ({(field, language): TranslationSource}) as `changes`
    make them, in memory; return the rows changed, for the caller to save."""
    now = timezone.now()
    content_type = ContentType.objects.get_for_model(obj)
    touched = []

    def keep(field, language, source_text, outdated_at):
        row = rows.get((field, language))
        if row is None:
            row = rows[(field, language)] = TranslationSource(
                content_type=content_type,
                object_id=obj.pk,
                field=field,
                language=language,
            )
        elif row.source_text == source_text and (row.outdated_at is None) == (
            outdated_at is None
        ):
            # Out of date since it first was, not since the latest change.
            return
        row.source_text = source_text
        row.outdated_at = outdated_at
        touched.append(row)

    imported = translated_texts()
    for field, old, new, changed in changes:
        for language in changed:
            twin = other(language)
            if twin not in new:
                continue
            mine = rows.get((field, language))
            written_against = imported.get(key(obj, field, language))
            if written_against is not None:
                # A translation (publishing.models.translations): current
                # with the text it translates, if that is still the twin's;
                # the twin stays as it was.
                if written_against == new[twin]:
                    if mine is not None:
                        keep(field, language, new[twin], None)
                else:
                    keep(field, language, written_against, now)
                continue
            if not new[language].strip():
                # Blanked: missing (below), and no change its twin must follow.
                continue
            # A text that was blank or out of date is being translated: its
            # twin is the source, and stays as it was.
            translating = not old[language].strip() or (
                mine is not None and mine.source_text != old[twin]
            )
            # The changed text is written against the other's text as it is
            # (no row: current).
            if mine is not None:
                keep(field, language, new[twin], None)
            if twin in changed:
                continue
            row = rows.get((field, twin))
            if row is None:
                # The twin was current with the text before this change.
                if not (minor or translating):
                    keep(field, twin, old[language], now)
            elif row.source_text == old[language]:
                if minor or translating:
                    # Current it was, current it stays.
                    keep(field, twin, new[language], None)
                else:
                    keep(field, twin, old[language], now)
            elif row.source_text == new[language]:
                # Back to the text the twin translates.
                keep(field, twin, row.source_text, None)
        for language in new:
            # A blank text beside a written one is missing: since when it
            # became so (its row's outdated_at), kept until it is written.
            mine = rows.get((field, language))
            if not new[language].strip() and new[other(language)].strip():
                if mine is None or mine.outdated_at is None:
                    # Due against the other language's text as it is.
                    keep(field, language, new[other(language)], now)
    return touched


def status(obj, field, language, rows=None):
    """Return (CURRENT, OUT_OF_DATE or MISSING, the row or None) for
    `obj`'s text of `field` in `language`, as it is in memory."""
    rows = sources_of(obj) if rows is None else rows
    mine = text(getattr(obj, f"{field}_{language}")).strip()
    theirs = text(getattr(obj, f"{field}_{other(language)}"))
    row = rows.get((field, language))
    if not mine:
        return (MISSING if theirs.strip() else CURRENT), row
    if row is not None and row.source_text != theirs:
        return OUT_OF_DATE, row
    return CURRENT, row


def problems(objects, minor=False):
    """Return [(obj, field, language, status, row)] for each missing or
    out-of-date text of `objects` as they are in memory, reading the sources
    in one query per model. An object whose texts differ from those it was
    read with (a draft applied to it) is judged as if saved (`minor` or
    not), nothing written."""
    found = []
    by_model = {}
    for obj in objects:
        if obj.pk is not None and translated_fields(type(obj)):
            by_model.setdefault(type(obj), []).append(obj)
    for model, instances in by_model.items():
        rows = {}
        for row in TranslationSource.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=[obj.pk for obj in instances],
        ):
            rows.setdefault(row.object_id, {})[(row.field, row.language)] = row
        for obj in instances:
            mine = rows.get(obj.pk, {})
            before = getattr(obj, "_saved_content", None)
            if before is not None:
                apply(obj, changed_texts(obj, before), mine, minor)
            for field in translated_fields(model):
                for language in LANGUAGES:
                    found_status, row = status(obj, field, language, mine)
                    if found_status != CURRENT:
                        found.append((obj, field, language, found_status, row))
    return found


def since(found, row):
    """Return when a text became out of date or missing, in local time; None
    for a current one, or a missing one from before this was recorded."""
    if found == CURRENT or row is None or row.outdated_at is None:
        return None
    return timezone.localtime(row.outdated_at)


def out_of_date(objects, minor=False):
    """Return [(obj, field, language, row)] for each out-of-date text of
    `objects` (see problems)."""
    return [
        (obj, field, language, row)
        for obj, field, language, found, row in problems(objects, minor)
        if found == OUT_OF_DATE
    ]


def mark_current(obj, field, language, user):
    """Record that `obj`'s text of `field` in `language` is still accurate
    against the other language's text as it is. Who may say so is checked
    by publishing.workflow.confirm_translation, which calls this."""
    theirs = text(getattr(obj, f"{field}_{other(language)}"))
    row, _created = TranslationSource.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        field=field,
        language=language,
        defaults={
            "source_text": theirs,
            "outdated_at": None,
            "confirmed_by": user,
            "confirmed_at": timezone.now(),
        },
    )
    return row


@receiver(post_delete)
def forget_sources(sender, instance, **kwargs):
    if translated_fields(sender) and instance.pk is not None:
        TranslationSource.objects.filter(
            content_type=ContentType.objects.get_for_model(sender),
            object_id=instance.pk,
        ).delete()
