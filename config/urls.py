from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from relations import views

admin.site.site_header = _("Bilateral relations: administration")
admin.site.site_title = _("Bilateral relations administration")
admin.site.index_title = _("Content and offices")

urlpatterns = [
    path("", views.splash, name="splash"),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("", include("feedback.urls")),
    path("", include("relations.urls")),
)

handler400 = "relations.views.bad_request"
handler403 = "relations.views.permission_denied"
handler404 = "relations.views.page_not_found"
handler500 = "relations.views.server_error"
