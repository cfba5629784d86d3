"""WCAG 2.1 AA in a real browser: axe-core on every page type in both languages,
keyboard-only use of the report form, reflow at 320 px and text at 200 %."""

import os
from pathlib import Path

import pytest

from tests.support.processes import running_site

pytestmark = pytest.mark.slow

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "Correct-Horse-Battery-42"

SETUP = f"""
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from publishing import drafts, workflow
from relations.models import Relationship

ada = User.objects.create_superuser("ada", password="{PASSWORD}")
page = Relationship.objects.get(country_code="US")
# Draft changes submitted for review, with a comment: the review loop's pages.
values = drafts.current(page)
values["fields"]["summary_en"] = "Partners in trade, security and climate."
workflow.save_draft(page, ada, values, page.version)
page.refresh_from_db()
workflow.submit(page, ada, page.version, "Please check the new summary.")
# An area of action whose English changed live: its French is out of date.
topic = page.topics.order_by("sort_order")[0]
topic.body_en = topic.body_en.replace("unique", "singular")
topic.save()
print(page.pk, ContentType.objects.get_for_model(topic).pk, topic.pk)
"""

WORDS = {
    "en": {
        "relations": "/en/relations/united-states/",
        "disclosure": "Report a problem on this page",
        "problem": "Information is outdated or wrong",
        "submit": "Submit",
        "thanks": "Thank you for your help!",
        "skip": "Skip to main content",
        "toggle": "Français",
    },
    "fr": {
        "relations": "/fr/relations/etats-unis/",
        "disclosure": "Signaler un problème ou une erreur sur cette page",
        "problem": "L’information n’est plus à jour ou est erronée",
        "submit": "Soumettre",
        "thanks": "Merci de votre aide!",
        "skip": "Passer au contenu principal",
        "toggle": "English",
    },
}

# The splash page is one bilingual page: "fr" is a visitor whose browser asks
# for French (the context's locale), which must not change what they get.
PUBLIC = {
    "splash": {"en": "/", "fr": "/"},
    "home": {"en": "/en/", "fr": "/fr/"},
    "home-by-region": {"en": "/en/?by=region", "fr": "/fr/?by=region"},
    "relations": {"en": WORDS["en"]["relations"], "fr": WORDS["fr"]["relations"]},
    "offices": {"en": "/en/offices/", "fr": "/fr/bureaux/"},
    "offices-by-country": {
        "en": "/en/offices/?country=US",
        "fr": "/fr/bureaux/?country=US",
    },
    "office": {
        "en": "/en/offices/embassy-of-canada-to-the-united-states/",
        "fr": "/fr/bureaux/ambassade-du-canada-aux-etats-unis/",
    },
    "search": {"en": "/en/search/?q=trade", "fr": "/fr/recherche/?q=commerce"},
    "search-no-results": {
        "en": "/en/search/?q=zzyzxqv",
        "fr": "/fr/recherche/?q=zzyzxqv",
    },
    "not-found": {"en": "/en/no-such-page/", "fr": "/fr/aucune-page/"},
}
REPORT_STATES = ["report-open", "report-errors", "report-thanks"]
ADMIN = {
    "admin-login": "/{language}/admin/login/",
    "admin-home": "/{language}/admin/",
    "admin-changelist": "/{language}/admin/relations/relationship/",
    "admin-change": "/{language}/admin/relations/relationship/{pk}/change/",
    "admin-review": "/{language}/admin/relations/relationship/{pk}/review/",
    "admin-submit": "/{language}/admin/relations/relationship/{pk}/submit/",
    "admin-archive": "/{language}/admin/relations/relationship/{pk}/archive/",
    "admin-history": "/{language}/admin/relations/relationship/{pk}/history/",
    "admin-compare-languages": (
        "/{language}/admin/relations/relationship/{pk}/compare-languages/"
    ),
    "admin-official-languages": "/{language}/admin/official-languages/",
    "admin-translate": "/{language}/admin/relations/relationship/{pk}/translate/",
    "admin-xliff": "/{language}/admin/relations/relationship/{pk}/xliff/",
    "admin-still-accurate": (
        "/{language}/admin/relations/relationship/{pk}/still-accurate/"
        "?content_type={topic_type}&object_id={topic}&field=body&language=fr"
    ),
}
LANGUAGES = ["en", "fr"]


