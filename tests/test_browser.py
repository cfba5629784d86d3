"""A visitor reports a problem in a real browser, with and without JavaScript."""

import pytest

from tests.support.processes import running_site, scalar

# The browser fixture (tests/conftest.py) skips these when Chromium is missing.
pytestmark = pytest.mark.slow

VISITORS = {
    "en": {
        "path": "/en/relations/united-states/",
        "disclosure": "Report a problem on this page",
        "problem": "Information is outdated or wrong",
        "comment": "Please provide more details (optional)",
        "submit": "Submit",
        "thanks": "Thank you for your help!",
        "error": "Select at least one problem.",
        "left": "290 characters left",
        "typed": "Write to jane@example.ca",
        "stored": "Write to [email]",
    },
    "fr": {
        "path": "/fr/relations/etats-unis/",
        "disclosure": "Signaler un problème ou une erreur sur cette page",
        "problem": "L’information n’est plus à jour ou est erronée",
        "comment": "Veuillez fournir plus de détails (facultatif)",
        "submit": "Soumettre",
        "thanks": "Merci de votre aide!",
        "error": "Sélectionnez au moins un problème.",
        "left": "Il reste 290 caractères",
        "typed": "Écrivez à jean@exemple.ca",
        "stored": "Écrivez à [courriel]",
    },
}


@pytest.fixture(scope="module")
def site():
    # Rate limits have tests of their own; here every report must get through.
    with running_site(workers=2, DJANGO_FEEDBACK_RATE_LIMITS="1000/m") as site:
        yield site


def latest_report(site):
    return scalar(
        site.database_url,
        "SELECT page || ' ' || language || ' ' || comment "
        "|| ' ' || CAST(problem_outdated AS VARCHAR) "
        "FROM feedback_problemreport ORDER BY id DESC LIMIT 1",
    )


def open_form(page, site, words):
    page.goto(site.url + words["path"])
    page.get_by_text(words["disclosure"], exact=True).click()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no script"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_visitor_reports_a_problem(browser, site, language, javascript):
    words = VISITORS[language]
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    open_form(page, site, words)
    before = site.count("feedback_problemreport")
    page.get_by_label(words["problem"], exact=True).check()
    page.get_by_label(words["comment"]).fill(words["typed"])
    if javascript:
        page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name=words["submit"]).click()

    thanks = page.get_by_text(words["thanks"])
    thanks.wait_for()
    if javascript:
        assert page.evaluate("window.notReloaded") is True
        assert page.url == site.url + words["path"]
    else:
        assert page.url == (
            f"{site.url}{words['path']}?feedback=sent#report-problem-thanks"
        )
    focused = page.evaluate("document.activeElement.className")
    assert focused == "report-problem-thanks"
    context.close()

    assert site.count("feedback_problemreport") == before + 1
    stored = latest_report(site)
    assert stored.startswith(f"{words['path']} {language} {words['stored']} ")
    assert stored.endswith(("1", "true"))


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no script"])
@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_empty_report_shows_the_error_summary(browser, site, language, javascript):
    words = VISITORS[language]
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    open_form(page, site, words)
    before = site.count("feedback_problemreport")
    page.get_by_role("button", name=words["submit"]).click()
    page.locator("#report-problem-errors").wait_for()
    assert page.evaluate("document.activeElement.id") == "report-problem-errors"
    assert words["error"] in page.locator("#report-problem-errors").inner_text()
    assert page.evaluate("document.documentElement.lang") == language
    context.close()
    assert site.count("feedback_problemreport") == before


@pytest.mark.parametrize("language", ["en", "fr"])
def test_characters_left_are_counted_as_the_visitor_types(browser, site, language):
    words = VISITORS[language]
    page = browser.new_page()
    open_form(page, site, words)
    page.get_by_label(words["comment"]).fill("x" * 10)
    assert page.locator("[data-char-count]").inner_text() == words["left"]
    page.close()
