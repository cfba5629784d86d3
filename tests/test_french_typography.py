"""French typography, as the Translation Bureau asks: a no-break space before
a colon and inside « », and the typographic apostrophe (’), in the catalogue
and on every French page a visitor can reach."""

import re

import polib
import pytest

from consulates.models import Office
from tests.support.pages import html
from tests.test_i18n import CATALOGUE

NBSP, NNBSP = "\u00a0", "\u202f"
SPACES = f"{NBSP}{NNBSP}"

# What breaks the rules, with what is allowed around it.
FAULTS = {
    "colon without a no-break space before it": re.compile(
        rf"(?<![{SPACES}])(?<!https)(?<!http)(?<!mailto)(?<!tel):(?!//)"
    ),
    "« without a no-break space after it": re.compile(rf"«(?![{SPACES}])"),
    "» without a no-break space before it": re.compile(rf"(?<![{SPACES}])»"),
    "straight apostrophe": re.compile(r"(?<=\w)'(?=\w)"),
}


def faults(text):
    text = re.sub(r"(?<=\d):(?=\d)", "", text)  # a time: 09:00
    return [
        f"{name}: …{text[max(0, m.start() - 30) : m.end() + 30]}…"
        for name, pattern in FAULTS.items()
        for m in pattern.finditer(text)
    ]


def without_placeholders(text):
    # "%(name)s", "{name}" and HTML tags are not text.
    return re.sub(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>", "", text)


def test_the_catalogue_follows_french_typography():
    found = []
    for entry in polib.pofile(str(CATALOGUE)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            found += [
                f"{entry.msgid!r}: {fault}"
                for fault in faults(without_placeholders(text))
            ]
    assert found == []


def visible_text(response):
    soup = html(response)
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    texts = [soup.title.get_text() if soup.title else ""]
    texts += [tag["alt"] for tag in soup.select("[alt]")]
    texts += [tag["content"] for tag in soup.select("meta[name=description]")]
    return "\n".join([*texts, soup.body.get_text(" ")])


def french_pages():
    """Every kind of French page, in each state a visitor can bring it to."""
    yield from ("/fr/", "/fr/relations/etats-unis/", "/fr/bureaux/")
    yield "/fr/bureaux/?country=US&kind=embassy"
    yield "/fr/bureaux/?country=XX&kind=palais"
    yield "/fr/bureaux/?city=Nulle-part"
    yield from (f"/fr/bureaux/{o.slug_fr}/" for o in Office.objects.published())
    yield from ("/fr/recherche/", "/fr/recherche/?q=commerce")
    yield "/fr/recherche/?q=zzyzxqv"
    yield "/fr/recherche/?q=" + "x" * 171
    yield "/fr/aucune-page/"
    yield "/fr/relations/etats-unis/?feedback=sent"


@pytest.mark.django_db
def test_every_french_page_follows_french_typography(client, demo):
    found = {}
    for url in french_pages():
        response = client.get(url)
        assert response.status_code in {200, 400, 404}, url
        if problems := faults(visible_text(response)):
            found[url] = problems
    # A report sent without JavaScript and refused: the page with its errors.
    refused = client.post(
        "/fr/signaler-un-probleme/", {"page": "/fr/relations/etats-unis/"}
    )
    if problems := faults(visible_text(refused)):
        found["report refused"] = problems
    assert found == {}
