"""The sentences that list a relationship's offices, built from the Office rows.

"Canada has an embassy in Washington, D.C. and consulates general in Atlanta,
Boston and Seattle." / « Le Canada a une ambassade à Washington, D.C. et des
consulats généraux à Atlanta, à Boston et à Seattle. »
"""

import json
from urllib.parse import urlsplit

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext, npgettext, pgettext

from consulates.models import Office

register = template.Library()

KIND_ORDER = {kind: position for position, kind in enumerate(Office.Kind)}


@register.simple_tag
def offices_sentence(relationship, run_by, offices=None):
    """Return the sentence listing the offices `run_by` one side, or "":
    `offices`, or the relationship's."""
    if offices is None:
        offices = relationship.offices.all()
    offices = [o for o in offices if o.is_live() and o.run_by == run_by]
    if not offices:
        return ""
    listed = join_groups(
        [
            format_html("{} {}", kind_phrase(kind, len(group)), in_cities(group))
            for kind, group in group_by_kind(offices)
        ]
    )
    if run_by == Office.RunBy.CANADA:
        return html_percent(gettext("Canada has %(offices)s."), offices=listed)
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
    return html_percent(sentence, partner=partner, offices=listed)


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


def in_cities(offices):
    """Return "in Atlanta and Boston" / « à Atlanta et à Boston », each city
    linked to its office's page."""
    first_in_city = {}
    for office in offices:
        first_in_city.setdefault(office.city, office)
    and_ = pgettext("joins the last two items of a list", "and")
    if get_language() == "fr":
        # French repeats the preposition before each place of a list, and
        # contracts it with a city's article: « à Ottawa et au Caire ».
        places = []
        for city, office in first_in_city.items():
            preposition, name = french_at(city)
            places.append(format_html("{} {}", preposition, city_link(name, office)))
        return html_list(places, and_)
    preposition = pgettext("before a city name", "in")
    links = [city_link(city, office) for city, office in first_in_city.items()]
    return format_html("{} {}", preposition, html_list(links, and_))


def city_link(name, office):
    return format_html('<a href="{}">{}</a>', office.get_absolute_url(), name)


def french_article(city):
    return next((a for a in ("Le ", "Les ") if city.startswith(a)), None)


def french_at(city):
    """Return ("à", "Ottawa"), ("au", "Caire") (à + le), ("aux", "Abymes")."""
    match french_article(city):
        case "Le ":
            return "au", city[3:]
        case "Les ":
            return "aux", city[4:]
        case _:
            return "à", city


def takes_plural_verb(name):
    # Only French country names take a plural verb (« les États-Unis ont »);
    # English uses the singular ("the United States has").
    return get_language() == "fr" and name.casefold().startswith("les ")


def join_groups(phrases):
    if len(phrases) < 3:
        return html_list(phrases, pgettext("joins the last two items of a list", "and"))
    # Each group may itself hold a list joined with "and", so the last group
    # gets a clearer joint.
    last_joint = pgettext("before the last of three or more groups of offices", ", and")
    head = mark_safe(", ".join(conditional_escape(p) for p in phrases[:-1]))
    return format_html("{}{} {}", head, last_joint, phrases[-1])


def html_list(items, last_word):
    """Like get_text_list, for HTML: "a, b and c" with each item escaped unless safe."""
    items = [conditional_escape(item) for item in items]
    if len(items) < 2:
        return mark_safe("".join(items))
    head = ", ".join(items[:-1])
    return mark_safe(f"{head} {conditional_escape(last_word)} {items[-1]}")


def html_percent(template, **values):
    """Fill a translated "%(name)s" template, escaping it and each value unless safe."""
    escaped = {name: conditional_escape(value) for name, value in values.items()}
    return mark_safe(conditional_escape(template) % escaped)


@register.filter
def tel_uri(number):
    """Return the `tel:` address of a number as written (RFC 3966: + and digits)."""
    digits = "".join(c for c in number if c.isascii() and c.isdigit())
    return f"tel:+{digits}" if number.lstrip().startswith("+") else f"tel:{digits}"


@register.simple_tag(takes_context=True)
def office_json_ld(context, office):
    """Return the office as schema.org GovernmentOffice JSON-LD, in this language."""
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "GovernmentOffice",
        "name": office.name,
        "url": request.build_absolute_uri(office.get_absolute_url()),
        "inLanguage": "fr-CA" if get_language() == "fr" else "en-CA",
        "address": {
            "@type": "PostalAddress",
            "streetAddress": ", ".join(office.address.splitlines()),
            "addressLocality": office.city,
        },
    }
    optional = {
        "telephone": office.phone,
        "faxNumber": office.fax,
        "email": office.email,
        "sameAs": office.website,
    }
    data.update({key: value for key, value in optional.items() if value})
    if office.latitude is not None and office.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(office.latitude),
            "longitude": float(office.longitude),
        }
    # Escaped so that no value can close the script element.
    text = json.dumps(data, ensure_ascii=False).translate(
        {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
    )
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text)
    )


@register.filter
def domain(url):
    """Return the host a link leads to, as its text: "example.org" for
    "https://www.example.org/en/page?x=1"; a long address wraps badly."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")
