"""Hostile input on every public endpoint, generated with Hypothesis.

Whatever a visitor sends: no answer is a 5xx; markup in the input never comes
back unescaped; no redirect leads off the site; a problem report is stored
only when valid, and then as cleaned; a 4xx on a French address is in French.

Each test runs 100 examples; HYPOTHESIS_PROFILE=thorough runs 1,000. Run pytest
with --hypothesis-show-statistics to see how many examples each test ran and
what they led to. The demo content is loaded once for the module, not once an
example (hence the function-scoped fixture health check is suppressed); each example
runs in a transaction rolled back after it, with the caches emptied, so no
example sees what another stored, and the report form's rate limit never
hides what a submission would have done.
"""

import contextlib
import json
import operator
import os
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, unquote_to_bytes, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from consulates.models import Office
from feedback.models import Problem, ProblemReport
from feedback.scrub import scrub
from tests.support.pages import html

# Hypothesis also caches what it reads of the source and of Unicode: in var/,
# with the project's other generated files, rather than in a .hypothesis/
# folder in the checkout.
os.environ.setdefault(
    "HYPOTHESIS_STORAGE_DIRECTORY", str(django_settings.BASE_DIR / "var" / "hypothesis")
)
settings.register_profile(
    "moderate",
    max_examples=100,
    # A page takes milliseconds on one run and more on a busy machine.
    deadline=None,
    # No example database; a failure prints the blob that reproduces it.
    database=None,
    print_blob=True,
)
settings.register_profile(
    "thorough", settings.get_profile("moderate"), max_examples=1000
)
# Loaded here rather than globally, so other test files keep their settings.
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "moderate"))
# The demo content is loaded once for the module; fresh() isolates the examples.
hostile = settings(
    PROFILE,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Strings generated with HTML-significant characters: none may come back as is.
PROBES = ("<x-probe", '"x-probe', "'x-probe")
TRICKS = (
    "\x00",
    "%00",
    "..",
    "../",
    "..%2f",
    "%2e%2e%2f",
    "%ff%fe",
    "%c0%ae",
    "%e9",
    "%",
    "%zz",
    "%25",
    ";",
    "//",
    "\\",
    "\r\n",
    "%0d%0a",
    "?",
    "#",
    "&",
    "=",
    "+",
    "javascript:alert(1)",
    "//evil.example",
    "https://evil.example/",
    "\u202e",
    "\ufeff",
    "\ufffd",
    "e\u0301",
    "\U0001f600",
    "İ",
    "²",
    "٣",
    "{{ x }}",
    "{% x %}",
    "%(x)s",
    "</script>",
    "&lt;",
)


def often(common, rare, tenths=9):
    """Draw from `common` `tenths` times in ten, else from `rare`."""
    return st.integers(0, 9).flatmap(lambda n: common if n < tenths else rare)


piece = st.one_of(
    st.text(max_size=12), st.sampled_from(TRICKS), st.sampled_from(PROBES)
)
short_text = st.lists(piece, max_size=6).map("".join)
# A few kilobytes.
long_text = st.builds(
    operator.mul,
    st.sampled_from(["a", "é", "%00", "../", "<x-probe>", " ", "\U0001f600"]),
    st.integers(min_value=100, max_value=1000),
)
hostile_text = often(short_text, long_text)
# As a browser would send it, or as a careless client would.
url_text = st.one_of(hostile_text, hostile_text.map(lambda s: quote(s, safe="")))

LANGUAGES = ("en", "fr")
WORDS = {
    "en": {"offices": "offices", "preview": "preview", "report": "report-a-problem"},
    "fr": {"offices": "bureaux", "preview": "apercu", "report": "signaler-un-probleme"},
}
PATHS = (
    "/{lang}/relations/{seg}/",
    "/{lang}/relations/{seg}",
    "/{lang}/{offices}/{seg}/",
    "/{seg}/relations/united-states/",
    "/{seg}/",
    "/{lang}/{preview}/relations/{seg}/",
    "/{lang}/{preview}/offices/{seg}/",
    "/{lang}/{seg}",
    "/{lang}/{seg}/",
    "/{lang}/{report}/{seg}",
    "/{seg}",
    "/api/{seg}",
    "/static/{seg}",
)
METHODS = ("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE")
ENDPOINT = {
    "en": "/en/report-a-problem/",
    "fr": "/fr/signaler-un-probleme/",
}


class Site:
    """The demo's addresses, and a logged-in editor's session."""

    def __init__(self, pages, others, ids, staff_session):
        self.pages = pages  # name: path, of the pages that take reports
        self.others = others  # name: path, of addresses that do not
        self.ids = ids  # what a path segment can name: slugs and ids
        self.staff_session = staff_session

    def __repr__(self):
        # Short in Hypothesis's reports of failing examples.
        return "Site(demo)"

    def client(self, staff=False):
        client = Client(enforce_csrf_checks=True)
        if staff:
            client.cookies[django_settings.SESSION_COOKIE_NAME] = self.staff_session
        return client

    def path(self, name):
        return self.pages.get(name) or self.others[name]

    def language_of(self, path):
        """Return the language of a page that takes reports, else None."""
        for name, page in self.pages.items():
            if page == path:
                return name.rsplit("_", 1)[1]
        return None


@pytest.fixture
def site(demo, django_user_model):
    office = demo.offices.order_by("sort_order").first()
    pages, others = {}, {}
    for language in LANGUAGES:
        with translation.override(language):
            pages[f"home_{language}"] = reverse("relations:home")
            pages[f"relationship_{language}"] = demo.get_absolute_url()
            pages[f"search_{language}"] = reverse("relations:search")
            pages[f"offices_{language}"] = reverse("consulates:office_list")
            pages[f"office_{language}"] = office.get_absolute_url()
            others[f"relationship_preview_{language}"] = demo.get_preview_url()
            others[f"office_preview_{language}"] = office.get_preview_url()
            others[f"admin_{language}"] = reverse("admin:index")
            others[f"report_{language}"] = reverse("feedback:report")
            others[f"search_query_{language}"] = reverse("relations:search") + "?q=x"
    others["wrong_language"] = "/fr/relations/united-states/"
    others["no_slash"] = pages["relationship_en"].rstrip("/")
    others["upper_case"] = pages["relationship_en"].upper()
    others["splash"] = "/"
    others["other_host"] = "https://evil.example" + pages["home_en"]
    others["scheme_relative"] = "//evil.example" + pages["home_en"]
    others["backslash"] = "/\\evil.example" + pages["home_en"]
    editor = django_user_model.objects.create_superuser(
        "editor", "editor@example.org", "not-a-real-password"
    )
    client = Client()
    client.force_login(editor)
    return Site(
        pages=pages,
        others=others,
        ids=[
            str(demo.pk),
            str(office.pk),
            demo.slug_en,
            demo.slug_fr,
            office.slug_en,
            office.slug_fr,
        ],
        staff_session=client.cookies[django_settings.SESSION_COOKIE_NAME].value,
    )


@contextlib.contextmanager
def fresh():
    """Run one example on the test's data as set up, caches empty, in English."""
    cache.clear()
    caches["pages"].clear()
    translation.activate("en")
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def wsgi(text):
    """Return `text` as a server puts its bytes in the WSGI environ."""
    return text.encode().decode("iso-8859-1")


def send(client, method, path, query="", **extra):
    """Send `path` and `query` as a server passes them on: the client parses
    and normalises nothing."""
    return client.generic(
        method,
        "/",
        PATH_INFO=unquote_to_bytes(path).decode("iso-8859-1"),
        QUERY_STRING=wsgi(query),
        **extra,
    )


def strings_in(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def text_of(response):
    """Return the body as the browser would read it; JSON's strings decoded."""
    if response.streaming:
        # Read to the end, the client closes the response (closing it again
        # would close the database connection, inside the test's transaction).
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    text = content.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        return "\n".join(strings_in(json.loads(text)))
    return text


def check(response, language=None):
    """Assert what holds for any answer to any input; return the body's text.

    `language`: the language the answer must be in if it is a 4xx HTML page.
    """
    event(f"status {response.status_code}")
    assert response.status_code < 500
    body = text_of(response)
    for probe in PROBES:
        assert probe not in body
    if 300 <= response.status_code < 400 and "Location" in response:
        location = response["Location"]
        parts = urlsplit(location)
        assert parts.scheme in ("", "http", "https")
        assert parts.netloc in ("", "testserver")
        assert not location.startswith(("//", "/\\", "\\"))
    if language and 400 <= response.status_code < 500 and "<html" in body:
        soup = BeautifulSoup(body, "html.parser")
        assert soup.html is not None
        assert_in(soup, language)
    return body


def assert_in(soup, language):
    if soup.html["lang"] == language:
        return
    # The answers to requests that cannot be trusted (bad Host, unreadable
    # body, missing CSRF token) are bilingual by design (errors/page.html):
    # the visitor's half is marked with its language.
    assert soup.select_one(f'section.error-message-block[lang="{language}"]')


def french_if(path):
    return "fr" if path.startswith("/fr/") else None


# Paths.


@hostile
@given(
    data=st.data(),
    template=st.sampled_from(PATHS),
    language=st.sampled_from(LANGUAGES),
    method=often(st.just("GET"), st.sampled_from(METHODS), tenths=7),
    staff=st.booleans(),
)
def test_any_path_is_answered_safely(site, data, template, language, method, staff):
    segment = data.draw(st.one_of(url_text, st.sampled_from(site.ids)), "segment")
    path = template.format(lang=language, seg=segment, **WORDS[language])
    with fresh():
        response = send(site.client(staff), method, path)
        check(response, french_if(path))


# Query strings.

KNOWN_VALUES = (
    "",
    "US",
    *Office.Kind.values,
    "Washington",
    "trade",
    "1",
    "2",
    "0",
    "-1",
    "1e3",
    "NaN",
    "99999999999999999999999",
    "sent",
)
query_value = st.one_of(st.sampled_from(KNOWN_VALUES), hostile_text)


@st.composite
def query_strings(draw, names):
    parts = []
    pairs = st.tuples(st.one_of(st.sampled_from(names), hostile_text), query_value)
    for name, value in draw(st.lists(pairs, max_size=6)):
        if draw(st.booleans()):
            parts.append(f"{quote_plus(name)}={quote_plus(value)}")
        else:
            parts.append(f"{name}={value}")
    return draw(st.sampled_from(["&", "&&", ";"])).join(parts)


QUERY_PAGES = (
    "search_en",
    "search_fr",
    "offices_en",
    "offices_fr",
    "home_en",
    "relationship_fr",
    "office_en",
    "report_fr",
)
QUERY_PATHS = ("/", "/robots.txt", "/sitemap.xml", "/api/offices.json")


@hostile
@given(
    page=st.sampled_from(QUERY_PAGES + QUERY_PATHS),
    query=query_strings(["q", "page", "country", "kind", "city", "feedback"]),
)
def test_any_query_string_is_answered_safely(site, page, query):
    path = page if page.startswith("/") else site.path(page)
    with fresh():
        response = send(site.client(), "GET", path, query)
        check(response, french_if(path))


# Headers.

cookies = st.lists(
    st.tuples(
        st.sampled_from(["sessionid", "csrftoken", "django_language", "messages"])
        | hostile_text,
        st.sampled_from(
            [
                # A NUL byte, as a quoted cookie can spell it.
                '"\\000\\000\\000\\000\\000\\000\\000\\000"',
                "abcdefgh",
                "x" * 5000,
                '"',
                "=",
            ]
        )
        | hostile_text,
    ),
    max_size=5,
).map(lambda pairs: "; ".join(f"{name}={value}" for name, value in pairs))
HOSTS = (
    "testserver",
    "testserver:8000",
    "testserver:99999",
    "testserver:abc",
    "localhost:8000",
    "[::1]:8000",
    "[::1",
    "evil.example",
    "testserver.evil.example",
    "testserver@evil.example",
    "tëstserver",
    "TESTSERVER",
    "testserver.",
    "",
    "testserver\x00",
    "testserver, evil.example",
    "a" * 300,
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_ACCEPT_LANGUAGE": st.sampled_from(
            ["fr-CA,fr;q=0.9", "*", "fr;q=nan", "fr;q=-1,en;q=2", "en-" * 300]
        )
        | hostile_text,
        "HTTP_COOKIE": cookies | st.sampled_from(["; ".join(["c=" + "v" * 1000] * 9)]),
        "HTTP_HOST": st.sampled_from(HOSTS) | hostile_text,
        "HTTP_X_FORWARDED_FOR": st.sampled_from(["", ",,,", "unknown", "999.1.1.1"])
        | hostile_text,
        "HTTP_X_FORWARDED_PROTO": st.sampled_from(["https", "http", "https, http"])
        | hostile_text,
        "HTTP_IF_NONE_MATCH": st.sampled_from(["*", 'W/"x"', '"']) | hostile_text,
        "HTTP_IF_MODIFIED_SINCE": st.sampled_from(
            ["Sun, 06 Nov 9999 08:49:37 GMT", "Mon, 32 Foo 2024 99:99:99 GMT"]
        )
        | hostile_text,
        "HTTP_ACCEPT": st.sampled_from(["application/json", "*/*"]) | hostile_text,
        "HTTP_ORIGIN": st.sampled_from(["http://testserver", "null"]) | hostile_text,
        "HTTP_SEC_FETCH_SITE": st.sampled_from(["same-origin", "cross-site"])
        | hostile_text,
        "HTTP_REFERER": hostile_text,
        "HTTP_USER_AGENT": hostile_text,
        "HTTP_RANGE": st.sampled_from(["bytes=0-10", "bytes=10-0", "bytes=9" * 30])
        | hostile_text,
    },
).map(lambda found: {name: wsgi(value) for name, value in found.items()})
HEADER_PAGES = (
    "home_en",
    "relationship_fr",
    "search_fr",
    "offices_fr",
    "office_en",
    "relationship_preview_fr",
    "admin_fr",
)
HEADER_PATHS = (
    "/",
    "/robots.txt",
    "/sitemap.xml",
    "/api/offices.csv",
    "/healthz",
    "/readyz",
    "/static/css/site.css",
)


