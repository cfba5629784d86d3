"""Both languages, always: the French catalogue is complete and compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def test_catalogue_has_no_untranslated_or_fuzzy_entries():
    catalogue = polib.pofile(str(CATALOGUE))
    assert not catalogue.metadata_is_fuzzy
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert [e.msgid for e in catalogue.obsolete_entries()] == []


def test_a_known_french_string_resolves():
    with translation.override("fr"):
        assert translation.gettext("Skip to main content") == (
            "Passer au contenu principal"
        )
        assert (
            translation.npgettext(
                "offices sentence", "a consulate general", "consulates general", 2
            )
            == "des consulats généraux"
        )


@pytest.mark.skipif(
    shutil.which("xgettext") is None,
    reason="extracting strings needs GNU gettext's xgettext: apt-get install gettext "
    "(CI installs it, so this always runs there)",
)
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings afresh: a string added without French fails here."""
    base = Path(settings.BASE_DIR)
    own_apps = [
        Path(app.path).name
        for app in apps.get_app_configs()
        if Path(app.path).parent == base
    ]
    for name in ("config", "templates", "locale", *own_apps):
        shutil.copytree(
            base / name, tmp_path / name, ignore=shutil.ignore_patterns("*.mo")
        )
    shutil.copy(base / "manage.py", tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "fr",
            "--no-obsolete",
        ],
        cwd=tmp_path,
        env={
            **os.environ,
            "DJANGO_DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh.untranslated_entries() + fresh.fuzzy_entries()]
    assert missing == []
