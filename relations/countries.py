"""The countries of ISO 3166-1 (pycountry, with its French names) and the
ministry's regions, as the Government of Canada names them.

relations/data/regions.toml lists the regions and their countries;
relations/data/country_names.toml the names Canada uses where ISO's differ.
"""

import gettext
import tomllib
from pathlib import Path

import pycountry
from django.utils.text import slugify

DATA = Path(__file__).with_name("data")
# Each language's travel advice for a country, at the country's name.
TRAVEL_ADVICE = {
    "en": "https://travel.gc.ca/destinations/{slug}",
    "fr": "https://voyage.gc.ca/destinations/{slug}",
}


def regions():
    """Return [(key, {"en": name, "fr": name}, [country codes])], in order."""
    with (DATA / "regions.toml").open("rb") as file:
        listed = tomllib.load(file)["regions"]
    return [
        (
            region["key"],
            {"en": region["en"], "fr": region["fr"]},
            region["countries"].split(),
        )
        for region in listed
    ]


def countries():
    """Return {code: {"en": name, "fr": name}} for every ISO 3166-1 country."""
    french = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True
    )
    with (DATA / "country_names.toml").open("rb") as file:
        canada = tomllib.load(file)
    names = {}
    for country in pycountry.countries:
        names[country.alpha_2] = canada.get(country.alpha_2) or {
            "en": getattr(country, "common_name", None) or country.name,
            "fr": french.gettext(country.name).replace("'", "’"),
        }
    return names


def travel_advice_url(name, language):
    return TRAVEL_ADVICE[language].format(slug=slugify(name))


def load(Region, Country):
    """Create the regions and the countries that do not exist yet; leave
    those that do (and editors' names) as they are. Takes the models, so a
    migration can pass its own."""
    region_of = {}
    for order, (key, names, codes) in enumerate(regions()):
        region, _created = Region.objects.get_or_create(
            key=key,
            defaults={
                "name_en": names["en"],
                "name_fr": names["fr"],
                "name": names["en"],
                "sort_order": order,
            },
        )
        region_of.update(dict.fromkeys(codes, region))
    existing = set(Country.objects.values_list("code", flat=True))
    Country.objects.bulk_create(
        Country(
            code=code,
            name=names["en"],
            name_en=names["en"],
            name_fr=names["fr"],
            travel_advice_url=travel_advice_url(names["en"], "en"),
            travel_advice_url_en=travel_advice_url(names["en"], "en"),
            travel_advice_url_fr=travel_advice_url(names["fr"], "fr"),
            region=region_of.get(code),
        )
        for code, names in sorted(countries().items())
        if code not in existing
    )
