from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsulatesConfig(AppConfig):
    name = "consulates"
    verbose_name = _("Offices")

    def ready(self):
        # The site search finds offices too; relations does not know of them.
        from relations.search import register

        from .search import OFFICES

        register(OFFICES)
