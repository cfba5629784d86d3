"""What visitors get while the database cannot be reached: a bilingual 503.

A dropped or refused connection is not a bug in the site: visitors are asked
to come back (Retry-After), the answer is never stored by any cache, and the
log gets one line per request instead of a traceback. Django closes a broken
connection at the end of the request (and relations.cache retries the version
query once on a new one), so pages come back as soon as the database does,
without restarting the workers.
"""

from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse
from django.template import loader
from django.utils.log import log_response

RETRY_AFTER_SECONDS = 30


def database_unreachable(error):
    """Return True if `error` says the database cannot be reached."""
    # Django wraps the driver's errors in its own; the driver's are listed for
    # code that talks to the connection directly.
    driver = connection.Database
    return isinstance(
        error,
        (
            OperationalError,
            InterfaceError,
            driver.OperationalError,
            driver.InterfaceError,
        ),
    )


def service_unavailable(request, error, report=False):
    """Return the bilingual 503 page; `report`: the one a refused report gets.

    Rendered without a request context, so neither the session nor the
    database is touched.
    """
    html = loader.render_to_string(
        "errors/page.html", {"status": 503, "report": report}
    )
    return unavailable(HttpResponse(html), request, error)


def unavailable(response, request, error):
    """Make `response` a 503 to retry later, kept by no cache, logged in one line."""
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    # log_response marks the response as logged, so Django does not log it
    # again as an error with the traceback.
    log_response(
        "Database unreachable, answered 503: %s %s (%s)",
        request.method,
        request.path,
        summary(error),
        response=response,
        request=request,
        level="warning",
    )
    return response


def summary(error):
    """Return the first line of the error's message, with its class."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"
