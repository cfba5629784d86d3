"""The demo relationship page shows the seed page's text, in the seed's order."""

import re
from pathlib import Path

import pytest

from tests.support.pages import html

SEED = Path(__file__).parent / "data" / "seed-page.txt"
SECTIONS_EN = [
    "Bilateral relationship",
    "COVID-19 Cooperation",
    "Security and defence cooperation",
    "Shared environment",
    "Promoting fair and just societies",
    "Trade relationship",
    "Trade and investment agreements",
    "Partners and organizations",
]
SECTIONS_FR = [
    "Relation bilatérale",
    "Coopération relative à la COVID-19",
    "Coopération en matière de sécurité et de défense",
    "Environnement commun",
    "Promouvoir des sociétés justes et équitables",
    "Relation commerciale",
    "Accords de commerce et d’investissement",
    "Partenaires et organisations",
]


def normalize(text):
    return re.sub(r"\s+", " ", text).strip()


def seed_sections():
    """Return {section title: [paragraph or bullet, …]} from the seed text."""
    lines = [normalize(line.lstrip(" •")) for line in SEED.read_text().splitlines()]
    lines = [line for line in lines if line]
    body = lines[lines.index("Canada’s areas of action") + 1 :]
    body = body[: body.index("Report a problem on this page")]
    sections, current = {}, None
    for line in body:
        if line in SECTIONS_EN:
            current = sections.setdefault(line, [])
        else:
            current.append(line)
    return sections


def page_sections(soup):
    """Return {section title: [paragraph or bullet, …]} as the page shows them."""
    sections = {}
    for section in soup.select("section.topic"):
        blocks = [
            normalize(element.get_text())
            for element in section.find_all(["p", "li"])
            if not element.find_parent(class_="linked-items")
        ]
        sections[normalize(section.h2.get_text())] = blocks
    return sections


@pytest.fixture
def english(client, demo):
    return html(client.get("/en/relations/united-states/"))


@pytest.fixture
def french(client, demo):
    return html(client.get("/fr/relations/etats-unis/"))


def test_title_and_in_page_navigation(english, french):
    assert english.h1.get_text() == "Canada-United States relations"
    assert french.h1.get_text() == "Relations Canada–États-Unis"
    assert english.select_one(".areas-of-action h2").get_text() == (
        "Canada’s areas of action"
    )
    assert french.select_one(".areas-of-action h2").get_text() == (
        "Domaines d’action du Canada"
    )
    for soup, titles in [(english, SECTIONS_EN), (french, SECTIONS_FR)]:
        links = soup.select(".areas-of-action a")
        assert [a.get_text() for a in links] == titles
        for link in links:
            target = soup.find(id=link["href"].removeprefix("#"))
            assert target is not None and target.name == "h2"


def test_sections_follow_the_seed_order(english, french):
    assert list(seed_sections()) == SECTIONS_EN
    assert list(page_sections(english)) == SECTIONS_EN
    assert list(page_sections(french)) == SECTIONS_FR


def test_english_text_matches_the_seed(english):
    seed, page = seed_sections(), page_sections(english)
    for title in SECTIONS_EN:
        expected, shown = seed[title], page[title]
        if title == "Bilateral relationship":
            # The seed's last paragraph is the offices sentence; the page
            # generates it from the offices, naming each partner office city.
            *expected, seed_offices = expected
            *shown, page_offices = shown
            canada_sentence = seed_offices.split(". The United States")[0] + "."
            assert page_offices.startswith(canada_sentence + " ")
            assert "The United States maintains an embassy in Ottawa" in page_offices
        assert shown == expected, title


def test_french_sections_have_the_same_structure(english, french):
    for (_, en_blocks), (fr_title, fr_blocks) in zip(
        page_sections(english).items(), page_sections(french).items(), strict=True
    ):
        assert len(fr_blocks) == len(en_blocks), fr_title
        assert all(fr_blocks), fr_title


def test_french_page_contains_no_english_seed_text(french):
    french_text = normalize(french.body.get_text())
    for blocks in seed_sections().values():
        for block in blocks:
            assert block not in french_text


def test_agreements_and_organizations_are_listed(english, french):
    expected = {
        english: (
            ["Canada-United States-Mexico Agreement (CUSMA)"],
            ["G7", "G20", "United Nations (UN)", "World Trade Organization (WTO)"],
        ),
        french: (
            ["Accord Canada–États-Unis–Mexique (ACEUM)"],
            ["G7", "G20", "Organisation des Nations Unies (ONU)"],
        ),
    }
    for soup, (agreements, organizations) in expected.items():
        lists = soup.select("ul.linked-items")
        assert len(lists) == 2
        agreement_names = [a.get_text() for a in lists[0].select("a")]
        organization_names = [a.get_text() for a in lists[1].select("a")]
        assert set(agreements) <= set(agreement_names)
        assert set(organizations) <= set(organization_names)
        for link in soup.select("ul.linked-items a"):
            assert link["href"].startswith("https://")
    french_links = [a["href"] for a in french.select("ul.linked-items a")]
    assert all(href.endswith("lang=fra") for href in french_links)


def test_seed_offices_sentence_in_french(french):
    sentence = normalize(french.select_one(".offices-sentence").get_text())
    assert sentence.startswith(
        "Le Canada a une ambassade à Washington, D.C. et des consulats généraux à "
        "Atlanta, à Boston, à Chicago, à Dallas, à Denver, à Detroit, à Los Angeles, "
        "à Miami, à Minneapolis, à New York, à San Francisco et à Seattle. "
    )
    assert sentence.endswith(
        "Les États-Unis ont une ambassade à Ottawa, des consulats généraux à "
        "Calgary, à Halifax, à Montréal, à Québec, à Toronto et à Vancouver, et un "
        "consulat à Winnipeg."
    )
