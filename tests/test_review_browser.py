"""The whole review loop in a real browser: an Editor changes a live page in
both languages and submits it; a Publisher reviews it side by side and sends it
back with a comment; the Editor fixes it and submits again; the Publisher
publishes; a visitor sees both languages and the new Date modified; History
lists it and compares it with the revision before."""

import os
import subprocess
import sys

import pytest
from django.utils import timezone

from tests.support.processes import running_site

pytestmark = pytest.mark.slow

PASSWORD = "Correct-Horse-Battery-42"

SETUP = f"""
import datetime
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from relations.models import Relationship

for name, group in [("edith", "Editor"), ("paula", "Publisher")]:
    user = User.objects.create_user(
        name, f"{{name}}@example.gc.ca", "{PASSWORD}", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group))
call_command("load_demo")
page = Relationship.objects.get(country_code="US")
Relationship.objects.filter(pk=page.pk).update(
    content_modified_at=datetime.datetime(2020, 1, 2, tzinfo=datetime.UTC)
)
print(page.pk)
"""


@pytest.fixture(scope="module")
def site():
    with running_site(workers=1) as site:
        environment = {
            **os.environ,
            "DATABASE_URL": site.database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_DEBUG": "1",
        }
        result = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SETUP],
            env=environment,
            check=True,
            capture_output=True,
            text=True,
        )
        site.page_id = result.stdout.strip().splitlines()[-1]
        yield site


def go(page, selector):
    with page.expect_navigation():
        page.click(selector)


def signed_in(browser, site, name):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site.url}/en/admin/login/")
    page.fill("#id_username", name)
    page.fill("#id_password", PASSWORD)
    go(page, "input[type=submit]")
    return context, page


def fill_on_tab(page, field_id, text):
    """Fill a plain field that sits on a language tab."""
    panel = page.evaluate(
        f"document.getElementById('{field_id}').closest('[id^=tab_]').id"
    )
    page.click(f'[role=tab][aria-controls="{panel}"]')
    page.fill(f"#{field_id}", text)


def test_the_review_loop(site, browser):
    change = f"{site.url}/en/admin/relations/relationship/{site.page_id}/change/"

    # The Editor changes the summary in both languages and submits it.
    editor_context, editor = signed_in(browser, site, "edith")
    editor.goto(change)
    fill_on_tab(editor, "id_summary_en", "Partners in trade, security and climate.")
    fill_on_tab(editor, "id_summary_fr", "Partenaires en commerce, sécurité et climat")
    go(editor, 'input[name="_submit"]')
    editor.fill("#id_comment", "New summary, please check.")
    go(editor, "#submit-form input[type=submit]")
    assert "submitted for review" in editor.locator(".messagelist").inner_text()

    # The Publisher finds it awaiting review, reads it side by side, sends it back.
    publisher_context, publisher = signed_in(browser, site, "paula")
    waiting = publisher.locator("#awaiting-review")
    assert "Canada-United States relations" in waiting.inner_text()
    go(publisher, "#awaiting-review a")
    assert "New summary, please check." in publisher.locator("main").inner_text()
    added = publisher.locator("table.revision-changes ins").all_inner_texts()
    assert any("climate" in text for text in added)
    side_by_side = publisher.locator("table.compare-languages").first
    assert "Partners in trade" in side_by_side.inner_text()
    assert "Partenaires en commerce" in side_by_side.inner_text()
    publisher.fill("#id_comment", "The French summary needs its final period.")
    go(publisher, 'input[name="_send_back"]')
    assert "sent back" in publisher.locator(".messagelist").inner_text()

    # The Editor sees why, fixes it and submits again.
    editor.goto(change)
    assert "needs its final period" in editor.locator(".draft-change").inner_text()
    fill_on_tab(editor, "id_summary_fr", "Partenaires en commerce, sécurité et climat.")
    go(editor, 'input[name="_submit"]')
    go(editor, "#submit-form input[type=submit]")

    # The Publisher publishes.
    publisher.goto(f"{site.url}/en/admin/")
    go(publisher, "#awaiting-review a")
    go(publisher, 'input[name="_publish"]')
    assert "published" in publisher.locator(".messagelist").inner_text()

    # A visitor sees both languages, and today's Date modified.
    visitor = browser.new_context().new_page()
    today = timezone.localdate().isoformat()
    for path, text in [
        ("/en/relations/united-states/", "Partners in trade, security and climate."),
        ("/fr/relations/etats-unis/", "Partenaires en commerce, sécurité et climat."),
    ]:
        visitor.goto(site.url + path)
        assert text in visitor.locator("head").inner_html()
        assert today in visitor.locator("time").last.get_attribute("datetime")

    # History lists it and compares it with the revision before.
    publisher.goto(change.replace("/change/", "/history/"))
    assert "Published." in publisher.locator("#change-history").inner_text()
    go(publisher, "#change-history tbody tr >> nth=0 >> a:text-is('What changed')")
    changed = publisher.locator("table.revision-changes").first.inner_text()
    assert "Summary (English)" in changed and "climate" in changed
    editor_context.close()
    publisher_context.close()
