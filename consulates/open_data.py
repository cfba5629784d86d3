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

from django.db.models import Max
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from relations.models import LANGUAGES, Relationship

from .models import Office
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


def last_modified():
    """Return when anything the data is made of last changed."""
    dates = [
        Office.objects.aggregate(latest=Max("content_modified_at"))["latest"],
        Relationship.objects.aggregate(latest=Max("content_modified_at"))["latest"],
    ]
    return max((date for date in dates if date), default=None)


def respond(request, body, content_type, modified):
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    timestamp = int(modified.timestamp()) if modified else None
    response = get_conditional_response(
        request, etag=etag, last_modified=timestamp
    ) or HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if timestamp is not None:
        response["Last-Modified"] = http_date(timestamp)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_safe
def offices_json(request):
    modified = last_modified()
    data = {
        "licence": LICENCE,
        "last_modified": modified.isoformat() if modified else None,
        "offices": records(request),
    }
    body = json.dumps(data, ensure_ascii=False, indent=1).encode()
    return respond(request, body, "application/json; charset=utf-8", modified)


@require_safe
def offices_csv(request):
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records(request))
    response = respond(
        request, text.getvalue().encode(), "text/csv; charset=utf-8", last_modified()
    )
    response["Content-Disposition"] = 'inline; filename="offices.csv"'
    return response
