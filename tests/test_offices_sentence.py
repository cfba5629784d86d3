"""The offices sentence is built from the Office rows, with each language's grammar."""

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from consulates.models import Office
from consulates.templatetags.offices import offices_sentence
from tests.support.pages import html

CANADA, PARTNER = Office.RunBy.CANADA, Office.RunBy.PARTNER
K = Office.Kind
CITIES = ["Atlanta", "Boston", "Chicago", "Dallas"]


def sentence(relationship, run_by, language):
    """The sentence as read: its text, without the links on the cities."""
    with translation.override(language):
        return BeautifulSoup(
            offices_sentence(relationship, run_by), "html.parser"
        ).get_text()


@pytest.fixture
def relationship(make_relationship):
    return make_relationship(
        partner_name_with_article_en="the United States",
        partner_name_with_article_fr="les États-Unis",
    )


@pytest.fixture
def add(relationship, make_office):
    def add(kind, *cities, run_by=CANADA, city_fr=None):
        for city in cities:
            make_office(
                relationship, city=city, city_fr=city_fr, kind=kind, run_by=run_by
            )

    return add


@pytest.mark.parametrize("language", ["en", "fr"])
def test_no_offices_no_sentence(relationship, language):
    assert sentence(relationship, CANADA, language) == ""
    assert sentence(relationship, PARTNER, language) == ""


# For each kind: (English one, English several, French one, French several).
KIND_PHRASES = {
    K.EMBASSY: ("an embassy", "embassies", "une ambassade", "des ambassades"),
    K.HIGH_COMMISSION: (
        "a high commission",
        "high commissions",
        "un haut-commissariat",
        "des hauts-commissariats",
    ),
    K.PERMANENT_MISSION: (
        "a permanent mission",
        "permanent missions",
        "une mission permanente",
        "des missions permanentes",
    ),
    K.CONSULATE_GENERAL: (
        "a consulate general",
        "consulates general",
        "un consulat général",
        "des consulats généraux",
    ),
    K.CONSULATE: ("a consulate", "consulates", "un consulat", "des consulats"),
    K.CONSULAR_AGENCY: (
        "a consular agency",
        "consular agencies",
        "une agence consulaire",
        "des agences consulaires",
    ),
    K.HONORARY_CONSUL: (
        "an honorary consul",
        "honorary consuls",
        "un consul honoraire",
        "des consuls honoraires",
    ),
    K.OFFICE: ("an office", "offices", "un bureau", "des bureaux"),
    K.TRADE_OFFICE: (
        "a trade office",
        "trade offices",
        "un bureau commercial",
        "des bureaux commerciaux",
    ),
}


def test_every_kind_has_phrases():
    assert set(KIND_PHRASES) == set(Office.Kind)


@pytest.mark.parametrize("kind", list(Office.Kind))
def test_one_office_of_each_kind(relationship, add, kind):
    one_en, _, one_fr, _ = KIND_PHRASES[kind]
    add(kind, "Atlanta")
    assert sentence(relationship, CANADA, "en") == f"Canada has {one_en} in Atlanta."
    assert sentence(relationship, CANADA, "fr") == f"Le Canada a {one_fr} à Atlanta."


@pytest.mark.parametrize("kind", list(Office.Kind))
def test_two_offices_of_each_kind(relationship, add, kind):
    _, several_en, _, several_fr = KIND_PHRASES[kind]
    add(kind, "Atlanta", "Boston")
    assert sentence(relationship, CANADA, "en") == (
        f"Canada has {several_en} in Atlanta and Boston."
    )
    assert sentence(relationship, CANADA, "fr") == (
        f"Le Canada a {several_fr} à Atlanta et à Boston."
    )


@pytest.mark.parametrize("kind", list(Office.Kind))
def test_many_offices_of_each_kind(relationship, add, kind):
    _, several_en, _, several_fr = KIND_PHRASES[kind]
    add(kind, *CITIES)
    assert sentence(relationship, CANADA, "en") == (
        f"Canada has {several_en} in Atlanta, Boston, Chicago and Dallas."
    )
    assert sentence(relationship, CANADA, "fr") == (
        f"Le Canada a {several_fr} à Atlanta, à Boston, à Chicago et à Dallas."
    )


