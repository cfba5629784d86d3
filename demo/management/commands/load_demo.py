import tomllib
from pathlib import Path

import reversion
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext_noop

from consulates.models import Office
from relations.models import (
    Agreement,
    Organization,
    Relationship,
    RelationshipAgreement,
    RelationshipOrganization,
    Topic,
)

DEMO_FILE = Path(__file__).resolve().parents[2] / "united-states.toml"


def translated(data):
    """Turn {"en": {"title": …}, "fr": {…}} into {"title_en": …, "title_fr": …}."""
    return {
        f"{field}_{language}": value.strip() if isinstance(value, str) else value
        for language in settings.MODELTRANSLATION_LANGUAGES
        for field, value in data.get(language, {}).items()
    }


def untranslated(data):
    return {
        key: value
        for key, value in data.items()
        if key not in settings.MODELTRANSLATION_LANGUAGES
    }


class Command(BaseCommand):
    help = (
        "Load the demo content: the Canada-United States relationship in English "
        "and French, with its areas of action, agreements, organizations and "
        "offices. Content already loaded is left as editors left it unless "
        "--reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help=(
                "Restore the demo version: overwrite the relationship and the "
                "agreements and organizations it lists, and replace its areas of "
                "action and offices."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change, and change nothing.",
        )

    def handle(self, *args, reset=False, dry_run=False, **options):
        data = tomllib.loads(DEMO_FILE.read_text(encoding="utf-8"))
        with transaction.atomic(), reversion.create_revision():
            reversion.set_comment(gettext_noop("Demo content loaded (load_demo)."))
            report = self.load(data, reset=reset)
            if dry_run:
                transaction.set_rollback(True)
        prefix = "Dry run, nothing saved: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report))

    def load(self, data, reset):
        fields = {
            **untranslated(data["relationship"]),
            **translated(data["relationship"]),
        }
        relationship = Relationship.objects.filter(
            country_code=fields["country_code"]
        ).first()
        if relationship is not None and not reset:
            return (
                f"{relationship.title_en} is already loaded; nothing changed. "
                "Use --reset to restore the demo version."
            )

        deleted = {}
        if relationship is None:
            relationship = Relationship.objects.create(**fields)
            verb = "Created"
        else:
            for name, value in fields.items():
                setattr(relationship, name, value)
            relationship.save()
            deleted = {
                "areas of action": relationship.topics.all().delete()[0],
                "offices": relationship.offices.all().delete()[0],
            }
            relationship.agreement_links.all().delete()
            relationship.organization_links.all().delete()
            verb = "Restored"

        for order, topic in enumerate(data["topics"], start=1):
            Topic.objects.create(
                relationship=relationship,
                sort_order=order,
                **untranslated(topic),
                **translated(topic),
            )
        for order, item in enumerate(data["agreements"], start=1):
            RelationshipAgreement.objects.create(
                relationship=relationship,
                agreement=self.shared_item(Agreement, item, reset),
                sort_order=order,
            )
        for order, item in enumerate(data["organizations"], start=1):
            RelationshipOrganization.objects.create(
                relationship=relationship,
                organization=self.shared_item(Organization, item, reset),
                sort_order=order,
            )
        for order, office in enumerate(data["offices"], start=1):
            Office.objects.create(
                relationship=relationship,
                sort_order=order,
                **untranslated(office),
                **translated(office),
            ).publish()
        # Through the official-languages gate, like any page an editor publishes.
        relationship.refresh_from_db()
        relationship.publish()

        report = (
            f"{verb} {relationship.title_en}: {len(data['topics'])} areas of action, "
            f"{len(data['agreements'])} agreements, "
            f"{len(data['organizations'])} organizations, "
            f"{len(data['offices'])} offices."
        )
        if deleted:
            report += (
                " Deleted first: "
                + ", ".join(f"{count} {name}" for name, count in deleted.items())
                + "."
            )
        return report

    @staticmethod
    def shared_item(model, data, reset):
        """Reuse an agreement or organization other pages may list too."""
        fields = translated(data)
        item = model.objects.filter(name_en=fields["name_en"]).first()
        if item is None:
            return model.objects.create(**fields)
        if reset:
            for name, value in fields.items():
                setattr(item, name, value)
            item.save()
        return item