def admin_path(site, name, language):
    return ADMIN[name].format(
        language=language,
        pk=site.relationship_pk,
        topic_type=site.topic_type,
        topic=site.topic,
    )


def each(names):
    return [
        pytest.param(name, language, id=f"{name}-{language}")
        for name in names
        for language in LANGUAGES
    ]


@pytest.fixture(scope="module")
def site():
    # Rate limits have tests of their own; here every report must get through.
    with running_site(workers=2, DJANGO_FEEDBACK_RATE_LIMITS="1000/m") as site:
        made = site.manage("shell", "-c", SETUP).split()[-3:]
        site.relationship_pk, site.topic_type, site.topic = made
        yield site


@pytest.fixture(scope="module")
def signed_in(browser, site):
    """The storage state of an editor signed in to the admin."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{site.url}/en/admin/login/")
    page.fill("#id_username", "ada")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="module")
def axe_results(request, tmp_path_factory):
    """Collect (page, language, rules broken, elements); print a table at the end."""
    results = []
    yield results
    lines = [f"{'page':<20} {'language':<9} {'violations':<11} elements"]
    lines += [
        f"{page:<20} {language:<9} {rules:<11} {elements}"
        for page, language, rules, elements in results
    ]
    summary = tmp_path_factory.mktemp("axe") / "summary.txt"
    summary.write_text("\n".join(lines) + "\n")
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture:
        # A module fixture's teardown is captured like a test's: let the table out.
        with capture.global_and_fixture_disabled():
            reporter.write("\n")
            reporter.write_line(f"axe-core {WCAG_21_AA} results, also in {summary}:")
            for line in lines:
                reporter.write_line(line)


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    if directory := os.environ.get("SCREENSHOT_DIR"):
        path = Path(directory)
        path.mkdir(parents=True, exist_ok=True)
        return path
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def context(browser):
    """Make browser contexts in a language; close them after the test."""
    contexts = []

    def make(language, **options):
        made = browser.new_context(locale=f"{language}-CA", **options)
        contexts.append(made)
        return made

    yield make
    for made in contexts:
        made.close()


def run_axe(page):
    """Run axe-core's WCAG 2.1 A and AA rules on the page; return the violations."""
    # page.evaluate goes through the DevTools protocol, which the page's CSP
    # (script-src 'self' 'nonce-…') does not govern, so axe runs without
    # bypass_csp=True: the page is audited under the policy visitors get.
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    page.evaluate("document.fonts.ready.then(() => true)")
    return page.evaluate(
        """(tags) => axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations'],
        }).then((results) => results.violations.map((violation) => ({
            id: violation.id,
            impact: violation.impact,
            help: violation.help,
            targets: violation.nodes.map((node) => node.target.join(' ')),
        })))""",
        WCAG_21_AA,
    )


def readable(violations):
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["targets"])
        for v in violations
    )


def open_report_form(page, language, state):
    words = WORDS[language]
    page.get_by_text(words["disclosure"], exact=True).click()
    if state == "report-errors":
        page.get_by_role("button", name=words["submit"]).click()
        page.locator("#report-problem-errors").wait_for()
    elif state == "report-thanks":
        page.get_by_label(words["problem"], exact=True).check()
        page.get_by_role("button", name=words["submit"]).click()
        page.get_by_text(words["thanks"]).wait_for()


def check(page, name, language, axe_results):
    violations = run_axe(page)
    elements = sum(len(violation["targets"]) for violation in violations)
    axe_results.append((name, language, len(violations), elements))
    assert not violations, f"{page.url}\n{readable(violations)}"


@pytest.mark.parametrize(("name", "language"), each(PUBLIC))
def test_public_page_meets_wcag_21_aa(site, context, axe_results, name, language):
    page = context(language).new_page()
    page.goto(site.url + PUBLIC[name][language])
    check(page, name, language, axe_results)


@pytest.mark.parametrize(("name", "language"), each(REPORT_STATES))
def test_report_form_meets_wcag_21_aa(site, context, axe_results, name, language):
    page = context(language).new_page()
    page.goto(site.url + WORDS[language]["relations"])
    open_report_form(page, language, name)
    check(page, name, language, axe_results)


