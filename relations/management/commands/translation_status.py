"""List the missing and out-of-date translations, one line per field and
language: the whole site's, or one relationship page's and everything it
shows (areas of action, agreements, organizations, offices)."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from publishing import currency
from relations.models import Relationship


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument(
            "country_code", nargs="?", help="A relationship's ISO code, e.g. US."
        )

    def handle(self, country_code=None, **options):
        if country_code:
            page = Relationship.objects.filter(
                country_code=country_code.strip().upper()
            ).first()
            if page is None:
                raise CommandError(f"No relationship has the code {country_code!r}.")
            objects = page.shown_objects()
        else:
            objects = [
                obj
                for model in apps.get_models()
                if currency.translated_fields(model)
                for obj in model.objects.order_by("pk")
            ]
        counts = {currency.MISSING: 0, currency.OUT_OF_DATE: 0}
        for obj, field, language, found, row in currency.problems(objects):
            counts[found] += 1
            since = currency.since(found, row)
            when = "-" if since is None else since.isoformat(timespec="minutes")
            state = "missing" if found == currency.MISSING else "out of date"
            self.stdout.write(
                f"{obj._meta.label} {obj.pk} “{obj.display_name()}”: {field} "
                f"[{language}] {state}, since {when}"
            )
        self.stdout.write(
            f"{counts[currency.MISSING]} missing, "
            f"{counts[currency.OUT_OF_DATE]} out of date"
        )
