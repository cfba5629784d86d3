"""The project is configured as documented: checks pass, migrations are complete."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from tests.support.processes import fresh_process


def test_system_checks_pass(db):
    # db: JSONField's check asks the database whether it supports JSON.
    call_command("check", fail_level="WARNING")


def test_no_model_change_lacks_a_migration(db):
    call_command("makemigrations", check=True, dry_run=True, verbosity=0)


def run_settings(**env):
    """Import the settings in a fresh process with only `env` configured."""
    return fresh_process("-c", "import config.settings as s; print(s.DEBUG)", **env)


def test_start_up_stops_without_a_secret_key_when_debug_is_off():
    result = run_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert run_settings(DJANGO_SECRET_KEY="x" * 50).stdout.strip() == "False"
    assert run_settings(DJANGO_DEBUG="1").stdout.strip() == "True"


def test_modeltranslation_is_installed_before_the_admin():
    apps = settings.INSTALLED_APPS
    assert apps.index("modeltranslation") < apps.index("config.apps.AdminConfig")


def test_compose_puts_the_buffering_proxy_in_front_of_the_app():
    compose = (Path(__file__).parents[1] / "compose.yaml").read_text()
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in compose
    assert '"127.0.0.1:8000:8080"' in compose
    # The app itself is reached only through the proxy.
    assert "8000:8000" not in compose