@hostile
@given(
    page=st.sampled_from(HEADER_PAGES + HEADER_PATHS + ("report_en", "report_fr")),
    extra=headers,
    proxies=st.integers(min_value=0, max_value=3),
    method=often(st.sampled_from(["GET", "HEAD"]), st.sampled_from(METHODS)),
)
def test_any_header_is_answered_safely(site, page, extra, proxies, method):
    path = page if page.startswith("/") else site.path(page)
    with fresh(), override_settings(NUM_PROXIES=proxies):
        if page.startswith("report"):
            language = page[-2:]
            fields = {"page": site.pages[f"home_{language}"], "problems": "broken"}
            check(site.client().post(path, fields, **extra), french_if(path))
            return
        check(send(site.client(), method, path, **extra), french_if(path))
        after = site.client().get(path)
    # Nothing in one visitor's headers changes the page the next one gets.
    with fresh():
        expected = site.client().get(path)
    assert (after.status_code, text_of(after)) == (
        expected.status_code,
        text_of(expected),
    )


# The report form.


@dataclass(frozen=True)
class Known:
    """One of the demo's addresses, by name (Site.pages, Site.others)."""

    name: str


@dataclass(frozen=True)
class Upload:
    """A file where text is expected."""

    content: bytes


REPORTABLE = [
    *(
        f"{page}_{language}"
        for page in ("home", "relationship")
        for language in LANGUAGES
    ),
    "search_fr",
    "offices_en",
    "office_fr",
]
ELSEWHERE = [
    "relationship_preview_en",
    "office_preview_fr",
    "admin_en",
    "report_fr",
    "search_query_en",
    "wrong_language",
    "no_slash",
    "upper_case",
    "splash",
    "other_host",
    "scheme_relative",
    "backslash",
]
page_value = often(
    st.sampled_from(REPORTABLE).map(Known),
    st.one_of(
        st.sampled_from(ELSEWHERE).map(Known),
        st.sampled_from(["javascript:alert(1)", "//evil", " /en/ ", "\t/fr/\n"]),
        hostile_text,
    ),
    tenths=7,
)
problem_value = often(
    st.sampled_from(Problem.values),
    st.sampled_from(["", "hacked"]) | hostile_text,
)
comment_value = often(
    short_text,
    st.one_of(
        long_text,
        st.text(min_size=295, max_size=305),
        st.sampled_from(["  ", "Mail me: jane@example.ca", "ok\x07", "ok\x00"]),
    ),
    tenths=7,
)
honeypot_value = often(
    st.just(""), st.sampled_from(["https://spam.example", " "]) | short_text
)
upload = st.binary(max_size=64).map(lambda content: Upload(b"<x-probe" + content))
# Each field: its values, and how many times it usually comes.
FIELDS = {
    "page": (page_value, st.sampled_from([1] * 8 + [0, 2, 3])),
    "problems": (problem_value, st.integers(0, 3) | st.integers(4, 8)),
    "comment": (comment_value, st.sampled_from([0, 1, 1, 2])),
    "url": (honeypot_value, st.sampled_from([0, 1, 2])),
}


