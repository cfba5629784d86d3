import unicodedata

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Q
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponsePermanentRedirect,
    HttpResponseServerError,
)
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from consulates.models import Office

from .forms import SearchForm
from .models import DraftChange, FormerSlug, Relationship, Topic

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
    def get_queryset(self):
        return Relationship.objects.published().for_page()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            # A page whose address changed: its old address still leads to it.
            former = FormerSlug.objects.filter(
                language=get_language(),
                slug=kwargs["slug"],
                relationship__in=Relationship.objects.published(),
            ).first()
            if former is None:
                raise
            return HttpResponsePermanentRedirect(former.relationship.get_absolute_url())

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


class RelationshipPreviewView(RelationshipDetailView):
    """Any page, in any state, exactly as visitors would see it; staff only."""

    def get_queryset(self):
        return Relationship.objects.for_page()

    def get(self, request, *args, **kwargs):
        user = request.user
        if not (user.is_active and user.is_staff):
            raise Http404
        if not user.has_perm("relations.view_relationship"):
            raise Http404
        page = get_object_or_404(Relationship, pk=kwargs["pk"])
        # Show the draft changes of the page and its offices, then undo them.
        with transaction.atomic():
            drafts = DraftChange.objects.for_objects([page, *page.offices.all()])
            for draft in drafts:
                draft.apply()
            self.object = self.get_queryset().get(pk=page.pk)
            response = self.render_to_response(
                self.get_context_data(
                    object=self.object,
                    preview=True,
                    object_url=Relationship.get_preview_url,
                )
            ).render()
            transaction.set_rollback(True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        add_never_cache_headers(response)
        return response


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
        Topic.objects.filter(relationship__in=Relationship.objects.published())
        .filter(Q(title__icontains=query) | Q(body__icontains=query))
        .select_related("relationship")
    )
    offices = (
        Office.objects.published()
        .filter(relationship__in=Relationship.objects.published())
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


def locked_out(request, response=None, credentials=None):
    """django-axes' answer once a username and client are locked out."""
    minutes = round(settings.AXES_COOLOFF_TIME * 60)
    html = loader.render_to_string(
        "errors/page.html", {"status": 429, "lockout_minutes": minutes}
    )
    return HttpResponse(html, status=429)


def server_error(request):
    return HttpResponseServerError(loader.render_to_string("500.html"))
