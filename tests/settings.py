"""The project's settings, changed only where tests need it."""

import os

# Settings refuse to start without a secret key when DEBUG is off, as tests run.
os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")

from config.settings import *  # noqa: E402, F403
from config.settings import STORAGES  # noqa: E402

# Tests do not run collectstatic, so there is no manifest to look names up in.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Full-strength password hashing only slows the admin tests down.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
# Tests do not run collectstatic: serve static files from the finders, as
# runserver does, so pages can be fetched with their assets.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Each test process gets its own cache, emptied before every test (conftest).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    # As in production: each process's copy of the public pages it served.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "pages",
    },
}