@st.composite
def submissions(draw):
    """Return [(name, value)]: fields missing, repeated, extra or of the wrong type."""
    fields = []
    for name, (values, counts) in FIELDS.items():
        for _ in range(draw(counts)):
            fields.append((name, draw(often(values, upload, tenths=9))))
    extras = st.tuples(
        st.text("abcdefghijklmnopqrstuvwxyz_[]", min_size=1, max_size=12).filter(
            lambda name: name not in FIELDS
        ),
        hostile_text | upload,
    )
    fields += draw(st.lists(extras, max_size=3))
    return fields


def encode(fields, multipart):
    """Return (body, content type) of a submission, as a browser would send it."""
    if not multipart:
        text = [(name, value) for name, value in fields if isinstance(value, str)]
        return urlencode(text).encode(), "application/x-www-form-urlencoded"
    grouped = {}
    for name, value in fields:
        if isinstance(value, Upload):
            value = SimpleUploadedFile("report.txt", value.content)
        grouped.setdefault(name, []).append(value)
    return encode_multipart(BOUNDARY, grouped), MULTIPART_CONTENT


def expected_report(fields, site):
    """Return what the form must store, worked out without it, or None."""
    text = {}
    for name, value in fields:
        if isinstance(value, str):
            text.setdefault(name, []).append(value)
    last = {name: values[-1] for name, values in text.items()}
    page = last.get("page", "").strip()
    problems = text.get("problems", [])
    comment = last.get("comment", "").strip()
    language = site.language_of(page)
    valid = (
        language
        and all(problem in Problem.values for problem in problems)
        and len(comment) <= 300
        and not any(
            char in "\x00\ufffd"
            or (ord(char) < 32 and char not in "\t\n\r")
            or 127 <= ord(char) < 160
            for char in comment
        )
        and (problems or comment)
    )
    if not valid:
        return None
    return {
        "page": page,
        "language": language,
        "problems": set(problems) or {Problem.OTHER.value},
        "comment": comment,
    }


