"""Canada.ca's look in a real browser: where the toggle sits, the primary
button, form controls, names that do not break at a hyphen, and print."""

import pytest

from tests.support.processes import running_site

# The browser fixture (tests/conftest.py) skips these when Chromium is missing.
pytestmark = pytest.mark.slow

GCWEB_PRIMARY_HOVER = "rgb(28, 87, 138)"


@pytest.fixture(scope="module")
def site():
    with running_site(workers=2) as site:
        yield site


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


def box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("width", [1280, 320])
@pytest.mark.parametrize("path", ["/en/", "/fr/bureaux/"])
def test_the_language_toggle_is_at_the_top_right(site, page, width, path):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(site.url + path)
    toggle = box(page, "#wb-lng a")
    search = box(page, "#wb-srch")
    signature = box(page, ".brand img")
    band = box(page, ".header-band")
    # Above the signature and the search box, against the band's right edge.
    assert toggle["y"] + toggle["height"] <= signature["y"]
    assert toggle["y"] + toggle["height"] <= search["y"]
    padding = 16
    assert band["x"] + band["width"] - (toggle["x"] + toggle["width"]) <= padding


def background_on_hover(page, selector):
    page.hover(selector)
    # Past the transition, if any.
    page.wait_for_timeout(50)
    return page.eval_on_selector(
        selector, "element => getComputedStyle(element).backgroundColor"
    )


@pytest.mark.parametrize(
    ("path", "button"),
    [
        ("/en/", "#wb-srch-sub"),
        ("/en/offices/", ".office-filters button"),
        ("/en/search/", ".search-page-row button"),
    ],
)
def test_the_primary_button_turns_blue_on_hover(site, page, path, button):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site.url + path)
    assert background_on_hover(page, button) == GCWEB_PRIMARY_HOVER


def test_the_report_buttons_submit_turns_blue_on_hover(site, page):
    page.goto(site.url + "/en/relations/united-states/")
    page.get_by_text("Report a problem on this page", exact=True).click()
    assert background_on_hover(page, ".report-problem .btn-primary") == (
        GCWEB_PRIMARY_HOVER
    )


def test_the_directorys_selects_are_styled_form_controls(site, page):
    page.goto(site.url + "/fr/bureaux/")
    style = page.eval_on_selector(
        "#id_country",
        """element => {
            const s = getComputedStyle(element);
            return {appearance: s.appearance, radius: s.borderTopLeftRadius,
                    font: s.fontFamily, background: s.backgroundColor,
                    image: s.backgroundImage};
        }""",
    )
    assert style["appearance"] == "none"
    assert style["radius"] == "4px"
    assert "Noto Sans" in style["font"]
    assert style["background"] == "rgb(255, 255, 255)"
    assert "select-arrow" in style["image"]


@pytest.mark.parametrize(
    "path",
    ["/fr/relations/etats-unis/", "/fr/", "/fr/bureaux/?country=US"],
)
def test_etats_unis_does_not_break_at_its_hyphen_at_320_pixels(site, page, path):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(site.url + path)
    names = page.locator(".text-nowrap", has_text="États-Unis")
    assert names.count() > 0
    for index in range(names.count()):
        lines = names.nth(index).evaluate("element => element.getClientRects().length")
        assert lines == 1


def test_printing_keeps_the_signature_the_date_and_where_links_lead(site, page):
    page.goto(site.url + "/en/offices/embassy-of-canada-to-the-united-states/")
    page.emulate_media(media="print")
    assert page.locator(".brand img").is_visible()
    assert page.locator("#wb-dtmd").is_visible()
    for hidden in ("#wb-srch", "#wb-lng", ".report-problem", "footer"):
        assert not page.locator(hidden).first.is_visible(), hidden
    after = page.eval_on_selector(
        "main .office-details a[href^='https']",
        "element => getComputedStyle(element, '::after').content",
    )
    assert "https://www.international.gc.ca/country-pays/us-eu/" in after


def test_an_answer_with_errors_reloaded_without_javascript_leads_back(site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/fr/relations/etats-unis/")
    page.get_by_text("Signaler un problème ou une erreur sur cette page").click()
    page.get_by_role("button", name="Soumettre").click()
    page.get_by_text("Sélectionnez au moins un problème.").first.wait_for()
    assert "/fr/signaler-un-probleme/?page=" in page.url
    # From the address bar: the page again, its form there.
    response = page.goto(page.url.split("#")[0])
    assert response.status == 200
    assert page.url == site.url + "/fr/relations/etats-unis/#report-problem"
    context.close()
