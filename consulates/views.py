"""The office directory and each office's page."""

import itertools

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, TemplateView

from publishing.languages import LANGUAGES
from publishing.models import Status
from relations.models import Relationship
from relations.preview import PreviewMixin
from relations.views import alphabetical

from .models import Office


def published_offices():
    """Offices visitors see: published, on a published relationship page."""
    return (
        Office.objects.published()
        .filter(relationship__in=Relationship.objects.published())
        .select_related("relationship")
    )


class DirectoryFilter(forms.Form):
    """The directory's filters: plain GET parameters, so a filtered list can be
    bookmarked and shared."""

    country = forms.ChoiceField(
        label=gettext_lazy("Country"),
        required=False,
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
    city = forms.CharField(label=gettext_lazy("City"), required=False, max_length=100)

    def __init__(self, data, countries, cities):
        super().__init__(data)
        self.fields["country"].choices = [("", _("All countries")), *countries]
        # A list to choose from; any city is accepted, so that a bookmarked
        # city no longer listed finds nothing rather than an error.
        self.fields["city"].widget = forms.Select(
            choices=[("", _("All cities")), *((city, city) for city in cities)]
        )

    def filter(self, offices):
        wanted = self.cleaned_data
        return [
            office
            for office in offices
            if (not wanted["country"] or wanted["country"] in serves(office))
            and (not wanted["kind"] or office.kind == wanted["kind"])
            and (
                not wanted["city"]
                or alphabetical(office.city) == alphabetical(wanted["city"])
            )
        ]


class OfficeListView(TemplateView):
    """Every published office, grouped by who runs it and by country."""

    template_name = "consulates/office_list.html"

    def get(self, request, *args, **kwargs):
        offices = list(
            published_offices().prefetch_related("served_countries__country")
        )
        names = country_names(offices)
        countries = sorted(names.items(), key=lambda item: alphabetical(item[1]))
        cities = sorted({office.city for office in offices}, key=alphabetical)
        form = DirectoryFilter(request.GET, countries, cities)
        valid = form.is_valid()
        shown = form.filter(offices) if valid else []
        context = self.get_context_data(
            form=form,
            filtered=valid and any(form.cleaned_data.values()),
            count=len(shown),
            groups=grouped(shown, valid and form.cleaned_data["country"], names),
            date_issued=min(
                (o.first_published_at for o in offices if o.first_published_at),
                default=None,
            ),
            date_modified=max((o.content_modified_at for o in offices), default=None),
            language_queries=language_queries(request.GET, offices),
            title=_("Office directory"),
            description=_(
                "Canada’s embassies, high commissions and consulates abroad, and "
                "other countries’ offices in Canada: addresses, telephone numbers "
                "and hours."
            ),
        )
        return self.render_to_response(context, status=200 if valid else 400)


def language_queries(query, offices):
    """Return the directory's query string in each language: the same
    filters, a city by its name in that language (Québec, Québec City)."""
    queries = {}
    for language in LANGUAGES:
        translated = QueryDict(mutable=True)
        for name in DirectoryFilter.base_fields:
            if value := query.get(name):
                translated[name] = value
        if city := translated.get("city"):
            for office in offices:
                if alphabetical(office.city) == alphabetical(city):
                    translated["city"] = getattr(office, f"city_{language}")
                    break
        queries[language] = translated.urlencode()
    return queries


def serves(office):
    """Return the codes of the countries `office` serves, its own first."""
    return [
        office.relationship.country_code,
        *(served.country_id for served in office.served_countries.all()),
    ]


def country_names(offices):
    """Return {code: name} of every country the offices serve."""
    names = {}
    for office in offices:
        names[office.relationship.country_code] = office.relationship.partner_name
        for served in office.served_countries.all():
            names.setdefault(served.country_id, served.country.name)
    return names


def grouped(offices, country, names):
    """Return [(run_by label, [(country name, [office, ...]), ...]), ...]:
    under `country` if the list is of that country's, else under each
    office's own."""

    def country_of(office):
        return names[country] if country else office.relationship.partner_name

    kinds = list(Office.Kind)
    offices = sorted(
        offices,
        key=lambda o: (
            list(Office.RunBy).index(o.run_by),
            alphabetical(country_of(o)),
            kinds.index(o.kind),
            alphabetical(o.city),
            o.sort_order,
        ),
    )
    headings = {
        Office.RunBy.CANADA: _("Canada’s offices abroad"),
        Office.RunBy.PARTNER: _("Other countries’ offices in Canada"),
    }
    return [
        (
            headings[run_by],
            [
                (country, list(in_country))
                for country, in_country in itertools.groupby(in_run_by, key=country_of)
            ],
        )
        for run_by, in_run_by in itertools.groupby(offices, key=lambda o: o.run_by)
    ]


class OfficeDetailView(DetailView):
    template_name = "consulates/office_detail.html"
    context_object_name = "office"

    def get_queryset(self):
        # An archived office keeps its address, with the archived notice.
        archived = Office.objects.filter(status=Status.ARCHIVED)
        return (published_offices() | archived).select_related("relationship")

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
