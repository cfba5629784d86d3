from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin.AdminSite"

    def ready(self):
        super().ready()
        from . import checks  # noqa: F401 - registers the deployment checks
