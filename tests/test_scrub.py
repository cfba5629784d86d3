"""Personal information is masked before a comment is stored."""

import pytest

from feedback.scrub import luhn_valid, scrub

EMAILS = [
    "jean.tremblay@example.ca",
    "Jean.Tremblay+feedback@sub.example.gc.ca",
    "name @ example.com",
    "name at example dot com",
    "name (at) example (dot) com",
    "name [at] example [dot] co [dot] uk",
    "nom arobase exemple point ca",
    "nom.prenom (arobase) courriel point qc point ca",
]
PHONES = [
    "613-555-0100",
    "(613) 555-0100",
    "613.555.0100",
    "613 555 0100",
    "+1 613 555 0100",
    "1-800-622-6232",
    "1 (800) 622-6232",
    "613-555-0100 ext. 1234",
    "613 555-0100 poste 22",
    "555-0100",
    "+44 20 7946 0958",
    "+33 1 23 45 67 89",
    "+61 (2) 9374 4000",
    "+52 55 5724 7900",
]
POSTAL_CODES = ["K1A 0B1", "k1a0b1", "H3B 1H4", "M5G-1S4", "V6E 2M6"]
NUMBERS = ["123 456 789", "123-456-789", "123456789", "0463 1289 22", "1234567890123"]
CARDS = [
    "4111 1111 1111 1111",
    "4111-1111-1111-1111",
    "5500005555555559",
    "3782 822463 10005",
]
PASSPORTS = [
    ("passport AB123456", "passport "),
    ("my passport number is GA302922", None),
    ("Passport No. HK123456", "Passport No. "),
    ("passeport n° AB123456", "passeport n° "),
    ("numéro de passeport : C12345678", None),
    ("AB123456", ""),
]
ADDRESSES = [
    ("I live at 123 Main Street in Ottawa", "I live at [address] in Ottawa"),
    ("send it to 500 North Akard St. please", "send it to [address] please"),
    ("1 Sussex Dr NW", "[address]"),
    ("12 Elm Ave, Toronto", "[address], Toronto"),
    ("4567 lakeshore boulevard west", "[address]"),
    (
        "J’habite au 45 rue Sainte-Catherine à Montréal",
        "J’habite au [adresse] à Montréal",
    ),
    ("490, promenade Sussex, Ottawa", "[adresse], Ottawa"),
    ("1134 rue Sainte-Catherine Ouest", "[adresse]"),
    ("12 bis chemin de la Côte-Sainte-Catherine et merci", "[adresse] et merci"),
    ("3 boul. René-Lévesque Est", "[adresse]"),
]
ORDINARY = [
    "On February 23, 2021, Canada and the United States committed to a Roadmap.",
    "Le 23 février 2021, le Canada et les États-Unis se sont engagés.",
    "The G7 and G20 met; CUSMA replaced NAFTA in 2020.",
    "See section 3.2.1 and article 23 of the agreement.",
    "NORAD was created in 1957.",
    "A border close to 9,000 km (more than 5,500 miles) long.",
    "Une frontière de près de 9 000 km.",
    "They employ 725,000 Americans; 725 000 Américains.",
    "COVID-19 cooperation, Bill C-11, dated 2021-02-23.",
    "Reports from 2019 2020 2021 are missing.",
    "I waited 3 hours on the street.",
    "The link to page 4 is broken and the video does not play.",
    "Le lien de la page 12 ne fonctionne pas.",
]


@pytest.mark.parametrize("email", EMAILS)
@pytest.mark.parametrize(
    ("language", "mask"), [("en", "[email]"), ("fr", "[courriel]")]
)
def test_emails_are_masked(email, language, mask):
    assert scrub(f"Write to {email} today", language) == f"Write to {mask} today"


@pytest.mark.parametrize("phone", PHONES)
def test_phone_numbers_are_masked(phone):
    assert scrub(f"Call {phone} now", "en") == "Call [phone] now"
    assert scrub(f"Appelez le {phone} svp", "fr") == "Appelez le [téléphone] svp"


@pytest.mark.parametrize("code", POSTAL_CODES)
def test_canadian_postal_codes_are_masked(code):
    assert scrub(f"Ottawa ON {code}", "en") == "Ottawa ON [postal code]"
    assert scrub(f"Ottawa (Ontario) {code}", "fr") == "Ottawa (Ontario) [code postal]"


@pytest.mark.parametrize("number", NUMBERS)
def test_numbers_of_nine_digits_or_more_are_masked(number):
    assert scrub(f"My SIN is {number}.", "en") == "My SIN is [number]."
    assert scrub(f"Mon NAS est {number}.", "fr") == "Mon NAS est [numéro]."


@pytest.mark.parametrize("card", CARDS)
def test_credit_card_numbers_are_masked(card):
    assert luhn_valid(card.replace(" ", "").replace("-", ""))
    assert scrub(f"card {card} expired", "en") == "card [card number] expired"
    assert scrub(f"carte {card} expirée", "fr") == "carte [numéro de carte] expirée"


@pytest.mark.parametrize(("text", "kept"), PASSPORTS)
def test_passport_numbers_are_masked(text, kept):
    result = scrub(text, "en")
    assert "[passport]" in result
    assert not any(char.isdigit() for char in result)
    if kept is not None:
        assert result == f"{kept}[passport]"


@pytest.mark.parametrize(("text", "expected"), ADDRESSES)
def test_street_addresses_are_masked(text, expected):
    language = "fr" if "[adresse]" in expected else "en"
    assert scrub(text, language) == expected


@pytest.mark.parametrize("text", ORDINARY)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_ordinary_text_is_left_alone(text, language):
    assert scrub(text, language) == text


def test_several_kinds_in_one_comment():
    text = (
        "I'm Jean, jean@example.ca, 613-555-0100, 123 Main Street, Ottawa ON K1A 0B1, "
        "SIN 046 454 286, passport AB123456."
    )
    assert scrub(text, "en") == (
        "I'm Jean, [email], [phone], [address], Ottawa ON [postal code], "
        "SIN [number], passport [passport]."
    )


def test_empty_comment_stays_empty():
    assert scrub("", "en") == ""