@pytest.mark.parametrize(("name", "language"), each(ADMIN))
def test_admin_page_meets_wcag_21_aa(
    site, context, signed_in, axe_results, name, language
):
    state = None if name == "admin-login" else signed_in
    page = context(language, storage_state=state).new_page()
    path = admin_path(site, name, language)
    page.goto(site.url + path)
    assert page.evaluate("document.documentElement.lang") == language
    check(page, name, language, axe_results)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_refused_admin_form_meets_wcag_21_aa(
    site, context, signed_in, axe_results, language
):
    """The error summary and the marked language tab, after a refused save."""
    page = context(language, storage_state=signed_in).new_page()
    path = admin_path(site, "admin-change", language)
    page.goto(site.url + path)
    other = "fr" if language == "en" else "en"
    page.evaluate(f"document.getElementById('id_slug_{other}').value = 'not a slug!'")
    with page.expect_navigation():
        page.click('input[name="_continue"]')
    assert page.locator(".error-summary a").count() == 1
    assert page.locator(".ui-tabs-nav .has-errors").count() == 1
    check(page, "admin-change-errors", language, axe_results)


SWITCH = {"en": "Language of the fields shown", "fr": "Langue des champs affichés"}
BOLD_AND_LINK = {"en": ["Bold", "Insert link"], "fr": ["Gras", "Insérer un lien"]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translation_widgets_are_named_and_work(site, context, signed_in, language):
    """modeltranslation's tabs and switch, and the rich-text editor, as
    static/js/admin-accessible-widgets.js leaves them."""
    page = context(language, storage_state=signed_in).new_page()
    path = admin_path(site, "admin-change", language)
    page.goto(site.url + path)
    switch = page.get_by_role("combobox", name=SWITCH[language])
    assert switch.count() == 1
    # It shows the language the tabs open on, by its name.
    assert switch.evaluate("s => s.selectedOptions[0].lang") == language
    assert switch.locator("option").all_inner_texts() == ["English", "Français"]
    # The editor's toolbar speaks the admin's language.
    toolbar = page.locator(f"#tab_id_topics-0-body_{language} .prose-menubar")
    for name in BOLD_AND_LINK[language]:
        assert toolbar.get_by_role("button", name=name, exact=True).count() == 1
    label = page.locator(f'label[for="id_topics-0-body_{language}"]').inner_text()
    editor = page.locator(f"#tab_id_topics-0-body_{language} [contenteditable]")
    assert page.get_by_role("textbox", name=label, exact=True).first.evaluate(
        "(element, editor) => element === editor", editor.element_handle()
    )
    assert page.locator(".ui-tabs-anchor:not([inert])").count() == 0

    other = "fr" if language == "en" else "en"
    tab = page.locator(f'[role=tab][aria-controls="tab_id_title_{other}"]')
    assert tab.get_attribute("aria-labelledby")
    tab.click()
    assert page.locator(f"#tab_id_title_{other}").is_visible()
    assert page.evaluate("document.activeElement.getAttribute('role')") == "tab"
    page.keyboard.press("ArrowLeft" if other == "fr" else "ArrowRight")
    page.locator(f"#tab_id_title_{language}").wait_for()
    assert page.get_by_role("tab", name=language, exact=True).first.is_visible()


FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
        tag: element.tagName.toLowerCase(),
        id: element.id,
        text: (element.innerText || element.value || '').trim().slice(0, 60),
        region: element.closest('#report-problem') ? 'report'
            : element.closest('#wb-lng') ? 'language'
            : element.closest('#wb-srch') ? 'search'
            : element.closest('main') ? 'main' : '',
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== 'none',
        shown: box.width > 1 && box.height > 1,
    };
}"""


def tab(page):
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["tag"] != "body", "focus left the page"
    assert focused["shown"] and (focused["outline"] or focused["shadow"]), (
        f"focus is not visible on {focused}"
    )
    return focused


def tab_until(page, predicate, limit=150):
    steps = []
    for _ in range(limit):
        steps.append(tab(page))
        if predicate(steps[-1]):
            return steps
    raise AssertionError(f"never reached; went through {steps}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_keyboard_alone_reports_a_problem(site, context, language):
    words = WORDS[language]
    page = context(language).new_page()
    page.goto(site.url + words["relations"])

    order = tab_until(page, lambda focused: focused["tag"] == "summary")
    assert order[0]["text"] == words["skip"]
    regions = [focused["region"] for focused in order]
    texts = [focused["text"] for focused in order]
    toggle = texts.index(words["toggle"])
    search = next(i for i, f in enumerate(order) if f["id"] == "wb-srch-q")
    content = regions.index("main")
    # The toggle comes first in the header, where it is seen: above the signature.
    assert toggle == 1
    assert toggle < search < content < len(order) - 1
    assert order[-1]["region"] == "report"
    assert order[-1]["text"] == words["disclosure"]

    # Enter and Space both open a <summary>; use one in each language.
    page.keyboard.press("Enter" if language == "en" else " ")
    assert page.evaluate("document.querySelector('#report-problem details').open")
    problem = page.get_by_label(words["problem"], exact=True)
    tab_until(page, lambda _: problem.evaluate("e => e === document.activeElement"))
    page.keyboard.press(" ")
    assert problem.is_checked()
    tab_until(page, lambda focused: focused["tag"] == "textarea")
    page.keyboard.type("Typed without a mouse.")
    tab_until(page, lambda focused: focused["text"] == words["submit"])
    page.keyboard.press("Enter")
    page.get_by_text(words["thanks"]).wait_for()
    assert page.evaluate("document.activeElement.id") == "report-problem-thanks"


# Boxes that hide what overflows them, and placeholders wider than their
# field (an input's scrollWidth does not count its placeholder).
CLIPPED = """() => {
    const shown = (box) => box.width > 1 && box.height > 1;
    const boxes = [...document.body.querySelectorAll('*')].filter((element) => {
        const style = getComputedStyle(element);
        return ['hidden', 'clip'].includes(style.overflowX)
            && shown(element.getBoundingClientRect())
            && element.scrollWidth > element.clientWidth + 1;
    });
    const canvas = document.createElement('canvas').getContext('2d');
    const placeholders = [...document.querySelectorAll('[placeholder]')].filter(
        (field) => {
            const style = getComputedStyle(field);
            canvas.font = style.font;
            const room = field.clientWidth - parseFloat(style.paddingLeft)
                - parseFloat(style.paddingRight);
            return shown(field.getBoundingClientRect())
                && canvas.measureText(field.placeholder).width > room;
        });
    return [...boxes, ...placeholders].map((e) => e.outerHTML.slice(0, 120));
}"""


def assert_no_horizontal_scroll(page):
    scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll[0] <= scroll[1], f"{page.url} scrolls sideways: {scroll}"


@pytest.mark.parametrize(("name", "language"), each(PUBLIC))
def test_page_reflows_at_320_pixels(site, context, screenshots, name, language):
    page = context(language, viewport={"width": 320, "height": 640}).new_page()
    page.goto(site.url + PUBLIC[name][language])
    if name == "relations":
        # With the report form open on its error summary: the page's widest state.
        open_report_form(page, language, "report-errors")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=screenshots / f"320px-{name}-{language}.png", full_page=True)
    assert_no_horizontal_scroll(page)


@pytest.mark.parametrize(("name", "language"), each(PUBLIC))
def test_text_at_200_percent_is_not_clipped(site, context, screenshots, name, language):
    page = context(language, viewport={"width": 1280, "height": 800}).new_page()
    page.goto(site.url + PUBLIC[name][language])
    # Set through the CSSOM, which the CSP allows (a <style> tag it would block).
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    page.evaluate("document.fonts.ready.then(() => true)")
    page.screenshot(path=screenshots / f"200pct-{name}-{language}.png", full_page=True)
    assert_no_horizontal_scroll(page)
    assert page.evaluate(CLIPPED) == []


REVIEW_PAGES = [
    "admin-home",
    "admin-review",
    "admin-history",
    "admin-compare-languages",
    "admin-still-accurate",
    "admin-official-languages",
    "admin-translate",
    "admin-xliff",
]


@pytest.mark.parametrize(("name", "language"), each(REVIEW_PAGES))
def test_publishing_pages_reflow_at_320_pixels(
    site, context, signed_in, screenshots, name, language
):
    """A publisher reviewing on a phone: wide tables scroll in their own
    region, the page does not."""
    page = context(
        language, viewport={"width": 320, "height": 640}, storage_state=signed_in
    ).new_page()
    page.goto(site.url + admin_path(site, name, language))
    page.screenshot(path=screenshots / f"320px-{name}-{language}.png", full_page=True)
    assert_no_horizontal_scroll(page)
