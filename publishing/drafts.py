"""A draft's values: an object's content and its parts', as plain data.

    {"fields": {attname: value, ...},
     "children": {relation: [{"pk": id or None, "fields": {...}}, ...], ...}}

`relation` is one of the object's `draft_children` (a page's "topics"); a part
without an id is new. Only content is kept: not the primary key, not the link
to the parent, not what publishing decides (PUBLICATION_FIELDS), not what the
site computes (fields that are not editable), and of a field translated by
modeltranslation only its per-language columns. Values are read and written
with the fields' own methods (`value_from_object`, `to_python`), so the draft
reads back as the form left it.
"""

from modeltranslation.translator import translator

from .models import PUBLICATION_FIELDS


def content_fields(model, parent_field=None):
    """Return the fields of `model` a draft keeps."""
    translated = ()
    if model in translator.get_registered_models():
        translated = translator.get_options_for_model(model).fields
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and field.name not in PUBLICATION_FIELDS
        and field.name not in translated
        and field.name != parent_field
    ]


def read(obj, parent_field=None):
    return {
        field.attname: field.value_from_object(obj)
        for field in content_fields(type(obj), parent_field)
    }


def assign(obj, fields, parent_field=None):
    """Give `obj` the values of `fields` (as read() made them), unsaved."""
    for field in content_fields(type(obj), parent_field):
        if field.attname in fields:
            setattr(obj, field.attname, field.to_python(fields[field.attname]))


def existing(model, rows, parent_field):
    """Return the rows whose links (an area of action's none, a listed
    agreement's agreement) lead to objects that still exist: a part whose
    agreement was deleted since the draft was saved is gone from the page."""
    links = [
        field
        for field in content_fields(model, parent_field)
        if field.is_relation and field.many_to_one
    ]
    found = {}
    for field in links:
        ids = {row["fields"].get(field.attname) for row in rows} - {None}
        target = field.related_model._default_manager
        found[field.attname] = set(
            target.filter(pk__in=ids).values_list("pk", flat=True)
        )
    return [
        row
        for row in rows
        if all(
            row["fields"].get(name) is None
            or field_value(model, name, row["fields"][name]) in ids
            for name, ids in found.items()
        )
    ]


def field_value(model, attname, value):
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return field.to_python(value)


def relations(obj):
    """Return [(name, child model, name of the child's link to obj)]."""
    found = []
    for name in obj.draft_children:
        relation = obj._meta.get_field(name)
        found.append((name, relation.related_model, relation.field.name))
    return found


def capture(obj, children):
    """Return the values of `obj` and of `children` ({relation: [parts]})."""
    values = {"fields": read(obj), "children": {}}
    for name, _model, parent_field in relations(obj):
        if name in children:
            values["children"][name] = [
                {"pk": child.pk, "fields": read(child, parent_field)}
                for child in children[name]
            ]
    return values


def current(obj):
    """Return the values of `obj` and its parts as they are in the database."""
    return capture(
        obj, {name: list(getattr(obj, name).all()) for name, *_ in relations(obj)}
    )


def build(obj, values):
    """Return `obj` with `values` applied, and {relation: [parts]}, unsaved:
    what a preview or a review shows."""
    assign(obj, values["fields"])
    return obj, parts(obj, values)


def as_shown(obj, draft):
    """Return `obj` and what its page shows (`shown_objects`), with `draft`'s
    values if there is one, unsaved: parts the draft adds have no id (nor
    translation history), those it removes are left out."""
    shown = obj.shown_objects()
    if draft is None:
        return shown
    built, children = build(type(obj).objects.get(pk=obj.pk), draft.values)
    drafted = {type(obj): [built]}
    for found in children.values():
        for part in found:
            drafted.setdefault(type(part), []).append(part)
    return [
        *(part for found in drafted.values() for part in found),
        *(each for each in shown if type(each) not in drafted),
    ]


def parts(obj, values):
    """Return {relation: [parts]} of `obj` as `values` have them, unsaved,
    each linked to `obj`: the live ones with their values, and new ones;
    those the values leave out are not there. `obj` itself is untouched."""
    children = {}
    for name, model, parent_field in relations(obj):
        live = {child.pk: child for child in getattr(obj, name).all()}
        rows = values["children"].get(name)
        if rows is None:
            found = list(live.values())
        else:
            found = []
            for row in existing(model, rows, parent_field):
                child = live.get(row["pk"]) or model()
                assign(child, row["fields"], parent_field)
                found.append(child)
        for child in found:
            setattr(child, parent_field, obj)
        children[name] = found
    return children


def write(obj, values):
    """Make `values` the content of `obj` and its parts in the database.

    Parts the values leave out are deleted, new ones created (with ids the
    database gives), the others updated. Each part is validated with its
    parent, then the object with its parts: a ValidationError leaves the
    caller's transaction to roll back.
    """
    assign(obj, values["fields"])
    # Its own fields first; clean() reads its parts, so it comes last.
    obj.clean_fields()
    obj.validate_unique()
    obj.validate_constraints()
    obj.save()
    for name, model, parent_field in relations(obj):
        rows = values["children"].get(name)
        if rows is None:
            continue
        rows = existing(model, rows, parent_field)
        live = {child.pk: child for child in getattr(obj, name).all()}
        kept = {row["pk"] for row in rows}
        for pk, child in live.items():
            if pk not in kept:
                child.delete()
        for row in rows:
            child = live.get(row["pk"]) or model()
            assign(child, row["fields"], parent_field)
            setattr(child, parent_field, obj)
            child.full_clean()
            child.save()
    obj.clean()
    return obj


def text_values(values):
    """Return {(object id, column): value} of every text `values` holds, the
    object's own under id None."""
    found = {(None, name): value for name, value in values["fields"].items()}
    for rows in values["children"].values():
        for row in rows:
            for name, value in row["fields"].items():
                found[(row["pk"], name)] = value
    return found


def unchanged(old, new, sources):
    """Return the items of `sources` ({publishing.currency.key: text}) whose
    text is the same in the values `old` and `new`: by object id and column."""
    before, after = text_values(old), text_values(new)
    kept = {}
    for each, source in sources.items():
        _content_type, object_id, field, language = each.split(":")
        column = f"{field}_{language}"
        candidates = [(None, column), (int(object_id), column)]
        if all(before.get(c) == after.get(c) for c in candidates):
            kept[each] = source
    return kept
