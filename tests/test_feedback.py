"""Report a problem on this page: the form, what is stored, and what is refused."""

import re

import pytest
from django.test import Client

from feedback.models import Problem, ProblemReport
from tests.support.pages import html

NBSP = "\u00a0"
PAGES = {
    "en": [
        "/en/",
        "/en/relations/united-states/",
        "/en/search/",
        "/en/search/?q=trade",
    ],
    "fr": ["/fr/", "/fr/relations/etats-unis/", "/fr/recherche/", "/fr/recherche/?q=x"],
}
ENDPOINT = {"en": "/en/report-a-problem/", "fr": "/fr/signaler-un-probleme/"}
RELATIONSHIP = {"en": "/en/relations/united-states/", "fr": "/fr/relations/etats-unis/"}
WORDING = {
    "en": {
        "disclosure": "Report a problem on this page",
        "legend": "Please select all that apply:",
        "options": [
            "A link, button or video is not working",
            "It has a spelling mistake",
            "Information is missing",
            "Information is outdated or wrong",
            "I can't find what I'm looking for",
            "Other issue not in this list",
        ],
        "privacy": "Don't include personal information (telephone, email, SIN, "
        "financial, medical, or work details).",
        "submit": "Submit",
        "thanks": "Thank you for your help!",
        "then": "You will not receive a reply. For enquiries, please contact us.",
        "select": "Select at least one problem.",
        "too_many": "You have sent several reports in a short time.",
    },
    "fr": {
        "disclosure": "Signaler un problème ou une erreur sur cette page",
        "legend": f"Veuillez sélectionner toutes les cases qui s’appliquent{NBSP}:",
        "options": [
            "Un lien, un bouton ou une vidéo ne fonctionne pas",
            "Il y a une erreur d’orthographe ou de grammaire",
            "Les renseignements sont incomplets",
            "L’information n’est plus à jour ou est erronée",
            "Je n’arrive pas à trouver ce que je cherche",
            "Autre problème qui ne figure pas sur cette liste",
        ],
        "privacy": "N’incluez pas de renseignements personnels (téléphone, courriel, "
        "NAS, renseignements financiers, médicaux ou professionnels).",
        "submit": "Soumettre",
        "thanks": "Merci de votre aide!",
        "then": "Vous ne recevrez pas de réponse. Pour toute question, s’il vous "
        "plaît contactez-nous.",
        "select": "Sélectionnez au moins un problème.",
        "too_many": "Vous avez envoyé plusieurs signalements en peu de temps.",
    },
}


def text_of(element):
    """Return the element's text with ASCII white space collapsed (not NBSP)."""
    return re.sub(r"[ \t\r\n]+", " ", element.get_text()).strip()


def post(client, language="en", json=False, **fields):
    """Post a report; upper-case keywords (HTTP_ORIGIN, REMOTE_ADDR) are request
    headers, the others form fields."""
    headers = {key: value for key, value in fields.items() if key.isupper()}
    data = {"page": RELATIONSHIP[language], "problems": ["broken"]}
    data.update({key: value for key, value in fields.items() if not key.isupper()})
    if json:
        headers["HTTP_ACCEPT"] = "application/json"
    return client.post(ENDPOINT[language], data, **headers)


@pytest.mark.parametrize(
    ("language", "url"),
    [(language, url) for language, urls in PAGES.items() for url in urls],
)
def test_every_public_page_has_the_form_before_date_modified(
    client, demo, language, url
):
    soup = html(client.get(url))
    words = WORDING[language]
    section = soup.select_one("#report-problem")
    assert text_of(section.summary) == words["disclosure"]
    assert section.find_next("dl", id="wb-dtmd") is not None
    assert section.details.get("open") is None
    form = section.form
    assert form["method"] == "post"
    path = url.split("?")[0]
    assert form["action"] == f"{ENDPOINT[language]}?page={path}#report-problem-errors"
    assert form.select_one("input[name=page]")["value"] == path
    assert text_of(form.fieldset.legend) == words["legend"]
    labels = [text_of(label) for label in form.select("fieldset label")]
    assert labels == words["options"]
    for box in form.select("fieldset input[type=checkbox]"):
        assert soup.select_one(f'label[for="{box["id"]}"]')
    comment = form.select_one("textarea[name=comment]")
    assert comment["maxlength"] == "300"
    assert words["privacy"] in text_of(form)
    assert text_of(form.select_one("button[type=submit]")) == words["submit"]
    assert not form.select("input[name=csrfmiddlewaretoken]")


