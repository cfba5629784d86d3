"""The admin's XLIFF pages for a page and what it shows (publishing.xliff):
download a file for translators, upload the translated file, see what it
would change, and confirm it into drafts for review. Mixed into a
PublishingAdmin (before it) whose model's pages have `shown_objects`.
"""

import io
import secrets
import zipfile

from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import diffs, workflow, xliff
from .languages import language_in_sentence

# How long an uploaded file waits for its confirmation (seconds).
UPLOAD_SECONDS = 1800


def file_name(page, source, version):
    target = "fr" if source == "en" else "en"
    name = slugify(page.display_name()) or str(page.pk)
    return f"{name}-{source}-{target}-xliff{version.replace('.', '')}.xlf"


class XliffViews:
    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"

        def route(pattern, view, name):
            return path(
                pattern, self.admin_site.admin_view(view), name=f"{prefix}_{name}"
            )

        return [
            route("<path:object_id>/xliff/", self.xliff_view, "xliff"),
            route(
                "<path:object_id>/xliff/export/", self.xliff_export_view, "xliff_export"
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The form links to the XLIFF page.
        context = {**(extra_context or {}), "xliff": True}
        return super().change_view(request, object_id, form_url, context)

    # Export

    def xliff_options(self, query):
        source = query.get("source", "en")
        version = query.get("version", "2.0")
        if source not in ("en", "fr") or version not in xliff.VERSIONS:
            raise ValidationError(gettext("Choose a source language and a version."))
        return source, version, query.get("changed_only") == "1"

    def xliff_export_view(self, request, object_id):
        page = self.live_object(request, object_id)
        try:
            source, version, changed_only = self.xliff_options(request.GET)
        except ValidationError as refusal:
            return self.xliff_page(request, page, export_error=refusal.messages[0])
        response = HttpResponse(
            xliff.export(page, source, version, changed_only),
            content_type="application/xliff+xml; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{file_name(page, source, version)}"'
        )
        return response

    @admin.action(description=_("Export for translation (XLIFF 2.0, English source)"))
    def export_xliff(self, request, queryset):
        pages = list(queryset.order_by("pk")[:500])
        if len(pages) == 1:
            return self.xliff_export_view(request, str(pages[0].pk))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for page in pages:
                if self.has_view_or_change_permission(request, page):
                    archive.writestr(
                        file_name(page, "en", "2.0"), xliff.export(page, "en", "2.0")
                    )
        response = HttpResponse(buffer.getvalue(), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="xliff.zip"'
        return response

    # Import: upload, preview, confirm

    def xliff_view(self, request, object_id):
        page = self.live_object(request, object_id)
        if request.method != "POST":
            return self.xliff_page(request, page)
        if not self.has_change_permission(request, page):
            raise PermissionDenied
        if "token" in request.POST:
            return self.xliff_confirm(request, page)
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise xliff.Refused(gettext("Choose the translated XLIFF file."))
            if upload.size > xliff.MAX_BYTES:
                raise xliff.Refused(xliff.too_big())
            data = upload.read()
            result = xliff.plan(page, xliff.read(data))
        except xliff.Refused as refusal:
            return self.xliff_page(request, page, import_error=refusal.messages[0])
        token = secrets.token_urlsafe(24)
        cache.set(
            f"xliff-upload:{token}",
            {"user": request.user.pk, "page": page.pk, "data": data},
            UPLOAD_SECONDS,
        )
        return self.xliff_preview(request, page, result, token)

    def xliff_confirm(self, request, page):
        token = request.POST.get("token", "")[:100]
        kept = cache.get(f"xliff-upload:{token}")
        if not kept or kept["user"] != request.user.pk or kept["page"] != page.pk:
            return self.xliff_page(
                request,
                page,
                import_error=gettext(
                    "This import has expired or is not yours: upload the file again."
                ),
            )
        try:
            result = xliff.plan(page, xliff.read(kept["data"]))
        except xliff.Refused as refusal:
            # The page changed so much since the preview that the file no
            # longer fits it (a text it names is gone).
            return self.xliff_page(request, page, import_error=refusal.messages[0])
        try:
            if result.digest() != request.POST.get("digest"):
                raise xliff.Refused(
                    gettext(
                        "The page changed since the preview: check what the file "
                        "would change now, then confirm again."
                    )
                )
            if not result.changes:
                raise xliff.Refused(gettext("The file changes nothing."))
            with transaction.atomic():
                drafted = xliff.apply(page, request.user, result)
        except xliff.Refused as refusal:
            return self.xliff_preview(
                request, page, result, token, error=refusal.messages[0]
            )
        except (workflow.NotAllowed, PermissionDenied):
            raise PermissionDenied from None
        except (workflow.Conflict, ValidationError) as refusal:
            return self.xliff_preview(
                request, page, result, token, error=workflow.refusal_text(refusal)
            )
        cache.delete(f"xliff-upload:{token}")
        self.message_user(
            request,
            gettext(
                "Translated texts imported: %(count)d, as draft changes of "
                "%(names)s. Submit them for review; visitors see nothing until a "
                "publisher publishes them."
            )
            % {
                "count": len(result.changes),
                "names": ", ".join(f"“{obj.display_name()}”" for obj in drafted),
            },
            messages.SUCCESS,
        )
        return HttpResponseRedirect(self.url(page, "change"))

    def xliff_page(self, request, page, export_error=None, import_error=None):
        context = self.context(
            request,
            page,
            gettext("Translation (XLIFF)"),
            export_error=export_error,
            import_error=import_error,
            may_change=self.has_change_permission(request, page),
            max_megabytes=xliff.MAX_BYTES // (1024 * 1024),
            problems=len(workflow.as_drafted(page)[1]),
        )
        return TemplateResponse(
            request,
            "admin/publishing/xliff.html",
            context,
            status=400 if export_error or import_error else 200,
        )

    def xliff_preview(self, request, page, result, token, error=None):
        def described(change):
            return {
                "label": change.unit.label,
                "diff": diffs.word_diff(
                    diffs.readable(change.old), diffs.readable(change.new)
                ),
            }

        context = self.context(
            request,
            page,
            gettext("Import a translation: check what changes"),
            error=error,
            language=language_in_sentence(result.target),
            target=result.target,
            changes=[described(change) for change in result.changes],
            shared=[described(change) for change in result.shared],
            stale=[unit.label for unit in result.stale],
            unsupported=[unit.label for unit in result.unsupported],
            untranslated=[unit.label for unit in result.untranslated],
            token=token,
            digest=result.digest(),
        )
        return TemplateResponse(
            request,
            "admin/publishing/xliff_preview.html",
            context,
            status=400 if error else 200,
        )
