"""The sentences that list a relationship's offices, built from the Office rows.

"Canada has an embassy in Washington, D.C. and consulates general in Atlanta,
Boston and Seattle." / « Le Canada a une ambassade à Washington, D.C. et des
consulats généraux à Atlanta, à Boston et à Seattle. »
"""

from django import template
from django.utils.text import capfirst, get_text_list
from django.utils.translation import get_language, gettext, npgettext, pgettext

from consulates.models import Office

register = template.Library()

KIND_ORDER = {kind: position for position, kind in enumerate(Office.Kind)}


@register.simple_tag
def offices_sentence(relationship, run_by):
    """Return the sentence listing the offices `run_by` one side, or ""."""
    offices = [
        o for o in relationship.offices.all() if o.is_live() and o.run_by == run_by
    ]
    if not offices:
        return ""
    listed = join_groups(
        [
            f"{kind_phrase(kind, len(group))} {in_cities([o.city for o in group])}"
            for kind, group in group_by_kind(offices)
        ]
    )
    if run_by == Office.RunBy.CANADA:
        return gettext("Canada has %(offices)s.") % {"offices": listed}
    partner = capfirst(relationship.partner_name_with_article)
    if takes_plural_verb(partner):
        sentence = pgettext(
            "offices sentence; the partner's name takes a plural verb",
            "%(partner)s maintains %(offices)s.",
        )
    else:
        sentence = pgettext(
            "offices sentence; the partner's name takes a singular verb",
            "%(partner)s maintains %(offices)s.",
        )
    return sentence % {"partner": partner, "offices": listed}


def group_by_kind(offices):
    groups = {}
    for office in offices:
        groups.setdefault(office.kind, []).append(office)
    return sorted(groups.items(), key=lambda item: KIND_ORDER.get(item[0], 99))


def kind_phrase(kind, count):
    """Return "an embassy" or "embassies": the article agrees in each language."""
    match kind:
        case Office.Kind.EMBASSY:
            return npgettext("offices sentence", "an embassy", "embassies", count)
        case Office.Kind.HIGH_COMMISSION:
            return npgettext(
                "offices sentence", "a high commission", "high commissions", count
            )
        case Office.Kind.PERMANENT_MISSION:
            return npgettext(
                "offices sentence", "a permanent mission", "permanent missions", count
            )
        case Office.Kind.CONSULATE_GENERAL:
            return npgettext(
                "offices sentence", "a consulate general", "consulates general", count
            )
        case Office.Kind.CONSULATE:
            return npgettext("offices sentence", "a consulate", "consulates", count)
        case Office.Kind.CONSULAR_AGENCY:
            return npgettext(
                "offices sentence", "a consular agency", "consular agencies", count
            )
        case Office.Kind.HONORARY_CONSUL:
            return npgettext(
                "offices sentence", "an honorary consul", "honorary consuls", count
            )
        case Office.Kind.TRADE_OFFICE:
            return npgettext(
                "offices sentence", "a trade office", "trade offices", count
            )
        case _:
            return npgettext("offices sentence", "an office", "offices", count)


def in_cities(cities):
    """Return "in Atlanta and Boston" / « à Atlanta et à Boston »."""
    cities = list(dict.fromkeys(cities))
    and_ = pgettext("joins the last two items of a list", "and")
    if get_language() == "fr":
        # French repeats the preposition before each place of a list, and
        # contracts it with a city's article: « à Ottawa et au Caire ».
        return get_text_list([french_at(c) for c in cities], and_)
    preposition = pgettext("before a city name", "in")
    return f"{preposition} {get_text_list(cities, and_)}"


def french_article(city):
    return next((a for a in ("Le ", "Les ") if city.startswith(a)), None)


def french_at(city):
    """Return « à Ottawa », « au Caire » (à + le), « aux Abymes » (à + les)."""
    match french_article(city):
        case "Le ":
            return f"au {city[3:]}"
        case "Les ":
            return f"aux {city[4:]}"
        case _:
            return f"à {city}"


def takes_plural_verb(name):
    # Only French country names take a plural verb (« les États-Unis ont »);
    # English uses the singular ("the United States has").
    return get_language() == "fr" and name.casefold().startswith("les ")


def join_groups(phrases):
    if len(phrases) < 3:
        return get_text_list(
            phrases, pgettext("joins the last two items of a list", "and")
        )
    # Each group may itself hold a list joined with "and", so the last group
    # gets a clearer joint.
    last_joint = pgettext("before the last of three or more groups of offices", ", and")
    return f"{', '.join(phrases[:-1])}{last_joint} {phrases[-1]}"