@hostile
@given(
    submission=submissions(),
    language=st.sampled_from(LANGUAGES),
    multipart=st.booleans(),
    script=st.booleans(),
    origin=often(st.none(), st.sampled_from(["http://testserver", "null", "//evil"])),
    fetch_site=often(st.none(), st.sampled_from(["same-origin", "cross-site"])),
)
def test_a_report_is_stored_only_when_valid_and_as_cleaned(
    site, submission, language, multipart, script, origin, fetch_site
):
    fields = [
        (name, site.path(value.name) if isinstance(value, Known) else value)
        for name, value in submission
    ]
    body, content_type = encode(fields, multipart)
    if not multipart:
        fields = [(name, value) for name, value in fields if isinstance(value, str)]
    extra = {"HTTP_ACCEPT": "application/json"} if script else {}
    if origin:
        extra["HTTP_ORIGIN"] = origin
    if fetch_site:
        extra["HTTP_SEC_FETCH_SITE"] = fetch_site
    read = {name: value for name, value in fields if isinstance(value, str)}
    raw_page = read.get("page", "")
    robot = bool(read.get("url"))
    too_long = len(body) > django_settings.FEEDBACK_MAX_BODY_BYTES
    cross_site = fetch_site == "cross-site" or origin not in (None, "http://testserver")
    expected = (
        None if too_long or cross_site or robot else expected_report(fields, site)
    )
    # The page a report came from is shown again in its language; any other
    # answer is in the endpoint's. An oversized body is not read.
    shown_in = (None if too_long else site.language_of(raw_page)) or language

    with fresh():
        before = ProblemReport.objects.count()
        response = site.client().generic(
            "POST", ENDPOINT[language], body, content_type, **extra
        )
        check(response, shown_in)
        assert ProblemReport.objects.count() == before + (expected is not None)
        if too_long:
            assert response.status_code == 413
        elif cross_site:
            assert response.status_code == 403
        elif robot or expected:
            event("robot" if robot else "stored")
            redirect = not script and (expected or site.language_of(raw_page))
            assert response.status_code == (303 if redirect else 200)
        else:
            assert response.status_code == 400
        if expected:
            report = ProblemReport.objects.get()
            assert report.page == expected["page"]
            assert report.language == expected["language"]
            assert {problem.value for problem in report.problems} == (
                expected["problems"]
            )
            assert report.comment == scrub(expected["comment"], report.language)
            # What is stored renders escaped where editors read it.
            editor = site.client(staff=True)
            for url in (
                reverse("admin:feedback_problemreport_changelist"),
                reverse("admin:feedback_problemreport_change", args=[report.pk]),
                reverse("admin:feedback_problemreport_summary"),
            ):
                assert check(editor.get(url))


