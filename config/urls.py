from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from consulates import open_data
from consulates.sitemaps import OfficeSitemap
from relations import sitemaps, views
from relations.cache import public_page

SITEMAPS = {**sitemaps.SITEMAPS, "offices": OfficeSitemap}

admin.site.site_header = _("Bilateral relations: administration")
admin.site.site_title = _("Bilateral relations administration")
admin.site.index_title = _("Content and offices")

urlpatterns = [
    path("", public_page(views.splash), name="splash"),
    path("robots.txt", public_page(views.robots_txt), name="robots_txt"),
    # An index of sections, each a sitemap of its own: the index stays small
    # however many pages there are.
    path(
        "sitemap.xml",
        public_page(sitemaps_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        public_page(sitemaps_views.sitemap, params=("p",)),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("api/offices.json", public_page(open_data.offices_json), name="offices_json"),
    path("api/offices.csv", public_page(open_data.offices_csv), name="offices_csv"),
]
urlpatterns += i18n_patterns(
    path(f"{settings.ADMIN_PATH}/", admin.site.urls),
    path("", include("feedback.urls")),
    path("", include("consulates.urls")),
    path("", include("relations.urls")),
)

handler400 = "relations.views.bad_request"
handler403 = "relations.views.permission_denied"
handler404 = "relations.views.page_not_found"
handler500 = "relations.views.server_error"
