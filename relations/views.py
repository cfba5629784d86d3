import unicodedata

from django.db.models import Max, Min, Q
from django.http import (
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from consulates.models import Office

from .forms import SearchForm
from .models import Relationship, Topic

SEARCH_RESULTS_SHOWN = 50


def splash(request):
    return render(request, "splash.html")


class RelationshipListView(ListView):
    """Home page of a language: every published relationship."""

    queryset = Relationship.objects.published()
    context_object_name = "relationships"
    template_name = "relations/relationship_list.html"

    def get_queryset(self):
        return sorted(
            super().get_queryset(), key=lambda r: alphabetical(r.partner_name)
        )

    def get_context_data(self, **kwargs):
        relationships = self.object_list
        return super().get_context_data(
            title=_("Canada’s bilateral relations"),
            description=_(
                "Canada’s relations with its partner countries: areas of action, "
                "offices, agreements and partner organizations."
            ),
            date_issued=min(
                (r.first_published_at for r in relationships if r.first_published_at),
                default=None,
            ),
            date_modified=max(
                (r.content_modified_at for r in relationships), default=None
            ),
            **kwargs,
        )


class RelationshipDetailView(DetailView):
    queryset = Relationship.objects.published().for_page()

    def get_context_data(self, **kwargs):
        relationship = self.object
        return super().get_context_data(
            title=relationship.title,
            description=relationship.summary,
            date_issued=relationship.first_published_at,
            date_modified=relationship.content_modified_at,
            topics=relationship.topics.all(),
            agreements=[link.item for link in relationship.agreement_links.all()],
            organizations=[link.item for link in relationship.organization_links.all()],
            **kwargs,
        )


def search(request):
    """Find published relationships, areas of action and offices in this language."""
    form = SearchForm(request.GET)
    results = []
    if form.is_valid() and (query := form.cleaned_data["q"]):
        results = find(query)[:SEARCH_RESULTS_SHOWN]
    dates = Relationship.objects.published().aggregate(
        issued=Min("first_published_at"), modified=Max("content_modified_at")
    )
    return render(
        request,
        "relations/search.html",
        {
            "form": form,
            "results": results,
            "title": _("Search"),
            "description": _("Search Canada’s bilateral relations pages."),
            "date_issued": dates["issued"],
            "date_modified": dates["modified"],
        },
        status=400 if form.errors else 200,
    )


def find(query):
    relationships = Relationship.objects.published().filter(
        Q(title__icontains=query)
        | Q(partner_name__icontains=query)
        | Q(summary__icontains=query)
    )
    topics = (
        Topic.objects.filter(relationship__is_published=True)
        .filter(Q(title__icontains=query) | Q(body__icontains=query))
        .select_related("relationship")
    )
    offices = (
        Office.objects.published()
        .filter(relationship__is_published=True)
        .filter(Q(name__icontains=query) | Q(city__icontains=query))
        .select_related("relationship")
    )
    return [
        *(
            {"title": r.title, "url": r.get_absolute_url(), "summary": r.summary}
            for r in relationships
        ),
        *(
            {
                "title": t.title,
                "url": f"{t.relationship.get_absolute_url()}#{t.anchor}",
                "summary": t.relationship.title,
            }
            for t in topics
        ),
        *(
            {
                "title": o.name,
                "url": o.relationship.get_absolute_url(),
                "summary": o.relationship.title,
            }
            for o in offices
        ),
    ]


def alphabetical(text):
    """Return a sort key that ignores case and accents (É sorts with E)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def page_not_found(request, exception):
    return render(
        request,
        "404.html",
        {"title": _("We couldn’t find that Web page (Error 404)")},
        status=404,
    )


# The pages below are rendered without a request context: they must work when
# the request itself (its host, its session) or the database is the problem.


def bad_request(request, exception):
    return HttpResponseBadRequest(loader.render_to_string("400.html"))


def permission_denied(request, exception):
    return HttpResponseForbidden(loader.render_to_string("403.html"))


def server_error(request):
    return HttpResponseServerError(loader.render_to_string("500.html"))
