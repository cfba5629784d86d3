import csv

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from config.spreadsheets import spreadsheet_safe

from .models import SUMMARY_PERIODS, Problem, ProblemReport

Status = ProblemReport.Status


class ProblemFilter(admin.SimpleListFilter):
    title = _("problem")
    parameter_name = "problem"

    def lookups(self, request, model_admin):
        return Problem.choices

    def queryset(self, request, queryset):
        if self.value() in Problem.values:
            return queryset.with_problem(self.value())
        return queryset


class Echo:
    """A file-like object whose write returns what it was given, for streaming."""

    def write(self, value):
        return value


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "page_link",
        "language",
        "problem_list",
        "comment_preview",
        "status",
    ]
    list_filter = [
        "status",
        ProblemFilter,
        "language",
        "page",
        ("created_at", admin.DateFieldListFilter),
    ]
    date_hierarchy = "created_at"
    search_fields = ["comment", "page"]
    actions = ["mark_in_progress", "mark_resolved", "mark_spam"]
    fields = [
        "page_link",
        "language",
        "problem_list",
        "comment",
        "created_at",
        "status",
        "status_changed_at",
        "status_changed_by",
    ]
    readonly_fields = [
        "page_link",
        "language",
        "problem_list",
        "comment",
        "created_at",
        "status_changed_at",
        "status_changed_by",
    ]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:
            obj.set_status(obj.status, request.user)
        super().save_model(request, obj, form, change)

    @admin.display(description=_("page"), ordering="page")
    def page_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.page, obj.page)

    @admin.display(description=_("problems"))
    def problem_list(self, obj):
        return "; ".join(str(problem.label) for problem in obj.problems)

    @admin.display(description=_("comment"))
    def comment_preview(self, obj):
        return Truncator(obj.comment).chars(80)

    def mark(self, request, queryset, status):
        count = queryset.exclude(status=status).update(
            status=status,
            status_changed_at=timezone.now(),
            status_changed_by=request.user,
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d report marked “%(status)s”.",
                "%(count)d reports marked “%(status)s”.",
                count,
            )
            % {"count": count, "status": Status(status).label},
        )

    @admin.action(description=_("Mark as in progress"), permissions=["change"])
    def mark_in_progress(self, request, queryset):
        self.mark(request, queryset, Status.IN_PROGRESS)

    @admin.action(description=_("Mark as resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        self.mark(request, queryset, Status.RESOLVED)

    @admin.action(description=_("Mark as spam"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self.mark(request, queryset, Status.SPAM)

    def get_urls(self):
        return [
            path(
                "summary/",
                self.admin_site.admin_view(self.summary_view),
                name="feedback_problemreport_summary",
            ),
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="feedback_problemreport_export",
            ),
            *super().get_urls(),
        ]

    def summary_view(self, request):
        """Which pages need work: reports per page and problem, recent first."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        periods = SUMMARY_PERIODS
        rows = list(ProblemReport.objects.summary_by_page())
        longest = max(periods)
        scale = max((row[f"total_{longest}"] for row in rows), default=0) or 1
        pages = [
            {
                "page": row["page"],
                "totals": [row[f"total_{days}"] for days in periods],
                "bar": round(100 * row[f"total_{longest}"] / scale),
                "problems": [
                    {
                        "label": problem.label,
                        "counts": [row[f"{problem.value}_{days}"] for days in periods],
                        "bar": round(100 * row[f"{problem.value}_{longest}"] / scale),
                    }
                    for problem in Problem
                ],
            }
            for row in rows
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Problem reports by page"),
            "periods": periods,
            "pages": pages,
        }
        return TemplateResponse(
            request, "admin/feedback/problemreport/summary.html", context
        )

    def export_view(self, request):
        """Export the list as filtered, as CSV that spreadsheets open safely."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return HttpResponseBadRequest(gettext("These filters are not valid."))
        reports = changelist.get_queryset(request).select_related("status_changed_by")
        writer = csv.writer(Echo())
        header = [
            gettext("received"),
            gettext("page"),
            gettext("language"),
            gettext("problems"),
            gettext("comment"),
            gettext("status"),
            gettext("status changed"),
            gettext("status changed by"),
        ]

        def rows():
            yield "\ufeff"  # a byte-order mark, so Excel reads UTF-8
            yield writer.writerow(header)
            for report in reports.iterator():
                yield writer.writerow(
                    spreadsheet_safe(cell)
                    for cell in (
                        localize(timezone.localtime(report.created_at)),
                        report.page,
                        report.get_language_display(),
                        self.problem_list(report),
                        report.comment,
                        report.get_status_display(),
                        localize(timezone.localtime(report.status_changed_at))
                        if report.status_changed_at
                        else "",
                        report.status_changed_by or "",
                    )
                )

        filename = f"problem-reports-{timezone.localdate():%Y-%m-%d}.csv"
        return StreamingHttpResponse(
            rows(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
