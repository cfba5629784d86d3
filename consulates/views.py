"""The office directory and each office's page."""

import itertools

from django import forms
from django.core.paginator import Paginator
from django.db.models import Max, Min, Q
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from publishing.languages import LANGUAGES
from relations.models import Relationship
from relations.preview import PreviewMixin
from relations.views import alphabetical

from .models import Office, ServedCountry


def published_offices():
    """Offices visitors see: published, on a published relationship page."""
    return (
        Office.objects.published()
        .filter(relationship__in=Relationship.objects.published())
        .select_related("relationship")
    )


# Offices on a page of the directory: a page stays small however many there are.
OFFICES_PER_PAGE = 50


class ListSelect(forms.Select):
    """A select of a long list (200 countries, their cities), its options
    written out directly: Django's widget templates render each option as a
    template of its own, which took most of the directory's time."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        chosen = str(value or "")
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) == chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html(
            '<select name="{}"{}>{}</select>', name, flatatt(attrs), options
        )


def office_pages():
    """Offices whose page visitors may open: published or archived (with the
    archived notice), on a relationship page visitors may see, published or
    archived. The search finds the same (relations.search.Source)."""
    return Office.objects.visible().filter(
        relationship__in=Relationship.objects.visible()
    )


class DirectoryFilter(forms.Form):
    """The directory's filters: plain GET parameters, so a filtered list can be
    bookmarked and shared."""

    country = forms.ChoiceField(
        label=gettext_lazy("Country"),
        required=False,
        widget=ListSelect,
        error_messages={
            "invalid_choice": gettext_lazy(
                "No office is listed for this country. Choose a country from the list."
            )
        },
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type of office"),
        required=False,
        choices=[("", gettext_lazy("All types")), *Office.Kind.choices],
        error_messages={
            "invalid_choice": gettext_lazy(
                "This is not a type of office. Choose a type from the list."
            )
        },
    )
    city = forms.CharField(
        label=gettext_lazy("City"),
        required=False,
        max_length=100,
        error_messages={
            "max_length": gettext_lazy("No city has so long a name."),
            "null_characters_not_allowed": gettext_lazy(
                "This is not a city’s name. Choose a city from the list."
            ),
        },
    )

    def __init__(self, data, countries, cities):
        super().__init__(data)
        self.fields["country"].choices = [("", _("All countries")), *countries]
        # A list to choose from; any city is accepted, so that a bookmarked
        # city no longer listed finds nothing rather than an error.
        self.fields["city"].widget = ListSelect(
            choices=[("", _("All cities")), *((city, city) for city in cities)]
        )

    def filter(self, offices, language, cities):
        """Return the offices among `offices` (a queryset) these filters keep:
        a city by its name in `cities`, accents and case aside (valid only)."""
        wanted = self.cleaned_data
        if wanted["country"]:
            offices = offices.filter(
                Q(relationship__country_code=wanted["country"])
                | Q(served_countries__country=wanted["country"])
            ).distinct()
        if wanted["kind"]:
            offices = offices.filter(kind=wanted["kind"])
        if wanted["city"]:
            named = [listed_city(self, cities)] if listed_city(self, cities) else []
            offices = offices.filter(**{f"city_{language}__in": named})
        return offices


def listed_city(form, cities):
    """Return the city of `cities` a valid form asks for, accents and case
    aside ("quebec city" is "Québec City"), or ""."""
    wanted = alphabetical(form.cleaned_data["city"])
    return next((city for city in cities if alphabetical(city) == wanted), "")


class OfficeListView(TemplateView):
    """The published offices, grouped by who runs them and by country, a page
    of OFFICES_PER_PAGE at a time; or those of one country, type or city.

    What the page shows is read in a fixed number of queries: the countries
    and cities to filter by, the sort keys of the offices kept (sorted here,
    as each language sorts), then the page's offices alone."""

    template_name = "consulates/office_list.html"

    def get(self, request, *args, **kwargs):
        language = get_language()
        offices = published_offices()
        names = country_names(offices, language)
        countries = sorted(names.items(), key=lambda item: alphabetical(item[1]))
        cities = sorted(
            set(offices.values_list(f"city_{language}", flat=True)), key=alphabetical
        )
        form = DirectoryFilter(request.GET, countries, cities)
        valid = form.is_valid()
        country = valid and form.cleaned_data["country"]
        kept = form.filter(offices, language, cities) if valid else offices.none()
        order = sorted(
            kept.values_list(
                "pk",
                "run_by",
                f"relationship__partner_name_{language}",
                "kind",
                f"city_{language}",
                "sort_order",
            ),
            key=lambda row: sort_key(row, names[country] if country else None),
        )
        page = Paginator([row[0] for row in order], OFFICES_PER_PAGE).get_page(
            request.GET.get("page")
        )
        shown = in_order(
            published_offices().prefetch_related("served_countries__country"),
            page.object_list,
        )
        dates = offices.aggregate(
            issued=Min("first_published_at"), modified=Max("content_modified_at")
        )
        context = self.get_context_data(
            form=form,
            filtered=valid and any(form.cleaned_data.values()),
            count=page.paginator.count,
            page=page,
            page_query=page_query(request.GET),
            groups=grouped(shown, country and names[country]),
            date_issued=dates["issued"],
            date_modified=dates["modified"],
            language_queries=language_queries(
                request.GET, offices, language, valid and listed_city(form, cities)
            ),
            title=_("Office directory"),
            description=_(
                "Canada’s embassies, high commissions and consulates abroad, and "
                "other countries’ offices in Canada: addresses, telephone numbers "
                "and hours."
            ),
        )
        return self.render_to_response(context, status=200 if valid else 400)


