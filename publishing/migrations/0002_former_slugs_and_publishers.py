"""Former addresses of relationship pages become redirects, and Publishers
manage redirects."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.urls import reverse
from django.utils import translation


def move_former_slugs(apps, schema_editor):
    FormerSlug = apps.get_model("relations", "FormerSlug")
    Redirect = apps.get_model("publishing", "Redirect")
    for former in FormerSlug.objects.filter(relationship__status="published"):
        new_slug = getattr(former.relationship, f"slug_{former.language}")
        with translation.override(former.language):
            old = reverse("relations:relationship_detail", kwargs={"slug": former.slug})
            new = reverse("relations:relationship_detail", kwargs={"slug": new_slug})
        Redirect.objects.update_or_create(old_path=old, defaults={"new_path": new})


def let_publishers_manage_redirects(apps, schema_editor):
    # Permissions are normally created after all migrations; these need them now.
    app_config = apps.get_app_config("publishing")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="publishing", content_type__model="redirect"
    )
    for group in Group.objects.filter(name="Publisher"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("relations", "0008_administrators_only_view_groups"),
    ]

    operations = [
        migrations.RunPython(move_former_slugs, migrations.RunPython.noop),
        migrations.RunPython(let_publishers_manage_redirects, migrations.RunPython.noop),
    ]
