"""The load balancer's probes: /healthz (alive) and /readyz (can serve)."""

from unittest import mock

import pytest
from django.db import OperationalError


def test_liveness_answers_without_touching_anything(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"


def test_readiness_answers_when_database_and_cache_do(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_readiness_fails_when_the_database_does_not_answer(client, db):
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable: database\n"


def test_readiness_fails_when_the_cache_does_not_answer(client, db):
    with mock.patch("config.health.cache.set", side_effect=ConnectionError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable: cache\n"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_are_not_redirected_nor_refused_for_their_host(
    client, db, settings, path
):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(path, HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200
