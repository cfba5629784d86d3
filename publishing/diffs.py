"""What changed between two states of an object and its parts, field by
field and language by language, for people: the review screen (draft against
live) and the history (any two revisions)."""

import difflib
import html
import re

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from modeltranslation.translator import translator

from . import drafts
from .languages import language_in_sentence

BLANK = (None, "")


def language_name(language):
    return gettext("English") if language == "en" else gettext("French")


def field_label(field):
    """Return the field's label, with its language as said mid-sentence:
    "summary (English)", « résumé (anglais) »."""
    base = getattr(field, "translated_field", None)
    if base is not None:
        language = language_in_sentence(field.language)
        return f"{base.verbose_name} ({language})"
    return str(field.verbose_name)


def word_diff(old, new):
    """Return HTML marking removed words with <del> and added ones with <ins>."""
    old_words = re.findall(r"\S+|\s+", old)
    new_words = re.findall(r"\S+|\s+", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed = html.escape("".join(old_words[a1:a2]))
        added = html.escape("".join(new_words[b1:b2]))
        if op == "equal":
            parts.append(removed)
        else:
            if removed:
                parts.append(f"<del>{removed}</del>")
            if added:
                parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(parts))


def readable(value):
    """Return a stored value as text: rich text without its tags."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text:
        text = re.sub(r"</(p|h3|h4|li|blockquote)>", "\n", text)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return text.strip()


def as_python(field, value):
    try:
        return field.to_python(value)
    except ValidationError:
        return value


def field_changes(model, old, new, parent_field=None):
    """Return [(label, diff)] for the content fields that differ between two
    {attname: value} dicts (values as stored or as read back from JSON)."""
    changes = []
    for field in drafts.content_fields(model, parent_field):
        before = as_python(field, old.get(field.attname))
        after = as_python(field, new.get(field.attname))
        # A blank field is stored as "" by one path and NULL by another.
        if before != after and not (before in BLANK and after in BLANK):
            if field.choices:
                choices = dict(field.flatchoices)
                before, after = choices.get(before, before), choices.get(after, after)
            changes.append(
                (field_label(field), word_diff(readable(before), readable(after)))
            )
    return changes


def part_name(model, fields, parent_field):
    part = model()
    drafts.assign(part, fields, parent_field)
    try:
        return part.display_name() if hasattr(part, "display_name") else str(part)
    except ObjectDoesNotExist:
        # It names what was deleted since (an agreement a page listed).
        return gettext("deleted since")


def sections(obj, old, new):
    """Return [(title or None, state, [(label, diff)])] from `old` to `new`,
    two sets of values as publishing.drafts keeps them: the object's own
    fields first, then each part added, removed or changed."""
    found = [(None, "changed", field_changes(type(obj), old["fields"], new["fields"]))]
    for name, model, parent_field in drafts.relations(obj):
        if name not in new["children"] and name not in old["children"]:
            continue
        before = {row["pk"]: row for row in old["children"].get(name, [])}
        after_rows = new["children"].get(name, old["children"].get(name, []))
        seen = set()
        for row in after_rows:
            pk = row["pk"]
            earlier = before.get(pk) if pk is not None else None
            seen.add(pk)
            if earlier is None:
                state = "added"
                changes = field_changes(model, {}, row["fields"], parent_field)
            else:
                state = "changed"
                changes = field_changes(
                    model, earlier["fields"], row["fields"], parent_field
                )
                if not changes:
                    continue
            found.append((title(model, row["fields"], parent_field), state, changes))
        for pk, row in before.items():
            if pk not in seen:
                found.append((title(model, row["fields"], parent_field), "removed", []))
    return found


def title(model, fields, parent_field):
    return gettext("%(kind)s “%(name)s”") % {
        "kind": model._meta.verbose_name,
        "name": part_name(model, fields, parent_field),
    }


def languages_side_by_side(obj):
    """Return [(label, [English, French], optional)] for each translated field."""
    from .languages import LANGUAGES

    rows = []
    translated = translator.get_options_for_model(type(obj)).fields
    for field in obj._meta.concrete_fields:
        name = field.name
        if name not in translated:
            continue
        cells = []
        for language in LANGUAGES:
            value = getattr(obj, f"{name}_{language}")
            if value and hasattr(field, "rendered"):
                value = field.rendered(value)
            cells.append(value or "")
        rows.append((field.verbose_name, cells, field.blank))
    return rows
