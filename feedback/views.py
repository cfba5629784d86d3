"""The "Report a problem on this page" endpoint.

Public pages carry no CSRF token (they are cached whole), so this view is
exempt from Django's token check and protects itself: it refuses cross-site
posts, limits each client's rate and size, and creates nothing but a report.
See docs/decisions/0001-report-a-problem-without-csrf-token.md.
"""

import copy

from django.conf import settings
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import resolve
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from config.outage import database_unreachable, service_unavailable, unavailable

from .forms import ProblemReportForm, reportable_page
from .ratelimit import over_limit

SENT = "sent"
REFUSED = "refused"


def section_context(path, form=None, state=None, message=None):
    """Return the context of the report section of the page at `path`."""
    language = translation.get_language()
    return {
        "form": form or ProblemReportForm(initial={"page": path}),
        "state": state,
        "message": message,
        "contact_url": settings.FEEDBACK_CONTACT_URLS.get(language, ""),
    }


@csrf_exempt
def report_problem(request):
    if request.method in ("GET", "HEAD") and (
        page := reportable_page(request.GET.get("page", ""))
    ):
        # The address the form was sent to, asked for again (a reload, a
        # bookmark): back to the page and its form.
        response = HttpResponse(status=303)
        response["Location"] = f"{page[0]}#report-problem"
        return response
    if request.method != "POST":
        response = refuse(
            request,
            405,
            _("Use the form at the bottom of a page of this site to report a problem."),
            keep_input=False,
        )
        response["Allow"] = "POST"
        return response
    length = request.META.get("CONTENT_LENGTH") or "0"
    # Not isdigit(): "²" is a digit that int() refuses.
    if not length.isdecimal():
        return refuse(
            request, 400, _("This report could not be read."), keep_input=False
        )
    if int(length) > settings.FEEDBACK_MAX_BODY_BYTES:
        return refuse(
            request, 413, _("This report is too long to be sent."), keep_input=False
        )
    if not is_from_this_site(request):
        return refuse(
            request, 403, _("This report was not sent: it did not come from this site.")
        )
    if over_limit(request, "feedback", settings.FEEDBACK_RATE_LIMITS):
        return refuse(
            request,
            429,
            _(
                "You have sent several reports in a short time. Please wait a few "
                "minutes, then try again."
            ),
        )

    form = ProblemReportForm(request.POST)
    try:
        if form.is_from_a_robot():
            # Answered like a success so robots learn nothing; nothing is stored.
            return sent(request, reportable_page(request.POST.get("page", "")))
        if form.is_valid():
            # Autocommit: the report is stored once save() returns, so the
            # thanks are never given for a report the database did not take.
            form.save()
            return sent(request, form.cleaned_data["page"])
        return respond(request, section_context(request.path, form), 400)
    except Exception as error:
        if not database_unreachable(error):
            raise
        return not_sent(request, error)


def is_from_this_site(request):
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        return False
    origin = request.headers.get("Origin")
    if origin is None:
        # Browsers send Origin with every POST; a client without it is not a
        # browser, so no visitor's browser is being used against the site.
        return True
    this_site = f"{request.scheme}://{request.get_host()}"
    return origin in {this_site, *settings.CSRF_TRUSTED_ORIGINS}


def sent(request, page):
    if wants_fragment(request) or page is None:
        return respond(request, section_context(request.path, state=SENT), 200)
    path, _language = page
    response = HttpResponse(status=303)
    response["Location"] = f"{path}?feedback={SENT}#report-problem-thanks"
    return response


def not_sent(request, error):
    """Refuse a report the database could not take: ask to send it again later."""
    if wants_fragment(request):
        message = _(
            "Because of a temporary problem with our website’s server, your report "
            "was not recorded. Please try again in a few minutes."
        )
        # The section alone: the form again would validate its page, which
        # needs the database.
        return unavailable(
            refuse(request, 503, message, keep_input=False), request, error
        )
    return service_unavailable(request, error, report=True)


def refuse(request, status, message, keep_input=True):
    """Refuse the report, keeping the visitor's choices if the body may be read."""
    form = ProblemReportForm(request.POST) if keep_input else None
    context = section_context(request.path, form, state=REFUSED, message=message)
    return respond(request, context, status)


def wants_fragment(request):
    return "application/json" in request.headers.get("Accept", "")


def respond(request, context, status):
    """Answer with the report section: alone for scripts, else within its page."""
    if wants_fragment(request):
        html = render_to_string("feedback/report_problem.html", context, request)
        return JsonResponse({"html": html}, status=status)
    form = context["form"]
    page = reportable_page(form.data.get("page", "")) if form.is_bound else None
    if page is None:
        return render(
            request,
            "feedback/report_problem_page.html",
            {**context, "title": _("Report a problem on this page")},
            status=status,
        )
    return render_page(request, *page, context, status)


def render_page(request, path, language, context, status):
    """Render the page the report came from, its report section in `context`."""
    page_request = copy.copy(request)
    page_request.method = "GET"
    page_request.GET = QueryDict()
    page_request.POST = QueryDict()
    page_request.path = page_request.path_info = path
    page_request.LANGUAGE_CODE = language
    page_request.report_problem = context
    with translation.override(language):
        match = resolve(path)
        page_request.resolver_match = match
        response = match.func(page_request, *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
    response.status_code = status
    return response
