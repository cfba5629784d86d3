"""Deployment checks of this project's own settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def admin_path(app_configs, **kwargs):
    """The admin should not sit where every scanner looks first."""
    if settings.ADMIN_PATH != "admin":
        return []
    return [
        Warning(
            "The admin is at the default address /<language>/admin/.",
            hint="Set DJANGO_ADMIN_PATH to a path of your own, e.g. 'staff-7kq2'.",
            id="config.W001",
        )
    ]
