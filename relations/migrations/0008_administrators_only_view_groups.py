"""Administrators see the groups but no longer change them: whoever edits a
group's permissions could give their own group any permission."""

from django.db import migrations

GROUP_CHANGES = ["auth.add_group", "auth.change_group", "auth.delete_group"]


def permissions(apps):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="auth",
        codename__in=[dotted.split(".")[1] for dotted in GROUP_CHANGES],
    )


def only_view(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Administrator"):
        group.permissions.remove(*permissions(apps))


def change_again(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Administrator"):
        group.permissions.add(*permissions(apps))


class Migration(migrations.Migration):
    dependencies = [("relations", "0007_page_version")]

    operations = [migrations.RunPython(only_view, change_again)]
