from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "relations"
urlpatterns = [
    path("", views.RelationshipListView.as_view(), name="home"),
    path(
        "relations/<slug:slug>/",
        views.RelationshipDetailView.as_view(),
        name="relationship_detail",
    ),
    path(_("search/"), views.search, name="search"),
    path(
        _("preview/relations/<int:pk>/"),
        views.RelationshipPreviewView.as_view(),
        name="relationship_preview",
    ),
]
