"""Export a relationship page and everything it shows as XLIFF for
translators: XLIFF 2.0, or 1.2 for older tools (publishing.xliff)."""

import sys

from django.core.management.base import BaseCommand, CommandError

from publishing import xliff
from relations.models import Relationship


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument(
            "country_code", help="The relationship's ISO code, e.g. US."
        )
        parser.add_argument(
            "--changed-only",
            action="store_true",
            help="Only the texts missing or out of date in the target language.",
        )
        parser.add_argument("--xliff-version", choices=xliff.VERSIONS, default="2.0")
        parser.add_argument(
            "--source", choices=["en", "fr"], default="en", help="The source language."
        )
        parser.add_argument("-o", "--output", help="The file to write; - for stdout.")

    def handle(self, country_code, **options):
        page = Relationship.objects.filter(
            country_code=country_code.strip().upper()
        ).first()
        if page is None:
            raise CommandError(f"No relationship has the code {country_code!r}.")
        data = xliff.export(
            page,
            source=options["source"],
            version=options["xliff_version"],
            changed_only=options["changed_only"],
        )
        output = options["output"] or "-"
        if output == "-":
            sys.stdout.buffer.write(data)
            return
        with open(output, "wb") as file:
            file.write(data)
        self.stderr.write(f"Wrote {output} ({len(data):,} bytes).")
