from django.urls import path
from django.utils.translation import gettext_lazy as _

from relations.cache import public_page

from . import views

app_name = "consulates"
urlpatterns = [
    path(
        _("offices/"),
        public_page(
            views.OfficeListView.as_view(), params=("country", "kind", "city", "page")
        ),
        name="office_list",
    ),
    path(
        _("offices/<slug:slug>/"),
        public_page(views.OfficeDetailView.as_view()),
        name="office_detail",
    ),
    path(
        _("preview/offices/<int:pk>/"),
        views.OfficePreviewView.as_view(),
        name="office_preview",
    ),
]
