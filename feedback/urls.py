from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "feedback"
urlpatterns = [
    path(_("report-a-problem/"), views.report_problem, name="report"),
]
