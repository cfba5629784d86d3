import reversion
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from publishing import workflow
from publishing.models import Publishable, Status


class Command(BaseCommand):
    help = (
        "Record scheduled publications and withdrawals that have come due, and "
        "publish the draft changes scheduled for now. Visitors see pages appear "
        "and go without it (the schedule is read at request time); scheduled "
        "changes to a live page need it: run it from cron every minute."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what is due; save nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        now = timezone.now()
        appeared = withdrawn = 0
        with transaction.atomic():
            for model in apps.get_models():
                if not issubclass(model, Publishable):
                    continue
                for obj in model.objects.due_to_disappear(now):
                    self.record(
                        obj,
                        gettext_noop("Unpublished as scheduled."),
                        dry_run,
                        status=Status.DRAFT,
                        unpublish_at=None,
                    )
                    withdrawn += 1
                for obj in model.objects.due_to_appear(now):
                    self.record(
                        obj,
                        gettext_noop("Published as scheduled."),
                        dry_run,
                        publish_at=None,
                    )
                    appeared += 1
            changed = workflow.publish_due(now)
            if dry_run:
                transaction.set_rollback(True)
        prefix = "Dry run, nothing saved: " if dry_run else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"{prefix}{appeared} published and {withdrawn} unpublished "
                f"as scheduled; {changed} with scheduled changes published."
            )
        )

    def record(self, obj, comment, dry_run, **changes):
        self.stdout.write(f"{comment} {obj._meta.verbose_name}: {obj}")
        with reversion.create_revision():
            for name, value in changes.items():
                setattr(obj, name, value)
            obj.save(update_fields=list(changes))
            reversion.set_comment(comment)
