from django.http import HttpResponsePermanentRedirect
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Redirect

MOST_CHARACTERS = Redirect._meta.get_field("old_path").max_length
REMEMBERED_SECONDS = 3600


class RedirectMiddleware:
    """Send a visitor who asks for a former address (a 404) on to the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        path = request.path
        # What no stored address can be is not looked up (PostgreSQL refuses NUL).
        if len(path) > MOST_CHARACTERS or "\x00" in path:
            return response
        new = (
            Redirect.objects.filter(old_path=path)
            .values_list("new_path", flat=True)
            .first()
        )
        # Never off the site, whatever was stored without the admin's checks.
        if new is None or not url_has_allowed_host_and_scheme(new, allowed_hosts=None):
            return response
        query = request.META.get("QUERY_STRING", "")
        response = HttpResponsePermanentRedirect(new + (f"?{query}" if query else ""))
        # Browsers keep a 301 for ever unless told: a page may move back.
        patch_cache_control(response, public=True, max_age=REMEMBERED_SECONDS)
        return response
