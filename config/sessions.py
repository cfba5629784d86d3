"""Database sessions that ignore a cookie no session key can be.

A quoted cookie can spell any character ("\\000" is a NUL byte), and
PostgreSQL refuses a query that holds one: a 500 for any page that reads the
session. Such a cookie is treated as no session, without a query.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        # Django makes every key from these characters.
        return super()._validate_session_key(key) and set(key) <= set(VALID_KEY_CHARS)
