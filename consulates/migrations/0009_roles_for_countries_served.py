"""The roles' permissions for what issue 16 added: an office's countries also
served are part of editing an office (Editors and Publishers); countries and
regions are reference data every editor reads (the autocomplete of countries
served needs it), whose names a Publisher may correct."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "Editor": [
        "consulates.view_servedcountry",
        "consulates.add_servedcountry",
        "consulates.change_servedcountry",
        "consulates.delete_servedcountry",
        "relations.view_country",
        "relations.view_region",
    ],
    "Publisher": [
        "consulates.view_servedcountry",
        "consulates.add_servedcountry",
        "consulates.change_servedcountry",
        "consulates.delete_servedcountry",
        "relations.view_country",
        "relations.change_country",
        "relations.view_region",
    ],
}


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; these need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GRANTS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("consulates", "0008_offices_serve_several_countries"),
        ("relations", "0013_countries_and_regions"),
    ]

    # Unapplied, the grants stay: 0008 going back drops the model they are for.
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
