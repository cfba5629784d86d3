"""Full-text search on PostgreSQL (relations.search); nothing to do on SQLite.

Text-search configurations english_unaccent and french_unaccent fold accents
before stemming, so "etats-unis" finds "États-Unis".

Areas of action are the many rows: each keeps its vector in a stored generated
column (search_en, search_fr) with a GIN index, so ranking reads the stored
vector instead of parsing the body of every match. A generated column blocks
type changes of the columns it reads: to change Topic.title's max_length on
PostgreSQL, drop search_en and search_fr first and add them back afterwards,
in the same migration.

Relationships, one per country, get a GIN index on the vector expression that
relations.search builds; they must stay identical for the index to be used
(tests/test_search.py checks the plans).

The GIN indexes are updated on each write (fastupdate off): editors write
rarely, and a pending list would slow searches and mislead the planner until
the next vacuum.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import UnaccentExtension
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIGURATIONS = {"en": ("english_unaccent", "english"), "fr": ("french_unaccent", "french")}


def postgresql_only(function):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            function(apps, schema_editor)

    return run


@postgresql_only
def create_configurations(apps, schema_editor):
    for name, base in CONFIGURATIONS.values():
        schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base})")
        # Only words with letters outside ASCII can carry accents.
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {base}_stem"
        )


@postgresql_only
def drop_configurations(apps, schema_editor):
    for name, _base in CONFIGURATIONS.values():
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


@postgresql_only
def add_topic_vectors(apps, schema_editor):
    for language, (config, _base) in CONFIGURATIONS.items():
        schema_editor.execute(
            f"ALTER TABLE relations_topic ADD COLUMN search_{language} tsvector "
            f"GENERATED ALWAYS AS ("
            f"setweight(to_tsvector('{config}'::regconfig, "
            f"coalesce(title_{language}, '')), 'A') || "
            f"setweight(to_tsvector('{config}'::regconfig, "
            f"coalesce(body_{language}, '')), 'B')) STORED, "
            # Kept in the row (compressed), not in TOAST: ranking reads the
            # vector of every match, and a TOAST fetch per row is the cost.
            f"ALTER COLUMN search_{language} SET STORAGE MAIN"
        )
        schema_editor.execute(
            f"CREATE INDEX topic_search_{language} ON relations_topic "
            f"USING gin (search_{language}) WITH (fastupdate = off)"
        )


@postgresql_only
def drop_topic_vectors(apps, schema_editor):
    for language in CONFIGURATIONS:
        schema_editor.execute(
            f"ALTER TABLE relations_topic DROP COLUMN IF EXISTS search_{language}"
        )


def relationship_indexes():
    return [
        GinIndex(
            SearchVector(
                f"title_{language}",
                f"partner_name_{language}",
                config=config,
                weight="A",
            )
            + SearchVector(f"summary_{language}", config=config, weight="B"),
            name=f"relationship_search_{language}",
            fastupdate=False,
        )
        for language, (config, _base) in CONFIGURATIONS.items()
    ]


@postgresql_only
def add_relationship_indexes(apps, schema_editor):
    model = apps.get_model("relations", "Relationship")
    for index in relationship_indexes():
        schema_editor.add_index(model, index)


@postgresql_only
def drop_relationship_indexes(apps, schema_editor):
    model = apps.get_model("relations", "Relationship")
    for index in relationship_indexes():
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):

    dependencies = [
        ("relations", "0004_draft_change"),
    ]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_configurations, drop_configurations),
        migrations.RunPython(add_topic_vectors, drop_topic_vectors),
        migrations.RunPython(add_relationship_indexes, drop_relationship_indexes),
    ]
