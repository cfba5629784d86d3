"""SQLite's full-text index (FTS5) for the site search (relations.search).

Created on SQLite only; PostgreSQL searches with its own (0005_search). The
index is filled after every `migrate` (relations.apps) and kept up to date on
each save and delete.
"""

from django.db import migrations

from relations.search import INDEX, create_index


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        create_index(schema_editor.connection)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0011_archived_page_successor"),
    ]

    operations = [migrations.RunPython(create, drop)]
