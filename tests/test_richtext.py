"""Topic bodies are rich text kept to the allow-list, on save and on the page."""

import pytest

from relations.models import Topic
from relations.richtext import sanitize
from tests.support.pages import html

HOSTILE = [
    ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>"),
    ('<p onclick="steal()">Hi</p>', "<p>Hi</p>"),
    ('<p style="color:red">Hi</p>', "<p>Hi</p>"),
    ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
    ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "<a>x</a>"),
    ('<iframe src="https://evil.example"></iframe><p>ok</p>', "<p>ok</p>"),
    ("<style>p{display:none}</style><p>ok</p>", "<p>ok</p>"),
    ('<img src=x onerror="alert(1)"><p>ok</p>', "<p>ok</p>"),
    ("<svg><script>alert(1)</script></svg>", ""),
    ("<!-- comment --><p>ok</p>", "<p>ok</p>"),
    ("<h2>Not allowed</h2><h3>Allowed</h3>", "Not allowed<h3>Allowed</h3>"),
]
ALLOWED = (
    '<p>A <strong>b</strong> <em>c</em> <a href="https://www.canada.ca/">d</a></p>'
    "<h3>h3</h3><h4>h4</h4><ul><li>one</li></ul><ol><li>two</li></ol>"
    "<blockquote>quote</blockquote>"
    '<p><a href="/fr/">relative</a> <a href="mailto:a@b.ca">mail</a></p>'
)


@pytest.mark.parametrize(("dirty", "clean"), HOSTILE)
def test_sanitizer_removes_what_is_not_allowed(dirty, clean):
    assert sanitize(dirty) == clean


def test_sanitizer_keeps_the_allow_list():
    assert sanitize(ALLOWED) == ALLOWED


def test_saving_a_topic_stores_sanitized_html(make_relationship, make_topic):
    topic = make_topic(
        make_relationship(),
        body_en='<p onclick="x()">Hello<script>alert(1)</script></p>',
        body_fr='<p>Bonjour</p><iframe src="https://evil.example"></iframe>',
        closing_en='<a href="javascript:alert(1)">more</a>',
    )
    stored = (
        Topic.objects.filter(pk=topic.pk)
        .values("body_en", "body_fr", "closing_en")
        .get()
    )
    assert stored == {
        "body_en": "<p>Hello</p>",
        "body_fr": "<p>Bonjour</p>",
        "closing_en": "<a>more</a>",
    }


@pytest.mark.parametrize(
    "url", ["/en/relations/united-states/", "/fr/relations/etats-unis/"]
)
def test_hostile_html_never_reaches_the_page(client, demo, url):
    # A bulk update bypasses save(): the page must sanitise on its own.
    Topic.objects.filter(relationship=demo).update(
        body_en='<p onclick="steal()">x</p><script>alert("en")</script>',
        body_fr='<p onclick="steal()">x</p><script>alert("fr")</script>',
        closing_en='<a href="javascript:alert(1)">x</a>',
        closing_fr='<a href="javascript:alert(1)">x</a>',
    )
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "alert(" not in body
    assert "onclick" not in body
    assert "javascript:" not in body
    soup = html(response)
    assert all(script.get("src") and not script.string for script in soup("script"))
    assert len(soup.select("section.topic")) == 8