@pytest.mark.parametrize("url", ["/", "/en/nowhere/", "/fr/nulle-part/"])
def test_splash_and_error_pages_have_no_form(client, demo, url):
    assert not html(client.get(url)).select("#report-problem")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_report_without_javascript_redirects_back_with_thanks(
    client, demo, language, settings
):
    settings.FEEDBACK_CONTACT_URLS = {
        "en": "https://example.gc.ca/contact",
        "fr": "https://example.gc.ca/contactez",
    }
    response = post(client, language, problems=["broken", "outdated"], comment="Ok")
    assert response.status_code == 303
    assert response["Location"] == (
        f"{RELATIONSHIP[language]}?feedback=sent#report-problem-thanks"
    )
    assert "Set-Cookie" not in response.headers
    report = ProblemReport.objects.get()
    assert (report.page, report.language, report.comment) == (
        RELATIONSHIP[language],
        language,
        "Ok",
    )
    assert report.problems == [Problem.BROKEN, Problem.OUTDATED]
    assert report.status == ProblemReport.Status.NEW

    soup = html(client.get(response["Location"]))
    thanks = soup.select_one("#report-problem .report-problem-thanks")
    assert soup.select_one("#report-problem details").has_attr("open")
    assert WORDING[language]["thanks"] in text_of(thanks)
    assert WORDING[language]["then"] in text_of(thanks)
    contact = thanks.select_one("a")["href"]
    assert contact == settings.FEEDBACK_CONTACT_URLS[language]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_report_with_javascript_answers_in_place(client, demo, language):
    response = post(client, language, json=True)
    assert response.status_code == 200
    fragment = html_fragment(response)
    assert WORDING[language]["thanks"] in text_of(fragment)
    assert fragment.select_one("[data-focus]")
    assert ProblemReport.objects.count() == 1


def html_fragment(response):
    from bs4 import BeautifulSoup

    return BeautifulSoup(response.json()["html"], "html.parser")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_nothing_chosen_redisplays_the_page_with_an_error_summary(
    client, demo, language
):
    response = post(client, language, problems=[])
    assert response.status_code == 400
    soup = html(response)
    assert soup.html["lang"] == language
    assert soup.h1.get_text() == {"en": demo.title_en, "fr": demo.title_fr}[language]
    summary = soup.select_one("#report-problem-errors")
    assert WORDING[language]["select"] in text_of(summary)
    link = summary.select_one("a")["href"]
    assert soup.select_one(link) is not None
    assert soup.select_one("#report-problem details").has_attr("open")
    fieldset = soup.select_one("#report-problem fieldset")
    assert soup.select_one(f"#{fieldset['aria-describedby']}")
    assert not ProblemReport.objects.exists()


def test_the_visitors_choices_are_kept_on_error(client, demo):
    response = post(client, problems=["spelling", "missing"], comment="x" * 301)
    assert response.status_code == 400
    soup = html(response)
    checked = [box["value"] for box in soup.select("#report-problem input:checked")]
    assert checked == ["spelling", "missing"]
    assert soup.select_one("#report-problem textarea").get_text() == "x" * 301
    assert "Enter at most 300 characters (you entered 301)." in text_of(soup)
    assert soup.select_one("#report-problem textarea")["aria-invalid"] == "true"


def test_a_comment_alone_is_an_other_issue(client, demo):
    assert post(client, problems=[], comment="The map is blurry").status_code == 303
    assert ProblemReport.objects.get().problems == [Problem.OTHER]


@pytest.mark.parametrize(
    ("language", "comment", "stored"),
    [
        (
            "en",
            "Mail me: jane@example.ca or 613-555-0100",
            "Mail me: [email] or [phone]",
        ),
        ("fr", "Écrivez à jean arobase exemple point ca", "Écrivez à [courriel]"),
    ],
)
def test_personal_information_is_masked_before_storage(
    client, demo, language, comment, stored
):
    post(client, language, comment=comment)
    assert ProblemReport.objects.get().comment == stored


