from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from feedback.models import ProblemReport

Status = ProblemReport.Status


class Command(BaseCommand):
    help = (
        "Delete resolved and spam problem reports older than a number of days "
        "(retention). New and in-progress reports are kept whatever their age."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            required=True,
            metavar="DAYS",
            help="Delete reports received more than DAYS days ago.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be deleted, and delete nothing.",
        )

    def handle(self, *args, older_than, dry_run, **options):
        if older_than < 0:
            raise CommandError("--older-than must be 0 or more days.")
        cutoff = timezone.now() - timedelta(days=older_than)
        old = ProblemReport.objects.filter(
            created_at__lt=cutoff, status__in=[Status.RESOLVED, Status.SPAM]
        )
        by_status = dict(
            old.values_list("status").annotate(count=Count("pk")).order_by()
        )
        total = sum(by_status.values())
        if not dry_run:
            old.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(
            f"{verb} {total} reports older than {older_than} days "
            f"({by_status.get(Status.RESOLVED, 0)} resolved, "
            f"{by_status.get(Status.SPAM, 0)} spam)."
        )
