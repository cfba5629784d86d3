"""Every published office, both languages side by side, as JSON and CSV.

Other government sites and apps reuse the directory from here: ids are the
database's, stable; each record says when it last changed; the responses
carry ETag and Last-Modified, answer conditional requests with 304 and may be
read from any origin.
"""

import csv
import hashlib
import io
import json

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from config.spreadsheets import spreadsheet_safe
from relations.models import LANGUAGES

from .views import published_offices

LICENCE = "https://open.canada.ca/en/open-government-licence-canada"
TRANSLATED = [
    "name",
    "city",
    "address",
    "postal_address",
    "website",
    "services",
    "hours",
    "notes",
]
COLUMNS = [
    "id",
    "country_code",
    "run_by",
    "kind",
    *(f"kind_label_{language}" for language in LANGUAGES),
    *(f"{field}_{language}" for field in TRANSLATED for language in LANGUAGES),
    "phone",
    "emergency_phone",
    "toll_free_phone",
    "fax",
    "email",
    "latitude",
    "longitude",
    *(f"page_{language}" for language in LANGUAGES),
    "last_modified",
]


def records(request):
    """Return one dict per published office, with COLUMNS as keys."""
    rows = []
    for office in published_offices().order_by("pk"):
        row = {
            "id": office.pk,
            "country_code": office.relationship.country_code,
            "run_by": office.run_by,
            "kind": office.kind,
            "phone": office.phone,
            "emergency_phone": office.emergency_phone,
            "toll_free_phone": office.toll_free_phone,
            "fax": office.fax,
            "email": office.email,
            "latitude": number(office.latitude),
            "longitude": number(office.longitude),
            "last_modified": office.content_modified_at.isoformat(),
        }
        for language in LANGUAGES:
            for field in TRANSLATED:
                row[f"{field}_{language}"] = (
                    getattr(office, f"{field}_{language}") or ""
                )
            with translation.override(language):
                row[f"kind_label_{language}"] = str(office.get_kind_display())
                row[f"page_{language}"] = request.build_absolute_uri(
                    office.get_absolute_url()
                )
        rows.append({column: row[column] for column in COLUMNS})
    return rows


def number(value):
    return None if value is None else float(value)


def last_changed(request, rows):
    """Return when the published data last changed: when `rows` began to be served.

    No column says when an office left the data or joined it on schedule, and
    unpublished changes must not count; the data itself does say it changed.
    One entry per host (the rows hold absolute addresses), so data that comes
    back to an earlier state is dated anew.
    """
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()
    key = f"open-data:served:{request.get_host()}"
    served = cache.get(key)
    if served is None or served[0] != digest:
        served = (digest, timezone.now())
        cache.set(key, served, timeout=None)
    return served[1]


def respond(request, body, content_type, modified):
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    timestamp = int(modified.timestamp())
    response = get_conditional_response(
        request, etag=etag, last_modified=timestamp
    ) or HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def offices_json(request):
    rows = records(request)
    modified = last_changed(request, rows)
    data = {
        "licence": LICENCE,
        "last_modified": modified.isoformat(),
        "offices": rows,
    }
    body = json.dumps(data, ensure_ascii=False, indent=1).encode()
    return respond(request, body, "application/json; charset=utf-8", modified)


@require_safe
def offices_csv(request):
    rows = records(request)
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    # Text a spreadsheet would run as a formula (=HYPERLINK(…), @SUM(…), and
    # "+1 613-…" too) gets a leading apostrophe; numbers stay numbers.
    writer.writerows(
        {
            column: spreadsheet_safe(value) if isinstance(value, str) else value
            for column, value in row.items()
        }
        for row in rows
    )
    response = respond(
        request,
        text.getvalue().encode(),
        "text/csv; charset=utf-8",
        last_changed(request, rows),
    )
    response["Content-Disposition"] = 'inline; filename="offices.csv"'
    return response
