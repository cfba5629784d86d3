from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS
from django.utils.translation import gettext as _

from relations.search import indexed, rebuild_index


class Command(BaseCommand):
    help = _(
        "Write everything the site search finds to SQLite's search index afresh "
        "(after bulk_create or QuerySet.update, which do not update it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        if not indexed(database):
            self.stdout.write(
                _("PostgreSQL keeps its own search index: nothing to rebuild.")
            )
            return
        count = rebuild_index(database)
        self.stdout.write(_("%(count)d objects indexed.") % {"count": count})
