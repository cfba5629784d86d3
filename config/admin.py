from django.contrib import admin
from django.views.i18n import JavaScriptCatalog


class AdminSite(admin.AdminSite):
    """The admin, with the rich-text editor's interface text in its catalogue."""

    def i18n_javascript(self, request, extra_context=None):
        packages = ["django.contrib.admin", "django_prose_editor"]
        return JavaScriptCatalog.as_view(packages=packages)(request)
