"""The ceiling the benchmark compares the site with: a minimal Django app,
Django's default middleware and one view returning a byte string as large as
the page measured, served by the same gunicorn command.

    BENCH_CEILING_BYTES=40000 gunicorn bench.ceiling:application
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

BODY = b"x" * int(os.environ.get("BENCH_CEILING_BYTES", "40000"))


def page(request):
    return HttpResponse(BODY)


settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-ceiling-only",
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.messages",
    ],
    # What `django-admin startproject` lists.
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    DATABASES={},
)
urlpatterns = [path("", page)]
application = get_wsgi_application()