def test_no_client_details_are_stored(client, demo):
    post(
        client,
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="Mozilla/5.0 Tracker",
        HTTP_COOKIE="visitor=abc123",
    )
    row = ProblemReport.objects.values().get()
    stored = " ".join(str(value) for value in row.values())
    for detail in ("203.0.113.77", "Tracker", "abc123"):
        assert detail not in stored


BAD_INPUT = [
    ("unknown problem", {"problems": ["broken", "hacked"]}),
    ("comment too long", {"comment": "é" * 301}),
    ("NUL byte", {"comment": "broken\x00link"}),
    ("control character", {"comment": "bell\x07"}),
    ("no page", {"page": ""}),
    ("absolute URL", {"page": "https://evil.example/en/"}),
    ("scheme-relative URL", {"page": "//evil.example/en/"}),
    ("unknown page", {"page": "/en/relations/atlantis/"}),
    ("admin page", {"page": "/en/admin/"}),
    ("splash page", {"page": "/"}),
    ("page with a query", {"page": "/en/search/?q=x"}),
    ("page in the wrong language", {"page": "/fr/relations/united-states/"}),
    ("page far too long", {"page": "/en/" + "a" * 400}),
]


@pytest.mark.parametrize(("case", "data"), BAD_INPUT, ids=[c for c, _ in BAD_INPUT])
@pytest.mark.parametrize("json", [False, True], ids=["form", "script"])
def test_bad_input_is_refused_and_nothing_stored(client, demo, case, data, json):
    response = post(client, json=json, **data)
    assert response.status_code == 400
    assert not ProblemReport.objects.exists()
    body = response.json()["html"] if json else response.content.decode()
    assert "report-problem" in body


def test_unpublished_page_cannot_receive_reports(client, demo, make_relationship):
    make_relationship(status="draft", slug_en="mexico", slug_fr="mexique")
    assert post(client, page="/en/relations/mexico/").status_code == 400
    assert not ProblemReport.objects.exists()


def test_invalid_utf8_is_refused(client, demo):
    body = b"page=%2Fen%2F&problems=broken&comment=caf%E9"
    response = client.generic(
        "POST",
        ENDPOINT["en"],
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert "characters that could not be read" in response.content.decode()
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_oversized_body_is_refused_without_being_read(client, demo, language):
    response = post(client, language, comment="x" * 20000)
    assert response.status_code == 413
    message = {
        "en": "This report is too long to be sent.",
        "fr": "Ce signalement est trop long pour être envoyé.",
    }[language]
    assert message in response.content.decode()
    assert not ProblemReport.objects.exists()


def test_a_malformed_length_is_refused(client, demo):
    response = client.generic(
        "POST",
        ENDPOINT["fr"],
        b"page=%2Ffr%2F&problems=broken",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH="-5",
    )
    assert response.status_code == 400
    assert "Ce signalement n’a pas pu être lu." in response.content.decode()
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_other_methods_are_refused(client, demo, method):
    response = getattr(client, method)(ENDPOINT["fr"])
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Pour signaler un problème" in response.content.decode()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "https://evil.example"},
        {"HTTP_ORIGIN": "null"},
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "cross-site"},
    ],
)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_cross_site_posts_are_refused(client, demo, headers, language):
    response = post(client, language, **headers)
    assert response.status_code == 403
    message = {
        "en": "This report was not sent: it did not come from this site.",
        "fr": f"Ce signalement n’a pas été envoyé{NBSP}: "
        "il ne provient pas de ce site.",
    }[language]
    assert message in response.content.decode()
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"},
        {},
    ],
)
def test_same_site_posts_are_accepted(client, demo, headers):
    assert post(client, **headers).status_code == 303


def test_trusted_origins_are_accepted(client, demo, settings):
    settings.CSRF_TRUSTED_ORIGINS = ["https://relations.example.gc.ca"]
    response = post(client, HTTP_ORIGIN="https://relations.example.gc.ca")
    assert response.status_code == 303


@pytest.mark.parametrize("json", [False, True])
def test_a_filled_honeypot_looks_like_success_but_stores_nothing(client, demo, json):
    response = post(client, json=json, url="https://spam.example")
    assert response.status_code == (200 if json else 303)
    assert not ProblemReport.objects.exists()


