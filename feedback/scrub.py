"""Mask personal information in visitors' comments before anything is stored.

Each kind of information is replaced by a fixed mask in the comment's language
("[email]", « [courriel] »). The patterns lean towards masking: a few ordinary
words lost next to an address are better than an address kept.
"""

import re

from django.utils import translation
from django.utils.translation import pgettext_lazy

# Translators: each mask replaces personal information in a visitor's comment.
MASKS = {
    "email": pgettext_lazy("personal information mask", "[email]"),
    "card": pgettext_lazy("personal information mask", "[card number]"),
    "phone": pgettext_lazy("personal information mask", "[phone]"),
    "postal_code": pgettext_lazy("personal information mask", "[postal code]"),
    "passport": pgettext_lazy("personal information mask", "[passport]"),
    "number": pgettext_lazy("personal information mask", "[number]"),
    "address": pgettext_lazy("personal information mask", "[address]"),
}

# name@example.com, and spelled out: "name at example dot com",
# « nom arobase exemple point ca », "name (at) example [dot] org".
_SPELLED_AT = r"(?:at|arobas|arobase)"
_SPELLED_DOT = r"(?:dot|point)"
_AT = rf"(?:\s*@\s*|\s*[(\[{{<]\s*{_SPELLED_AT}\s*[)\]}}>]\s*|\s+{_SPELLED_AT}\s+)"
_DOT = rf"(?:\.|\s*[(\[{{<]\s*{_SPELLED_DOT}\s*[)\]}}>]\s*|\s+{_SPELLED_DOT}\s+)"
EMAIL = re.compile(
    rf"[\w.+'-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,24}}\b", re.IGNORECASE
)

# Runs of 9 or more digits, alone or in groups split by a space or a dash.
DIGIT_RUN = re.compile(r"(?<![\w.,])\d(?:[ -]?\d){8,}(?![\w])")

_EXTENSION = r"(?:\s*(?:ext\.?|x|extension|poste|p\.)\s*\d{1,6})?"
PHONE = re.compile(
    # International: +44 20 7946 0958, +33 1 23 45 67 89, +61 (2) 9374 4000.
    r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,6}"
    rf"{_EXTENSION}"
    # North American: (613) 555-0100, 1-800-622-6232, 613.555.0100.
    r"|(?<![\w-])(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\w-])"
    rf"{_EXTENSION}"
    # Local: 555-0100.
    r"|(?<![\w.-])\d{3}[.-]\d{4}(?![\w.-])",
    re.IGNORECASE,
)

# Canadian postal codes: K1A 0B1, h3b1h4, M5G-1S4.
POSTAL_CODE = re.compile(
    r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b",
    re.IGNORECASE,
)

# Passport numbers: AB123456 (Canada), C12345678; any code after the word.
PASSPORT = re.compile(
    r"(?P<keyword>\b(?:passport|passeport)\b"
    r"(?:\s+(?:no\.?|number|num[ée]ro|n[°o]\.?|#))?\s*[:#]?\s*)[A-Z0-9]{6,9}\b"
    r"|\b[A-Z]{1,2}\d{6,8}\b",
    re.IGNORECASE,
)

# Words that end a street name: an address is not followed by these.
_STOPWORDS = (
    r"(?:the|a|an|on|in|at|of|to|for|and|or|my|your|our|this|that|from|by|with|is"
    r"|et|ou|mais|je|j|il|elle|nous|vous|on|qui|que|est|sont|pour|dans|avec|sur"
    r"|par|pas|ne|se|ce|cette|mon|ma|mes|son|sa|ses|votre|notre|en|y|à|a)"
)
_WORD = rf"(?!{_STOPWORDS}\b)[\w'’.-]+"
_EN_STREET_TYPE = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|lane|ln|way|court|ct"
    r"|crescent|cres|place|pl|terrace|trail|parkway|pkwy|highway|hwy|circle|cir"
    r"|square|sq|row|close|gate|grove|heights|hts)"
)
_FR_STREET_TYPE = (
    r"(?:rue|avenue|av|boulevard|boul|bd|chemin|ch|route|rang|place|promenade"
    r"|allée|allee|impasse|côte|cote|montée|montee|croissant|terrasse|sentier"
    r"|voie|autoroute|quai|cours|square|carré|carre|ruelle|passage|rond-point)"
)
_DIRECTION = (
    r"(?:\s+(?:north|south|east|west|nord|sud|est|ouest|n|s|e|w|ne|nw|se|sw)\b\.?)?"
)
STREET_ADDRESS = re.compile(
    # 123 Main Street, 500 North Akard St., 1 Sussex Dr NW
    rf"(?<!\w)\d{{1,6}}[a-z]?(?:[\s,]+{_WORD}){{1,4}}?\s+{_EN_STREET_TYPE}\b\.?"
    rf"{_DIRECTION}"
    # 45 rue Sainte-Catherine, 490, promenade Sussex, 12 bis ch. de la Côte
    rf"|(?<!\w)\d{{1,6}}(?:\s?(?:bis|ter|[a-z]))?,?\s+{_FR_STREET_TYPE}\b\.?"
    rf"(?:\s+{_WORD}){{1,3}}{_DIRECTION}",
    re.IGNORECASE,
)


def luhn_valid(digits):
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _is_year_list(text):
    groups = re.split(r"[ -]", text)
    return all(len(g) == 4 and 1900 <= int(g) <= 2099 for g in groups)


def scrub(text, language=None):
    """Return `text` with personal information replaced by masks."""
    if not text:
        return text
    with translation.override(language or translation.get_language()):
        masks = {kind: str(mask) for kind, mask in MASKS.items()}

    def card_or_keep(match):
        digits = re.sub(r"\D", "", match.group())
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            return masks["card"]
        return match.group()

    def number_or_keep(match):
        return match.group() if _is_year_list(match.group()) else masks["number"]

    text = EMAIL.sub(masks["email"], text)
    text = DIGIT_RUN.sub(card_or_keep, text)
    text = PHONE.sub(masks["phone"], text)
    text = POSTAL_CODE.sub(masks["postal_code"], text)
    text = PASSPORT.sub(
        lambda match: (match.group("keyword") or "") + masks["passport"], text
    )
    text = DIGIT_RUN.sub(number_or_keep, text)
    text = STREET_ADDRESS.sub(masks["address"], text)
    return text