RUN_BY = list(Office.RunBy)
KINDS = list(Office.Kind)


def sort_key(row, country):
    """Order offices by who runs them, country, type, city, then as set."""
    _pk, run_by, partner, kind, city, sort_order = row
    return (
        RUN_BY.index(run_by),
        alphabetical(country or partner),
        KINDS.index(kind),
        alphabetical(city),
        sort_order,
    )


def in_order(offices, ids):
    found = offices.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def filters_of(query):
    """Return the directory's filters in `query` (a QueryDict), no other."""
    kept = QueryDict(mutable=True)
    for name in DirectoryFilter.base_fields:
        if value := query.get(name):
            kept[name] = value
    return kept


def page_query(query):
    """Return the filters as a query string for the page links, page left out."""
    return filters_of(query).urlencode()


def country_names(offices, language):
    """Return {code: name} of every country the offices serve, their own and
    those they are accredited to."""
    names = dict(
        offices.values_list(
            "relationship__country_code", f"relationship__partner_name_{language}"
        ).distinct()
    )
    served = ServedCountry.objects.filter(office__in=offices).values_list(
        "country", f"country__name_{language}"
    )
    for code, name in served.distinct():
        names.setdefault(code, name)
    return names


def language_queries(query, offices, language, city):
    """Return the directory's query string in each language: the same
    filters, a city by its name in that language (Québec, Québec City).
    `city` is the city filtered by as it is listed, or "" if none is."""
    queries = {}
    names = None
    if city:
        names = (
            offices.filter(**{f"city_{language}": city})
            .values_list(*(f"city_{other}" for other in LANGUAGES))
            .first()
        )
    for position, other in enumerate(LANGUAGES):
        translated = filters_of(query)
        if city and names:
            translated["city"] = names[position]
        if page := query.get("page"):
            translated["page"] = page
        queries[other] = translated.urlencode()
    return queries


def grouped(offices, country):
    """Return [(run_by label, [(country name, [office, ...]), ...]), ...], in
    the order given: under `country` if the list is that country's, else
    under each office's own."""

    def country_of(office):
        return country or office.relationship.partner_name

    headings = {
        Office.RunBy.CANADA: _("Canada’s offices abroad"),
        Office.RunBy.PARTNER: _("Other countries’ offices in Canada"),
    }
    return [
        (
            headings[run_by],
            [
                (name, list(in_country))
                for name, in_country in itertools.groupby(in_run_by, key=country_of)
            ],
        )
        for run_by, in_run_by in itertools.groupby(offices, key=lambda o: o.run_by)
    ]


class OfficeDetailView(DetailView):
    template_name = "consulates/office_detail.html"
    context_object_name = "office"

    def get_queryset(self):
        return office_pages().select_related("relationship")

    def get_context_data(self, **kwargs):
        office = self.object
        return super().get_context_data(
            title=office.name,
            description=_("%(office)s: address, telephone, hours and services.")
            % {"office": office.name},
            date_issued=office.first_published_at,
            date_modified=office.content_modified_at,
            services=lines(office.services),
            hours=lines(office.hours),
            **kwargs,
        )


class OfficePreviewView(PreviewMixin, OfficeDetailView):
    model = Office

    def get_queryset(self):
        return Office.objects.select_related("relationship")


def lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
