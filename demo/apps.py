from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo content (`manage.py load_demo`): a page with its offices, so
    it depends on relations and consulates, which do not know of it."""

    name = "demo"
    verbose_name = _("Demo content")