def test_two_kinds_are_joined_with_and(relationship, add):
    add(K.CONSULATE_GENERAL, "Atlanta", "Boston")
    add(K.EMBASSY, "Washington, D.C.")
    assert sentence(relationship, CANADA, "en") == (
        "Canada has an embassy in Washington, D.C. and consulates general in "
        "Atlanta and Boston."
    )
    assert sentence(relationship, CANADA, "fr") == (
        "Le Canada a une ambassade à Washington, D.C. et des consulats généraux "
        "à Atlanta et à Boston."
    )


def test_three_kinds_get_a_clear_last_joint(relationship, add):
    add(K.EMBASSY, "Ottawa", run_by=PARTNER)
    add(K.CONSULATE_GENERAL, "Calgary", "Toronto", run_by=PARTNER)
    add(K.CONSULATE, "Winnipeg", run_by=PARTNER)
    assert sentence(relationship, PARTNER, "en") == (
        "The United States maintains an embassy in Ottawa, consulates general in "
        "Calgary and Toronto, and a consulate in Winnipeg."
    )
    assert sentence(relationship, PARTNER, "fr") == (
        "Les États-Unis ont une ambassade à Ottawa, des consulats généraux à "
        "Calgary et à Toronto, et un consulat à Winnipeg."
    )


def test_each_side_lists_only_its_own_offices(relationship, add):
    add(K.EMBASSY, "Washington, D.C.")
    add(K.EMBASSY, "Ottawa", run_by=PARTNER)
    assert "Ottawa" not in sentence(relationship, CANADA, "en")
    assert "Washington" not in sentence(relationship, PARTNER, "fr")


@pytest.mark.parametrize(
    ("code", "name_fr", "expected_fr"),
    [
        ("MX", "le Mexique", "Le Mexique a une ambassade à Ottawa."),
        ("NL", "les Pays-Bas", "Les Pays-Bas ont une ambassade à Ottawa."),
        ("IL", "Israël", "Israël a une ambassade à Ottawa."),
    ],
)
def test_french_verb_agrees_with_the_partner_name(
    make_relationship, make_office, code, name_fr, expected_fr
):
    relationship = make_relationship(
        code=code,
        partner_name_with_article_en="the partner",
        partner_name_with_article_fr=name_fr,
    )
    make_office(relationship, run_by=PARTNER, city="Ottawa")
    assert sentence(relationship, PARTNER, "fr") == expected_fr
    assert sentence(relationship, PARTNER, "en") == (
        "The partner maintains an embassy in Ottawa."
    )


def test_french_preposition_contracts_with_a_city_article(relationship, add):
    add(K.EMBASSY, "Cairo", city_fr="Le Caire")
    assert sentence(relationship, CANADA, "fr") == "Le Canada a une ambassade au Caire."
    assert sentence(relationship, CANADA, "en") == "Canada has an embassy in Cairo."


def test_french_repeats_the_preposition_and_contracts_it(relationship, add):
    add(K.CONSULATE, "Cairo", city_fr="Le Caire")
    add(K.CONSULATE, "Alexandria", city_fr="Alexandrie")
    add(K.CONSULATE, "Les Abymes", city_fr="Les Abymes")
    assert sentence(relationship, CANADA, "fr") == (
        "Le Canada a des consulats au Caire, à Alexandrie et aux Abymes."
    )


def test_unpublished_offices_are_left_out(relationship, make_office, client):
    make_office(relationship, city="Ottawa")
    make_office(relationship, city="Toronto", kind=K.CONSULATE, status="draft")
    assert sentence(relationship, CANADA, "en") == "Canada has an embassy in Ottawa."


def test_adding_and_removing_an_office_changes_both_pages(client, demo, make_office):
    office = make_office(
        demo,
        run_by=PARTNER,
        kind=K.TRADE_OFFICE,
        city="Iqaluit",
    )
    english = html(client.get("/en/relations/united-states/"))
    french = html(client.get("/fr/relations/etats-unis/"))
    assert (
        "and a trade office in Iqaluit." in english.select_one(".offices-sentence").text
    )
    assert (
        "et un bureau commercial à Iqaluit."
        in french.select_one(".offices-sentence").text
    )

    office.delete()
    english = html(client.get("/en/relations/united-states/"))
    assert "Iqaluit" not in english.select_one(".offices-sentence").text
