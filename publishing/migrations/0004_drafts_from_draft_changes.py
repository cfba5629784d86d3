"""Carry the pending changes kept as django-reversion revisions (the former
relations.DraftChange) over as drafts kept as data: an upgrade loses no one's
work waiting for a publisher."""

import json

from django.db import migrations

# Field values are kept by name in the old revisions and read back by column
# (attname): a foreign key "agreement" is read as "agreement_id".


def by_attname(fields):
    values = dict(fields)
    for name, value in fields.items():
        if isinstance(value, int) and not isinstance(value, bool):
            values.setdefault(f"{name}_id", value)
    return values


CHILDREN = {
    "relations.topic": "topics",
    "relations.relationshipagreement": "agreement_links",
    "relations.relationshiporganization": "organization_links",
}


def carry_over(apps, schema_editor):
    DraftChange = apps.get_model("relations", "DraftChange")
    Draft = apps.get_model("publishing", "Draft")
    for change in DraftChange.objects.select_related("revision", "content_type"):
        label = f"{change.content_type.app_label}.{change.content_type.model}"
        values = {"fields": {}, "children": {}}
        if label == "relations.relationship":
            values["children"] = {name: [] for name in CHILDREN.values()}
        for version in change.revision.version_set.all():
            for row in json.loads(version.serialized_data):
                fields = by_attname(row["fields"])
                if row["model"] == label and str(row["pk"]) == change.object_id:
                    values["fields"] = fields
                elif CHILDREN.get(row["model"]) in values["children"]:
                    if fields.get("relationship_id") == int(change.object_id):
                        values["children"][CHILDREN[row["model"]]].append(
                            {"pk": row["pk"], "fields": fields}
                        )
        draft = Draft.objects.create(
            content_type=change.content_type,
            object_id=int(change.object_id),
            values=values,
            based_on=1,
        )
        if change.revision.user_id:
            draft.authors.add(change.revision.user_id)


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0003_drafts_and_activity"),
        ("relations", "0009_former_slugs_are_redirects"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]
