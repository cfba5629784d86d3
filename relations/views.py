import functools
import sys
import unicodedata

from django.conf import settings
from django.db.models import Max, Min
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView

from config.outage import database_unreachable, service_unavailable

from .cache import content_key, render_page_content
from .forms import SearchForm
from .models import Relationship
from .preview import PreviewMixin, with_draft
from .search import find


def splash(request):
    return render(request, "splash.html")


class RelationshipListView(ListView):
    """Home page of a language: every published relationship, A to Z by
    country with a link to each letter, or by region (?by=region)."""

    context_object_name = "relationships"
    template_name = "relations/relationship_list.html"
    views = ("", "region")

    def get(self, request, *args, **kwargs):
        if request.GET.get("by", "") not in self.views:
            raise Http404
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        # Built on each request: a class-level queryset would keep the "now"
        # of the process's start, and schedules would never come due.
        return sorted(
            Relationship.objects.published().select_related("region"),
            key=lambda r: alphabetical(r.partner_name),
        )

    def get_context_data(self, **kwargs):
        relationships = self.object_list
        by_region = self.request.GET.get("by") == "region"
        return super().get_context_data(
            by_region=by_region,
            letters=by_letter(relationships),
            regions=by_region and grouped_by_region(relationships),
            title=_("Canada’s bilateral relations"),
            directory_url=reverse("consulates:office_list"),
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
    model = Relationship

    def get_object(self, queryset=None):
        """Return the page visitors see at this address, whatever `queryset`."""
        found = Relationship.objects.live_page(self.kwargs["slug"], get_language())
        if found is None:
            raise Http404
        return found

    def get_context_data(self, **kwargs):
        relationship = self.object
        return super().get_context_data(
            title=relationship.title,
            description=relationship.summary,
            date_issued=relationship.first_published_at,
            date_modified=relationship.content_modified_at,
            content=self.content(relationship),
            content_key=self.content_key(relationship),
            content_seconds=settings.PAGE_CACHE_SECONDS,
            **kwargs,
        )

    def content(self, relationship):
        # Called by the template only if the fragment cache misses.
        return functools.partial(render_page_content, relationship)

    def content_key(self, relationship):
        return content_key(relationship)


class RelationshipPreviewView(PreviewMixin, RelationshipDetailView):
    """Any page, in any state, exactly as visitors would see it; staff only."""

    def get_queryset(self):
        return Relationship.objects.for_page()

    def content(self, relationship):
        offices = [with_draft(office)[0] for office in relationship.offices.all()]
        return render_page_content(relationship, self.parts, offices)

    def content_key(self, relationship):
        # Never the cache: a preview shows drafts and draft changes.
        return None


def search(request):
    """Find published relationships, areas of action and offices in this language."""
    form = SearchForm(request.GET)
    page = None
    if form.is_valid() and (query := form.cleaned_data["q"]):
        page = find(query, get_language(), request.GET.get("page"))
    dates = Relationship.objects.published().aggregate(
        issued=Min("first_published_at"), modified=Max("content_modified_at")
    )
    return render(
        request,
        "relations/search.html",
        {
            "form": form,
            "page": page,
            "page_numbers": (
                page.paginator.get_elided_page_range(page.number) if page else ()
            ),
            "title": _("Search"),
            "description": _("Search Canada’s bilateral relations pages."),
            "date_issued": dates["issued"],
            "date_modified": dates["modified"],
        },
        status=400 if form.errors else 200,
    )


def by_letter(relationships):
    """Return [(letter, [relationship, ...])] for every letter A to Z, each
    with the relationships whose country's name starts with it, as each
    language sorts (É with E)."""
    found = {}
    for relationship in relationships:
        initial = alphabetical(relationship.partner_name)[:1].upper()
        found.setdefault(initial, []).append(relationship)
    letters = [chr(code) for code in range(ord("A"), ord("Z") + 1)]
    others = sorted(set(found) - set(letters))
    return [(letter, found.get(letter, [])) for letter in [*letters, *others]]


def grouped_by_region(relationships):
    """Return [(region name, [relationship, ...])], regions in their order,
    pages with none last."""
    groups = {}
    for relationship in relationships:
        groups.setdefault(relationship.region, []).append(relationship)
    order = sorted(
        groups,
        key=lambda region: (region is None, region and region.sort_order),
    )
    return [
        (str(region) if region else _("Other countries"), groups[region])
        for region in order
    ]


@functools.lru_cache(maxsize=8192)
def alphabetical(text):
    """Return a sort key that ignores case and accents (É sorts with E).

    Kept for the strings asked for again (country and city names, sorted on
    each request for the index and the directory)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    # Letters NFKD leaves whole: Œ files under O, Æ under A, Ø under O.
    return folded.translate(LIGATURES)


LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l"})


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
    # Django calls this while it handles the exception, wherever it was
    # raised (a view, a middleware such as the page cache's version query).
    error = sys.exception()
    if database_unreachable(error):
        return service_unavailable(request, error)
    return HttpResponseServerError(loader.render_to_string("500.html"))


PREVIEW_URL_NAMES = ["relations:relationship_preview", "consulates:office_preview"]


def robots_txt(request):
    """Point crawlers at the sitemap and away from the previews and search
    results (endless combinations of one content). The admin is listed only at
    its default address: robots.txt must not tell anyone where a moved one is."""
    disallow = []
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            if settings.ADMIN_PATH == "admin":
                disallow.append(reverse("admin:index"))
            disallow.append(reverse("relations:search"))
            for name in PREVIEW_URL_NAMES:
                # "/en/preview/relations/1/" gives "/en/preview/", which holds
                # every preview.
                segments = reverse(name, kwargs={"pk": 1}).split("/")
                disallow.append("/".join(segments[:3]) + "/")
    return render(
        request,
        "robots.txt",
        {
            "disallow": list(dict.fromkeys(disallow)),
            "sitemap_url": request.build_absolute_uri(reverse("sitemap")),
        },
        content_type="text/plain; charset=utf-8",
    )
