from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelationsConfig(AppConfig):
    name = "relations"
    verbose_name = _("Bilateral relations")

    def ready(self):
        # Connects the signals that make cached pages stale on any content change.
        from . import cache  # noqa: F401