NON_FORM_TYPES = (
    "application/json",
    "text/plain",
    "application/xml",
    "application/octet-stream",
    "text/html",
    "",
    "multipart/form-data",
    "multipart/form-data; boundary=",
    "multipart/form-data; boundary=x",
)
# Percent-encoded: a raw byte that is not UTF-8 makes Django read the whole
# body as Latin-1, which is a reading ("\xff" is "ÿ"), not an error.
CORRUPTIONS = ("%ff%fe", "%c0%af", "%e9", "%ed%a0%80", "%f4%90%80%80")
LENGTHS = ("", "-5", "abc", "1e3", " 12", "²", "٣", "99999999999999999999", "0")


@st.composite
def raw_bodies(draw, language):
    """Return (body, content type, what is wrong with it)."""
    page = quote_plus({"en": "/en/", "fr": "/fr/"}[language])
    comment = quote_plus(draw(hostile_text))
    valid = f"page={page}&problems=broken&comment={comment}"
    kind = draw(
        st.sampled_from(
            ["corrupt", "not a form", "json", "oversized", "too many fields", "binary"]
        )
    )
    form = "application/x-www-form-urlencoded"
    if kind == "corrupt":
        field = draw(st.sampled_from(["page", "problems", "comment"]))
        bad = draw(st.sampled_from(CORRUPTIONS))
        body = valid.replace(f"{field}=", f"{field}={bad}", 1)
        return body.encode(), form, kind
    if kind == "not a form":
        content_type = draw(st.sampled_from(NON_FORM_TYPES) | hostile_text)
        return valid.encode(), wsgi(content_type), kind
    if kind == "json":
        report = {"page": "/en/", "problems": ["broken"], "comment": comment}
        return json.dumps(report).encode(), "application/json", kind
    if kind == "oversized":
        size = draw(st.integers(min_value=8193, max_value=40000))
        return f"{valid}&padding={'x' * size}".encode(), form, kind
    if kind == "too many fields":
        return b"a&" * draw(st.integers(1001, 4000)), form, kind
    content_type = draw(st.sampled_from([form, *NON_FORM_TYPES]))
    return draw(st.binary(max_size=512)), content_type, kind


