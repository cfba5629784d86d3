from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views
from .cache import public_page

app_name = "relations"
urlpatterns = [
    path(
        "",
        public_page(views.RelationshipListView.as_view(), params=("by",)),
        name="home",
    ),
    path(
        "relations/<slug:slug>/",
        public_page(views.RelationshipDetailView.as_view()),
        name="relationship_detail",
    ),
    path(_("search/"), public_page(views.search, params=("q", "page")), name="search"),
    path(
        _("preview/relations/<int:pk>/"),
        views.RelationshipPreviewView.as_view(),
        name="relationship_preview",
    ),
]
