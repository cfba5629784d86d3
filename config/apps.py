from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "config.admin.AdminSite"

    def ready(self):
        super().ready()
        from django.contrib import admin
        from django.contrib.auth.models import User

        from . import checks  # noqa: F401 - registers the deployment checks
        from .users import UserAdmin

        # After autodiscovery, which registered Django's own UserAdmin.
        admin.site.unregister(User)
        admin.site.register(User, UserAdmin)