@hostile
@given(data=st.data(), language=st.sampled_from(LANGUAGES), script=st.booleans())
def test_unreadable_reports_are_refused_and_nothing_stored(
    site, data, language, script
):
    body, content_type, kind = data.draw(raw_bodies(language), "body")
    event(kind)
    extra = {"HTTP_ACCEPT": "application/json"} if script else {}
    length = data.draw(st.none() | st.sampled_from(LENGTHS), "CONTENT_LENGTH")
    if length is not None:
        extra["CONTENT_LENGTH"] = wsgi(length)
    with fresh():
        response = site.client().generic(
            "POST", ENDPOINT[language], body, content_type, **extra
        )
        check(response, language)
        assert 400 <= response.status_code < 500 or kind == "binary"
        assert not ProblemReport.objects.exists()


# Regression tests for what the tests above found.


# What the tests above found, as plain tests.

# A NUL byte, spelled as a quoted cookie may spell any character.
NUL_SESSION = 'sessionid="\\000\\000\\000\\000\\000\\000\\000\\000"'


@pytest.mark.parametrize(
    ("page", "status"), [("relationship_preview_fr", 404), ("admin_fr", 302)]
)
def test_a_session_cookie_no_session_key_can_be_is_no_session(site, page, status):
    response = site.client().get(site.path(page), HTTP_COOKIE=NUL_SESSION)
    assert response.status_code == status


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("staff", [False, True], ids=["visitor", "editor"])
def test_a_preview_cannot_receive_reports(site, language, staff):
    page = site.path(f"relationship_preview_{language}")
    response = site.client(staff).post(
        ENDPOINT[language], {"page": page, "problems": "broken"}
    )
    assert response.status_code == 400
    assert html(response).html["lang"] == language
    assert not ProblemReport.objects.exists()


def test_a_content_length_that_int_cannot_read_is_refused(site):
    response = site.client().generic(
        "POST",
        ENDPOINT["fr"],
        b"page=%2Ffr%2F&problems=broken",
        "application/x-www-form-urlencoded",
        CONTENT_LENGTH="²",
    )
    assert response.status_code == 400
    assert "Ce signalement n’a pas pu être lu." in response.content.decode()
    assert not ProblemReport.objects.exists()


@pytest.mark.parametrize("page", ["home_fr", "relationship_en", "/sitemap.xml"])
def test_a_host_with_another_port_does_not_change_the_page_others_get(site, page):
    path = page if page.startswith("/") else site.path(page)
    site.client().get(path, HTTP_HOST="testserver:4444")
    body = site.client().get(path).content.decode()
    assert "http://testserver/" in body
    assert "4444" not in body


def test_a_post_without_csrf_token_gets_the_sites_bilingual_403(site):
    response = site.client().post(site.path("relationship_fr"))
    assert response.status_code == 403
    soup = html(response)
    french = soup.select_one('section.error-message-block[lang="fr"]')
    assert "Accès refusé (Erreur 403)" in french.get_text()
    assert soup.select_one('link[rel="stylesheet"]')
