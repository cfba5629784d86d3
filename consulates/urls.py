from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "consulates"
urlpatterns = [
    path(_("offices/"), views.OfficeListView.as_view(), name="office_list"),
    path(
        _("offices/<slug:slug>/"),
        views.OfficeDetailView.as_view(),
        name="office_detail",
    ),
    path(
        _("preview/offices/<int:pk>/"),
        views.OfficePreviewView.as_view(),
        name="office_preview",
    ),
]
