from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RelationsConfig(AppConfig):
    name = "relations"
    verbose_name = _("Bilateral relations")

    def ready(self):
        # Connects the signals that make cached pages stale on any content change.
        from . import (
            cache,  # noqa: F401
            search,
        )

        # SQLite's search index follows every save and delete of what the
        # search finds (other apps' sources are watched as they register).
        for source in search.SOURCES:
            search.watch(source)
        post_migrate.connect(search.rebuild_after_migrate, sender=self)