def test_rate_limit_stops_one_client_not_another(demo):
    noisy, quiet = (
        Client(REMOTE_ADDR="198.51.100.1"),
        Client(REMOTE_ADDR="198.51.100.2"),
    )
    assert [post(noisy).status_code for _ in range(5)] == [303] * 5
    refused = post(noisy, "fr")
    assert refused.status_code == 429
    assert WORDING["fr"]["too_many"] in refused.content.decode()
    assert post(quiet).status_code == 303
    assert ProblemReport.objects.count() == 6


class Clock:
    """Stands in for the time module inside feedback.ratelimit only."""

    def __init__(self, now):
        self.now = now

    def time(self):
        return self.now


def test_rate_limit_holds_across_a_minute_edge(client, demo, monkeypatch):
    edge = 60 * 29_000_000.0  # the first second of some minute
    clock = Clock(edge - 1)
    monkeypatch.setattr("feedback.ratelimit.time", clock)
    assert [post(client).status_code for _ in range(5)] == [303] * 5
    # A fixed window would start counting afresh here and take five more.
    clock.now = edge + 1
    assert post(client).status_code == 429
    assert ProblemReport.objects.count() == 5


def test_rate_limit_forgets_the_last_minute_gradually(client, demo, monkeypatch):
    edge = 60 * 29_000_000.0
    clock = Clock(edge - 1)
    monkeypatch.setattr("feedback.ratelimit.time", clock)
    for _ in range(5):
        post(client)
    # Half-way through the next minute, half of the last one still counts:
    # 1 + 2.5 and 2 + 2.5 are within five reports a minute, 3 + 2.5 is not.
    clock.now = edge + 30
    assert [post(client).status_code for _ in range(3)] == [303, 303, 429]
    # Two minutes on, the client has a whole minute's allowance again.
    clock.now = edge + 120
    assert [post(client).status_code for _ in range(6)] == [303] * 5 + [429]
    assert ProblemReport.objects.count() == 12


def test_rate_limit_finds_the_visitor_behind_the_proxies(demo, settings):
    settings.NUM_PROXIES = 1
    # Every request reaches the app from the load balancer's address.
    first = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="192.0.2.1")
    second = Client(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="192.0.2.2")
    for _ in range(5):
        post(first)
    assert post(first).status_code == 429
    assert post(second).status_code == 303


def test_rate_limit_answers_scripts_too(client, demo):
    for _ in range(5):
        post(client, json=True)
    response = post(client, "en", json=True)
    assert response.status_code == 429
    assert WORDING["en"]["too_many"] in text_of(html_fragment(response))


def test_thank_you_state_is_not_shown_for_other_query_values(client, demo):
    soup = html(client.get("/en/?feedback=<script>"))
    assert not soup.select(".report-problem-thanks")
    assert "<script>" not in client.get("/en/?feedback=<script>").content.decode()


@pytest.mark.parametrize(
    "path", ["/en/relations/united-states/", "/fr/bureaux/", "/en/search/"]
)
def test_the_form_names_the_page_it_is_on(client, demo, path):
    """The form is rendered once for every page: each gets its own address."""
    for _ in range(2):
        page = html(client.get(path))
        field = page.select_one('#report-problem input[name="page"]')
        assert field["value"] == path


@pytest.mark.parametrize(
    ("language", "page"),
    [("en", "/en/relations/united-states/"), ("fr", "/fr/relations/etats-unis/")],
)
def test_the_address_an_answer_with_errors_shows_leads_back_to_the_page(
    client, demo, language, page
):
    form = html(client.get(page)).select_one("form[data-report-problem]")
    assert form["action"] == f"{ENDPOINT[language]}?page={page}#report-problem-errors"
    # Sent without JavaScript, with no box ticked: the answer's address.
    response = client.post(form["action"].split("#")[0], {"page": page})
    assert response.status_code == 400
    assert html(response).select_one("#report-problem-errors")
    # Asked for again from the address bar.
    again = client.get(f"{ENDPOINT[language]}?page={page}")
    assert again.status_code == 303
    assert again["Location"] == f"{page}#report-problem"


def test_an_unknown_page_in_the_address_is_still_refused(client, demo):
    response = client.get(f"{ENDPOINT['en']}?page=https://evil.example/")
    assert response.status_code == 405
