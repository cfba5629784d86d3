"""Security evidence: production settings pass `check --deploy`, every page type
carries the security headers, cookies are locked down, the admin can move."""

import re
import secrets

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import translation

from consulates.models import Office
from relations.models import Relationship
from tests.support.processes import fresh_process

PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "relations.example.gc.ca",
    "DJANGO_CSRF_TRUSTED_ORIGINS": "https://relations.example.gc.ca",
    "DJANGO_ADMIN_PATH": "gestion-7kq2",
}


def manage(*args, **env):
    """Run manage.py in a fresh process with only `env` configured."""
    return fresh_process("manage.py", *args, **env)


def test_production_settings_pass_check_deploy_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_asks_for_the_admin_to_move():
    default_admin = {**PRODUCTION, "DJANGO_ADMIN_PATH": ""}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **default_admin)
    assert result.returncode != 0
    assert "config.W001" in result.stderr


def test_the_admin_lives_under_the_configured_path():
    result = manage(
        "shell",
        "-c",
        "from django.urls import reverse; from django.utils import translation;"
        "translation.activate('fr'); print(reverse('admin:index'))",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "/fr/gestion-7kq2/"


@pytest.mark.parametrize("path", ["../admin", "a b", "admin?x=1", "<script>"])
def test_an_unsafe_admin_path_stops_start_up(path):
    result = manage("check", **{**PRODUCTION, "DJANGO_ADMIN_PATH": path})
    assert result.returncode != 0
    assert "DJANGO_ADMIN_PATH may hold only" in result.stderr


SCRIPT_SOURCES = re.compile(r"(?:^|;)\s*script-src\s+([^;]*)")


def assert_secure_headers(response):
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    script_src = SCRIPT_SOURCES.search(csp)[1].split()
    assert "'self'" in script_src
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = headers["Permissions-Policy"]
    for feature in ("camera", "geolocation", "microphone", "payment", "usb"):
        assert f"{feature}=()" in policy


def public_pages(language):
    """Each page type a visitor can reach, with the status it answers."""
    office = Office.objects.filter(status="published").first()
    with translation.override(language):
        yield reverse("relations:home"), 200
        yield Relationship.objects.get(country_code="US").get_absolute_url(), 200
        yield reverse("consulates:office_list"), 200
        yield reverse("consulates:office_list") + "?kind=nonsense", 400
        yield office.get_absolute_url(), 200
        yield reverse("relations:search") + "?q=trade", 200
        yield reverse("relations:search") + "?q=", 200
        yield reverse("feedback:report"), 405
        yield f"/{language}/no-such-page/", 404
    yield "/", 200
    yield "/robots.txt", 200
    yield "/sitemap.xml", 200
    yield "/api/offices.json", 200
    yield "/api/offices.csv", 200


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_public_page_type_carries_the_security_headers(client, demo, language):
    for path, status in public_pages(language):
        # The second request of each is answered by the page cache.
        for _ in range(2):
            response = client.get(path, secure=True)
            assert response.status_code == status, path
            assert_secure_headers(response)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_report_answers_carry_the_security_headers(client, demo, language):
    with translation.override(language):
        url = reverse("feedback:report")
    sent = client.post(
        url,
        {"page": "/en/relations/united-states/", "problems": ["broken"]},
        secure=True,
    )
    refused = client.post(url, {"page": "/en/relations/united-states/"}, secure=True)
    assert sent.status_code == 303
    assert refused.status_code == 400
    for response in (sent, refused):
        assert_secure_headers(response)


def test_admin_pages_carry_the_security_headers_and_locked_down_cookies(client, demo):
    User.objects.create_superuser("chief", "chief@example.ca", "a long passphrase")
    login = reverse("admin:login")
    form = client.get(login, secure=True)
    assert_secure_headers(form)
    csrf = form.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["secure"] and csrf["samesite"] == "Lax"

    signed_in = client.post(
        login,
        {"username": "chief", "password": "a long passphrase", "next": "/en/"},
        secure=True,
    )
    assert signed_in.status_code == 302
    session = signed_in.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"

    changelist = reverse("admin:relations_relationship_changelist")
    change = reverse("admin:relations_relationship_change", args=[demo.pk])
    for path in (reverse("admin:index"), changelist, change):
        response = client.get(path, secure=True)
        assert response.status_code == 200, path
        assert_secure_headers(response)


def test_public_pages_set_no_cookie(client, demo):
    for path, _status in public_pages("fr"):
        assert not client.get(path, secure=True).cookies, path
