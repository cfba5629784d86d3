from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Problem(models.TextChoices):
    """GCWeb's "Report a problem" choices, worded as Canada.ca publishes them."""

    BROKEN = "broken", _("A link, button or video is not working")
    SPELLING = "spelling", _("It has a spelling mistake")
    MISSING = "missing", _("Information is missing")
    OUTDATED = "outdated", _("Information is outdated or wrong")
    CANT_FIND = "cant_find", _("I can't find what I'm looking for")
    OTHER = "other", _("Other issue not in this list")

    @property
    def field_name(self):
        return f"problem_{self.value}"


# The editors' summary counts reports over these numbers of days.
SUMMARY_PERIODS = (7, 30, 90)


class ProblemReportQuerySet(models.QuerySet):
    def with_problem(self, problem):
        return self.filter(**{Problem(problem).field_name: True})

    def summary_by_page(self, now=None):
        """Count reports per page and problem over the last 7, 30 and 90 days.

        One grouped query; spam is left out; most reported pages first.
        """
        now = now or timezone.now()
        counts = {}
        for days in SUMMARY_PERIODS:
            recent = Q(created_at__gte=now - timedelta(days=days))
            counts[f"total_{days}"] = Count("pk", filter=recent)
            for problem in Problem:
                counts[f"{problem.value}_{days}"] = Count(
                    "pk", filter=recent & Q(**{problem.field_name: True})
                )
        longest = max(SUMMARY_PERIODS)
        return (
            self.exclude(status=ProblemReport.Status.SPAM)
            .filter(created_at__gte=now - timedelta(days=longest))
            .values("page")
            .annotate(**counts)
            .order_by(f"-total_{longest}", "-total_30", "page")
        )


class ProblemReport(models.Model):
    """A visitor's "Report a problem on this page": no personal information kept."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        SPAM = "spam", _("Spam")

    page = models.CharField(
        _("page"), max_length=300, db_index=True, help_text=_("Path on this site.")
    )
    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, db_index=True
    )
    # One column a problem: filters and counts work alike on every database.
    problem_broken = models.BooleanField(Problem.BROKEN.label, default=False)
    problem_spelling = models.BooleanField(Problem.SPELLING.label, default=False)
    problem_missing = models.BooleanField(Problem.MISSING.label, default=False)
    problem_outdated = models.BooleanField(Problem.OUTDATED.label, default=False)
    problem_cant_find = models.BooleanField(Problem.CANT_FIND.label, default=False)
    problem_other = models.BooleanField(Problem.OTHER.label, default=False)
    comment = models.TextField(
        _("comment"), blank=True, help_text=_("Personal information masked.")
    )
    created_at = models.DateTimeField(
        _("received"), default=timezone.now, db_index=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.NEW, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("status changed by"),
    )

    objects = ProblemReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("problem report")
        verbose_name_plural = _("problem reports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.page} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        return self.page

    @property
    def problems(self):
        return [problem for problem in Problem if getattr(self, problem.field_name)]

    def set_status(self, status, user):
        """Change the status, recording who changed it and when."""
        self.status = status
        self.status_changed_at = timezone.now()
        self.status_changed_by = user
