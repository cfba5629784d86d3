"""Import a translated XLIFF file as drafts for review, never live content:
print what would change, and the texts left out, then save the drafts
(unless --dry-run). Exits non-zero, with nothing saved, when the file is
refused (publishing.xliff)."""

import difflib

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from publishing import diffs, workflow, xliff
from relations.models import Relationship


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("file", help="The XLIFF 2.0 or 1.2 file.")
        parser.add_argument(
            "--user", required=True, help="Who imports it (the drafts' author)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Print the changes; save nothing."
        )

    def handle(self, file, user, dry_run=False, **options):
        person = get_user_model().objects.filter(username=user).first()
        if person is None:
            raise CommandError(f"No user is named {user!r}.")
        try:
            with open(file, "rb") as handle:
                data = handle.read(xliff.MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            translated = xliff.read(data)
            page = xliff.page_of(translated, Relationship)
            result = xliff.plan(page, translated)
        except xliff.Refused as refusal:
            raise CommandError(" ".join(refusal.messages)) from None
        for change in result.changes + result.shared:
            self.stdout.write(f"{change.unit.label} ({result.target}):")
            old = diffs.readable(change.old).splitlines()
            new = diffs.readable(change.new).splitlines()
            for line in difflib.unified_diff(old, new, lineterm="", n=0):
                if not line.startswith(("---", "+++", "@@")):
                    self.stdout.write(f"  {line}")
        for title, units in (
            ("Left out, the source changed since the export", result.stale),
            (
                "Left out, text beside a nested list or quotation "
                "(use the translation editor)",
                result.unsupported,
            ),
            ("Left out, not translated yet", result.untranslated),
        ):
            for unit in units:
                self.stdout.write(f"{title}: {unit.label}")
        for change in result.shared:
            self.stdout.write(
                f"Left out, shared by several pages (change it in its own form): "
                f"{change.unit.label}"
            )
        if dry_run or not result.changes:
            self.stdout.write(
                f"{len(result.changes)} texts would change; nothing saved."
                if dry_run
                else "Nothing to change."
            )
            return
        try:
            with transaction.atomic():
                drafted = xliff.apply(page, person, result)
        except (workflow.NotAllowed, PermissionDenied):
            raise CommandError(f"{user} may not change {page}.") from None
        self.stdout.write(
            f"{len(result.changes)} texts changed, in drafts for review of: "
            + ", ".join(str(obj) for obj in drafted)
        )
