"""The four roles of the editorial workflow, as groups with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = [
    *(
        f"{app}.{action}_{model}"
        for app, models in [
            ("relations", ["relationship", "topic", "agreement", "organization"]),
            ("relations", ["relationshipagreement", "relationshiporganization"]),
            ("consulates", ["office"]),
        ]
        for model in models
        for action in ("view", "add", "change")
    ),
    # Removing a section or a listed item is part of editing a page.
    "relations.delete_topic",
    "relations.delete_relationshipagreement",
    "relations.delete_relationshiporganization",
]
PUBLISHER = [
    *EDITOR,
    "relations.publish_relationship",
    "consulates.publish_office",
    "relations.delete_relationship",
    "relations.delete_agreement",
    "relations.delete_organization",
    "consulates.delete_office",
    "relations.view_formerslug",
    "relations.delete_formerslug",
]
FEEDBACK_REVIEWER = [
    "feedback.view_problemreport",
    "feedback.change_problemreport",
    "feedback.delete_problemreport",
]
ADMINISTRATOR = [
    *(
        f"auth.{action}_{model}"
        for model in ("user", "group")
        for action in ("view", "add", "change", "delete")
    ),
    # Unlocking an account locked out by django-axes.
    "axes.view_accessattempt",
    "axes.delete_accessattempt",
    "axes.view_accesslog",
    "axes.view_accessfailurelog",
]
GROUPS = {
    "Editor": EDITOR,
    "Publisher": PUBLISHER,
    "Feedback reviewer": FEEDBACK_REVIEWER,
    "Administrator": ADMINISTRATOR,
}


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            permissions.append(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(permissions)


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0002_alter_relationship_options_and_more"),
        ("consulates", "0002_alter_office_options_remove_office_is_published_and_more"),
        ("feedback", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("axes", "0010_accessattemptexpiration"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
