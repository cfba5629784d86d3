"""GIN indexes for searching offices on PostgreSQL (relations.search).

An index on the vector expression, not a stored column: offices are few, and
an expression index leaves their columns free to change type. The expression
must stay identical to the one relations.search builds (tests/test_search.py
checks the plans). Nothing to do on SQLite.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIGURATIONS = {"en": "english_unaccent", "fr": "french_unaccent"}


def office_indexes():
    return [
        GinIndex(
            SearchVector(f"name_{language}", f"city_{language}", config=config, weight="A")
            + SearchVector(f"services_{language}", config=config, weight="B")
            + SearchVector(
                f"address_{language}", f"notes_{language}", config=config, weight="C"
            ),
            name=f"office_search_{language}",
            fastupdate=False,
        )
        for language, config in CONFIGURATIONS.items()
    ]


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("consulates", "Office")
    for index in office_indexes():
        schema_editor.add_index(model, index)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("consulates", "Office")
    for index in office_indexes():
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):

    dependencies = [
        ("consulates", "0003_office_directory_fields"),
        ("relations", "0005_search"),
    ]

    operations = [
        migrations.RunPython(add_indexes, drop_indexes),
    ]
