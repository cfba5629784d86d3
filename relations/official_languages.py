"""The official-languages report: every relationship page with a text
missing or out of date in either language, in the page itself or in what it
shows (areas of action, agreements, organizations, offices), and since when.
An admin page, and the same as CSV."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from config.spreadsheets import spreadsheet_safe
from publishing import currency
from publishing.diffs import field_label, language_name

from .models import Relationship


def report(pages):
    """Return [(page, [entry])] for the pages with something to translate;
    each entry a dict of what the report shows."""
    now = timezone.now()
    found = []
    for page in pages:
        entries = []
        for obj, field, language, status, row in currency.problems(
            page.shown_objects()
        ):
            since = currency.since(status, row)
            entries.append(
                {
                    "kind": obj._meta.verbose_name,
                    "name": obj.display_name(),
                    "field": field_label(obj._meta.get_field(f"{field}_{language}")),
                    "language": language,
                    "language_name": language_name(language),
                    "status": status,
                    "status_label": gettext("Missing")
                    if status == currency.MISSING
                    else gettext("Out of date"),
                    "since": since,
                    "days": (now - since).days if since else None,
                }
            )
        if entries:
            found.append((page, entries))
    return found


def official_languages_view(request, admin_site):
    """The report in the admin, for anyone who may see relationships; as CSV
    with ?format=csv."""
    if not request.user.has_perm("relations.view_relationship"):
        raise PermissionDenied
    pages = Relationship.objects.order_by("country_code")
    found = report(pages)
    if request.GET.get("format") == "csv":
        return as_csv(found)
    context = {
        **admin_site.each_context(request),
        "title": gettext("Official languages report"),
        "found": [
            (
                page,
                reverse(
                    "admin:relations_relationship_change",
                    args=[page.pk],
                    current_app=admin_site.name,
                ),
                entries,
            )
            for page, entries in found
        ],
        "pages": len(pages),
    }
    return TemplateResponse(request, "admin/official_languages.html", context)


def as_csv(found):
    filename = f"official-languages-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
    # A byte order mark, so that a spreadsheet reads UTF-8 as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            "country_code",
            "page",
            "page_status",
            "item",
            "field",
            "language",
            "status",
            "since",
            "days",
        ]
    )
    for page, entries in found:
        for entry in entries:
            writer.writerow(
                spreadsheet_safe(cell)
                for cell in [
                    page.country_code,
                    page.display_name(),
                    page.status,
                    f"{entry['kind']} “{entry['name']}”",
                    entry["field"],
                    entry["language"],
                    entry["status"],
                    entry["since"].isoformat(timespec="minutes")
                    if entry["since"]
                    else "",
                    "" if entry["days"] is None else entry["days"],
                ]
            )
    return response
