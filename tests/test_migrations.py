"""An upgrade loses no one's work: draft changes kept the old way (a
django-reversion revision per page, relations.DraftChange) become drafts kept
as data, which publish as the editor left them.

Run in a process of its own, on a database of its own (SQLite): migrating
the tests' shared database back and forth left it in a state other tests
tripped on.
"""

import pytest

from tests.support.processes import fresh_process

pytestmark = pytest.mark.slow

SCRIPT = """
import json

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("relations", "0009_former_slugs_are_redirects"),
    ("publishing", "0003_drafts_and_activity"),
]
call_command("migrate", verbosity=0)
executor = MigrationExecutor(connection)
executor.migrate(BEFORE)
executor.loader.build_graph()
apps = executor.loader.project_state(BEFORE).apps
ContentType = apps.get_model("contenttypes", "ContentType")
Relationship = apps.get_model("relations", "Relationship")
Topic = apps.get_model("relations", "Topic")
Revision = apps.get_model("reversion", "Revision")
Version = apps.get_model("reversion", "Version")
DraftChange = apps.get_model("relations", "DraftChange")
User = apps.get_model("auth", "User")

editor = User.objects.create(username="edith")
page = Relationship.objects.create(
    country_code="MX",
    status="published",
    partner_name_en="Mexico",
    partner_name_fr="Mexique",
    partner_name_with_article_en="Mexico",
    partner_name_with_article_fr="le Mexique",
    title_en="Canada-Mexico relations",
    title_fr="Relations Canada-Mexique",
    slug_en="mexico",
    slug_fr="mexique",
    summary_en="Live summary.",
    summary_fr="Résumé publié.",
)
topic = Topic.objects.create(
    relationship=page,
    title_en="Trade",
    title_fr="Commerce",
    anchor_en="trade",
    anchor_fr="commerce",
    body_en="<p>Live.</p>",
    body_fr="<p>Publié.</p>",
)
page_fields = {
    field.name: getattr(page, field.attname)
    for field in Relationship._meta.concrete_fields
    if not field.primary_key
}
page_fields.update(
    summary_en="Draft summary.",
    summary_fr="Résumé de l’ébauche.",
    content_modified_at=None,
)
topic_fields = {
    "relationship": page.pk,
    "title_en": "Trade and investment",
    "title_fr": "Commerce et investissement",
    "anchor_en": "trade",
    "anchor_fr": "commerce",
    "body_en": "<p>Draft.</p>",
    "body_fr": "<p>Ébauche.</p>",
    "listing": "",
    "closing_en": "",
    "closing_fr": "",
    "sort_order": 0,
}
revision = Revision.objects.create(date_created=timezone.now(), user=editor)
for model, obj_id, fields in [
    ("relationship", page.pk, page_fields),
    ("topic", topic.pk, topic_fields),
]:
    # A transactional test's flush may have emptied the content types.
    kind, _ = ContentType.objects.get_or_create(app_label="relations", model=model)
    Version.objects.create(
        revision=revision,
        content_type=kind,
        object_id=str(obj_id),
        db="default",
        format="json",
        serialized_data=json.dumps(
            [{"model": f"relations.{model}", "pk": obj_id, "fields": fields}],
            default=str,
        ),
        object_repr=str(obj_id),
    )
DraftChange.objects.create(
    content_type=ContentType.objects.get(
        app_label="relations", model="relationship"
    ),
    object_id=str(page.pk),
    revision=revision,
)

call_command("migrate", verbosity=0)

from publishing import workflow
from publishing.models import Draft
from relations.models import Relationship as Live

live = Live.objects.get(pk=page.pk)
draft = Draft.of(live)
assert draft is not None
assert [author.username for author in draft.authors.all()] == ["edith"]
assert live.summary_en == "Live summary."

from django.contrib.auth import get_user_model

publisher = get_user_model().objects.create_superuser("chief", "c@x.ca", "pw")
workflow.publish(live, publisher)
live.refresh_from_db()
assert live.summary_en == "Draft summary."
assert live.topics.get().title_en == "Trade and investment"
print("carried over")
"""


def test_draft_changes_are_carried_over(tmp_path):
    result = fresh_process(
        "manage.py",
        "shell",
        "-c",
        SCRIPT,
        DJANGO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'upgrade.db'}",
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "carried over" in result.stdout
