"""A publisher writes a page in both languages in a real browser; the
official-languages gate stops it until the French is there."""

import os
import subprocess
import sys

import pytest

from tests.support.processes import running_site

# The browser fixture (tests/conftest.py) skips these when Chromium is missing.
pytestmark = pytest.mark.slow

PASSWORD = "Correct-Horse-Battery-42"

SETUP = f"""
from django.contrib.auth.models import Group, User
from relations.models import Relationship, Topic

user = User.objects.create_user("pat", password="{PASSWORD}", is_staff=True)
user.groups.add(Group.objects.get(name="Publisher"))
page = Relationship.objects.create(
    country_code="MX",
    partner_name_en="Mexico", partner_name_fr="Mexique",
    partner_name_with_article_en="Mexico", partner_name_with_article_fr="le Mexique",
    title_en="Canada-Mexico relations", title_fr="Relations Canada-Mexique",
    slug_en="mexico", slug_fr="mexique",
    summary_en="Canada and Mexico.", summary_fr="Le Canada et le Mexique.",
)
Topic.objects.create(
    relationship=page, sort_order=1,
    title_en="Trade", title_fr="Commerce", anchor_en="trade", anchor_fr="commerce",
)
print(page.pk)
"""


@pytest.fixture(scope="module")
def site():
    with running_site(workers=1) as site:
        # The site's own settings (and password hasher), not the tests' ones.
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


def write(page, textarea_id, text):
    """Type into the rich-text editor that replaced a textarea, on its tab."""
    panel = page.evaluate(
        f"document.getElementById('{textarea_id}').closest('[id^=tab_]').id"
    )
    page.click(f'[role=tab][aria-controls="{panel}"]')
    editor = page.locator(f"#{panel} [contenteditable=true]")
    editor.click()
    editor.press_sequentially(text)


def submit(page, selector):
    """Click a button that sends the form; wait for the page that answers."""
    with page.expect_navigation():
        page.click(selector)


def sign_in(page, url, language):
    """Sign the publisher in on the admin's login page in `language`."""
    page.goto(f"{url}/{language}/admin/login/")
    page.fill("#id_username", "pat")
    page.fill("#id_password", PASSWORD)
    submit(page, "input[type=submit]")


def publish(page):
    """Follow the form's Publish link and confirm."""
    page.click(".object-tools a:text-is('Publish'), .object-tools a:text-is('Publier')")
    submit(page, "#confirm-form input[type=submit]")


def test_publisher_writes_both_languages_and_publishes(site, browser):
    url = site.url
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, url, "en")
    change = f"{url}/en/admin/relations/relationship/{site.page_id}/change/"
    page.goto(change)

    write(page, "id_topics-0-body_en", "Canada and Mexico trade every day.")
    submit(page, 'input[name="_continue"]')
    assert page.locator(".messagelist .success").count() == 1

    publish(page)
    refusal = page.locator(".errornote").inner_text()
    assert "was not published" in refusal
    assert "missing in French" in refusal and "body" in refusal
    assert context.request.get(f"{url}/fr/relations/mexique/").status == 404

    page.goto(change)
    write(
        page, "id_topics-0-body_fr", "Le Canada et le Mexique commercent chaque jour."
    )
    submit(page, 'input[name="_continue"]')
    publish(page)
    assert "Published." in page.locator(".messagelist").inner_text()

    visitor = browser.new_context().new_page()
    visitor.goto(f"{url}/fr/relations/mexique/")
    assert visitor.locator("h1").inner_text() == "Relations Canada-Mexique"
    section = visitor.locator("section#commerce, section:has(h2#commerce)")
    assert "Le Canada et le Mexique commercent chaque jour." in section.inner_text()
    assert visitor.locator("html").get_attribute("lang") == "fr"
    context.close()


def test_a_link_to_a_french_only_page_is_labelled(site, browser):
    """In the French admin: the link dialog, in French, with the language choice;
    no Content-Security-Policy violation; the English page says "(French only)"."""
    context = browser.new_context()
    page = context.new_page()
    refused = []
    page.on(
        "console",
        lambda message: message.type == "error" and refused.append(message.text),
    )
    sign_in(page, site.url, "fr")
    page.goto(f"{site.url}/fr/admin/relations/relationship/{site.page_id}/change/")

    write(page, "id_topics-0-body_en", "Read the guide")
    editor = page.locator("#id_topics-0-body_en").locator("xpath=..")
    page.keyboard.press("Control+A")
    panel = page.evaluate(
        "document.getElementById('id_topics-0-body_en').closest('[id^=tab_]').id"
    )
    page.locator(f"#{panel} button:text-is('insert_link')").click()
    dialog = page.locator("dialog[open]")
    assert dialog.locator("h3").inner_text() == "Lien"
    dialog.get_by_label("Adresse (URL)").fill("https://www.international.gc.ca/fr/")
    dialog.get_by_label("Langue de la page liée").select_option(
        label="En français seulement"
    )
    assert dialog.locator("button[value=cancel]").inner_text() == "Annuler"
    dialog.locator("button[type=submit]").click()
    assert editor.locator("a[hreflang=fr]").count() == 1
    write(page, "id_topics-0-body_fr", "Lisez le guide.")
    submit(page, 'input[name="_continue"]')
    assert page.locator(".messagelist .success").count() == 1
    # Saving publishes a live page (the test above publishes it); else publish.
    if page.locator(".object-tools a:text-is('Publier')").count():
        publish(page)

    visitor = browser.new_context().new_page()
    visitor.goto(f"{site.url}/en/relations/mexico/")
    link = visitor.locator('main a[href="https://www.international.gc.ca/fr/"]')
    assert link.get_attribute("lang") == "fr"
    assert link.get_attribute("hreflang") == "fr"
    assert "(French only)" in link.locator("xpath=..").inner_text()
    assert not [text for text in refused if "Content Security Policy" in text]
    context.close()


@pytest.mark.parametrize(
    ("language", "other", "marked"),
    [("en", "fr", "(contains an error)"), ("fr", "en", "(contient une erreur)")],
)
def test_an_error_on_the_tab_not_showing_is_marked_and_listed(
    site, browser, language, other, marked
):
    context = browser.new_context()
    page = context.new_page()
    sign_in(page, site.url, language)
    change = (
        f"{site.url}/{language}/admin/relations/relationship/{site.page_id}/change/"
    )
    page.goto(change)
    field = f"id_slug_{other}"
    slug = page.locator(f"#{field}")
    panel = slug.evaluate("field => field.closest('[id^=tab_]').id")
    page.click(f'[role=tab][aria-controls="{panel}"]')
    slug.fill("not a slug!")
    submit(page, 'input[name="_continue"]')

    # The form comes back on the admin language's tabs; the other holds the error.
    assert not slug.is_visible()
    tab = page.locator(f'[role=tab][aria-controls="{panel}"]')
    assert tab.text_content().strip().endswith(marked)
    assert "has-errors" in tab.get_attribute("class")
    page.locator(f'.error-summary a[href="#{field}"]').click()
    assert slug.is_visible()
    assert slug.evaluate("field => field === document.activeElement")
    context.close()
