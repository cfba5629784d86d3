"""The publishing pages of the admin, beside each publishable model's form:
review, submit for review, the confirmations (discard, publish, unpublish,
archive, restore), compare languages, and history with any two revisions
compared. Each page acts through publishing.workflow, which checks the
user's permission itself; these views only ask and show.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from reversion.models import Version

from . import currency, diffs, drafts, workflow
from .languages import language_in_sentence, text_label
from .models import Activity, Draft, NotTranslated
from .workflow import refusal_text


class WorkflowViews:
    """The pages of PublishingAdmin (publishing.admin) beyond the change form
    and list; mixed into it before Django's ModelAdmin. They find the object
    with its `live_object` (which checks the user may see it) and ask its
    `has_publish_permission` and `preview_url`; a model's admin may say what
    is published with the object (`companions`) and compared with it
    (`compared_children`)."""

    def url(self, obj, view, *args):
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}"
        return reverse(name, args=[obj.pk, *args])

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"

        def route(pattern, view, name):
            return path(
                pattern, self.admin_site.admin_view(view), name=f"{prefix}_{name}"
            )

        return [
            route("<path:object_id>/compare-languages/", self.compare_view, "compare"),
            route("<path:object_id>/review/", self.review_view, "review"),
            route("<path:object_id>/submit/", self.submit_view, "submit"),
            route("<path:object_id>/discard/", self.discard_view, "discard"),
            route("<path:object_id>/publish/", self.publish_view, "publish"),
            route("<path:object_id>/unpublish/", self.unpublish_view, "unpublish"),
            route("<path:object_id>/archive/", self.archive_view, "archive"),
            route(
                "<path:object_id>/still-accurate/",
                self.still_accurate_view,
                "still_accurate",
            ),
            route(
                "<path:object_id>/history/compare/",
                self.compare_revisions_view,
                "compare_revisions",
            ),
            route(
                "<path:object_id>/history/<int:version_id>/changes/",
                self.changes_view,
                "changes",
            ),
            route(
                "<path:object_id>/history/<int:version_id>/restore/",
                self.restore_view,
                "restore",
            ),
            *super().get_urls(),
        ]

    def context(self, request, obj, title, **more):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": title,
            "subtitle": obj.display_name(),
            "version": obj.version,
            **more,
        }

    def compare_view(self, request, object_id):
        """Both languages side by side, as the form edits them (with the draft)."""
        obj = self.live_object(request, object_id)
        draft = Draft.of(obj)
        shown, children = drafts.build(
            obj, draft.values if draft else drafts.current(obj)
        )
        sections = [(None, diffs.languages_side_by_side(shown))]
        for child in self.compared_children(shown, children):
            sections.append(
                (
                    gettext("%(kind)s “%(name)s”")
                    % {"kind": child._meta.verbose_name, "name": child.display_name()},
                    diffs.languages_side_by_side(child),
                )
            )
        context = self.context(
            request,
            obj,
            gettext("Compare languages"),
            sections=sections,
            draft=draft,
            missing=shown.missing_translations(),
        )
        return TemplateResponse(request, "admin/publishing/compare.html", context)

    def compared_children(self, obj, children):
        return []

    def companions(self, obj):
        """Return what visitors of `obj` do not see yet and that a Publisher
        may publish with it (a page's unpublished offices)."""
        return []

    def publish_with_companions(self, request, obj, version, **options):
        """Publish `obj` and the companions the form chose, in one step: if
        one is refused, nothing is published."""
        chosen = set(request.POST.getlist("companions"))
        confirmed = request.POST.getlist("still_accurate")[:1000]
        with transaction.atomic():
            workflow.publish(
                obj, request.user, version, still_accurate=confirmed, **options
            )
            for companion in self.companions(obj):
                if str(companion.pk) in chosen:
                    # At the same time as the page's changes, if scheduled.
                    workflow.publish(companion, request.user, at=options.get("at"))

    def review_view(self, request, object_id):
        """The draft in both languages beside what is live, and what to do with it."""
        obj = self.live_object(request, object_id)
        draft = Draft.of(obj)
        if draft is None:
            self.message_user(
                request, gettext("There are no draft changes."), messages.INFO
            )
            return HttpResponseRedirect(self.url(obj, "change"))
        error = None
        comment_error = False
        comment = request.POST.get("comment", "")[:2000]
        if request.method == "POST":
            version = parse_version(request.POST.get("version"))
            link = request.build_absolute_uri(self.url(obj, "review"))
            comment_error = "_send_back" in request.POST and not comment.strip()
            try:
                if "_send_back" in request.POST:
                    workflow.send_back(obj, request.user, version, comment, link)
                    self.message_user(
                        request,
                        gettext("The changes were sent back to their authors."),
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(self.url(obj, "change"))
                at = parse_moment(request.POST.get("publish_at", ""))
                if at is False:
                    raise ValidationError(
                        gettext("Enter a date and time such as 2027-01-31 09:00.")
                    )
                self.publish_with_companions(
                    request, obj, version, at=at, comment=comment, link=link
                )
                self.message_user(
                    request,
                    gettext("The changes are published.")
                    if at is None
                    else gettext("The changes will be published on %(date)s.")
                    % {"date": timezone.localtime(at).strftime("%Y-%m-%d %H:%M")},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self.url(obj, "change"))
            except workflow.NotAllowed:
                raise PermissionDenied from None
            except (NotTranslated, ValidationError, workflow.Conflict) as refusal:
                error = refusal_text(refusal)
        built, children = drafts.build(type(obj).objects.get(pk=obj.pk), draft.values)
        languages = [(None, diffs.languages_side_by_side(built))]
        for child in self.compared_children(built, children):
            languages.append(
                (
                    gettext("%(kind)s “%(name)s”")
                    % {"kind": child._meta.verbose_name, "name": child.display_name()},
                    diffs.languages_side_by_side(child),
                )
            )
        context = self.context(
            request,
            obj,
            gettext("Review changes"),
            draft=draft,
            error=error,
            comment_error=comment_error,
            comment=comment if error else "",
            publish_at=request.POST.get("publish_at", "")[:40] if error else "",
            changes=diffs.sections(obj, drafts.current(obj), draft.values),
            languages=languages,
            missing=built.missing_translations(),
            out_of_date=self.out_of_date(obj),
            confirmed=set(request.POST.getlist("still_accurate")),
            activities=Activity.objects.of(obj).select_related("user")[:10],
            may_publish=self.has_publish_permission(request, obj),
            companions=self.companions(obj),
            preview_urls=[
                ("en", "Preview in English", self.preview_url(obj, "en")),
                ("fr", "Aperçu en français", self.preview_url(obj, "fr")),
            ],
        )
        return TemplateResponse(
            request,
            "admin/publishing/review.html",
            context,
            status=400 if error else 200,
        )

    def confirm_view(
        self,
        request,
        object_id,
        *,
        title,
        question,
        button,
        act,
        done,
        companions=(),
        successors=None,
        out_of_date=(),
        in_history=False,
    ):
        """A confirmation page whose POST does `act(obj, user, version)`."""
        obj = self.live_object(request, object_id)
        error = None
        if request.method == "POST":
            try:
                act(obj, request.user, parse_version(request.POST.get("version")))
            except workflow.NotAllowed:
                raise PermissionDenied from None
            except (NotTranslated, ValidationError, workflow.Conflict) as refusal:
                error = refusal_text(refusal)
            else:
                self.message_user(request, done, messages.SUCCESS)
                return HttpResponseRedirect(self.url(obj, "change"))
        context = self.context(
            request,
            obj,
            title,
            question=question,
            button=button,
            error=error,
            draft=Draft.of(obj),
            companions=companions,
            successors=successors,
            out_of_date=out_of_date,
            confirmed=set(request.POST.getlist("still_accurate")),
            in_history=in_history,
        )
        return TemplateResponse(
            request,
            "admin/publishing/confirm.html",
            context,
            status=400 if error else 200,
        )

    def discard_view(self, request, object_id):
        return self.confirm_view(
            request,
            object_id,
            title=gettext("Discard draft changes"),
            question=gettext(
                "Discard the draft changes? Visitors keep seeing the published "
                "version; the draft cannot be brought back."
            ),
            button=gettext("Discard draft changes"),
            act=lambda obj, user, version: workflow.discard(obj, user, version),
            done=gettext("The draft changes were discarded."),
        )

    def publish_view(self, request, object_id):
        obj = self.live_object(request, object_id)
        if Draft.of(obj) is not None:
            return HttpResponseRedirect(self.url(obj, "review"))
        return self.confirm_view(
            request,
            object_id,
            title=gettext("Publish"),
            question=gettext(
                "Publish this? Visitors see it from its publication date, or now."
            ),
            button=gettext("Publish"),
            act=lambda obj, user, version: self.publish_with_companions(
                request, obj, version
            ),
            done=gettext("Published."),
            companions=self.companions(obj),
            out_of_date=self.out_of_date(obj),
        )

    def unpublish_view(self, request, object_id):
        return self.confirm_view(
            request,
            object_id,
            title=gettext("Unpublish"),
            question=gettext(
                "Take this from visitors? It goes back to draft; its draft "
                "changes, if any, stay as they are."
            ),
            button=gettext("Unpublish"),
            act=lambda obj, user, version: workflow.unpublish(obj, user, version),
            done=gettext("Unpublished: visitors no longer see it."),
        )

    def archive_view(self, request, object_id):
        obj = self.live_object(request, object_id)
        successors = [
            each
            for each in self.model.objects.published().exclude(pk=obj.pk)
            if each.is_live()
        ]

        def archive(obj, user, version):
            chosen = request.POST.get("successor", "")
            successor = next((s for s in successors if str(s.pk) == chosen), None)
            if chosen and successor is None:
                raise ValidationError(
                    gettext("Choose a published page to send visitors to.")
                )
            workflow.archive(obj, user, version, successor=successor)

        return self.confirm_view(
            request,
            object_id,
            title=gettext("Archive"),
            question=gettext(
                "Archive this? Its address keeps answering, with Canada.ca’s "
                "archived notice; it leaves the lists, the sitemap and open data. "
                "Its draft changes, if any, stay as they are."
            ),
            button=gettext("Archive"),
            act=archive,
            done=gettext("Archived."),
            successors=successors,
        )

    def submit_view(self, request, object_id):
        obj = self.live_object(request, object_id)
        draft = Draft.of(obj)
        if draft is None:
            self.message_user(
                request, gettext("There are no draft changes."), messages.INFO
            )
            return HttpResponseRedirect(self.url(obj, "change"))
        error = None
        if request.method == "POST":
            try:
                workflow.submit(
                    obj,
                    request.user,
                    parse_version(request.POST.get("version")),
                    request.POST.get("comment", "")[:2000],
                    request.build_absolute_uri(self.url(obj, "review")),
                )
            except workflow.NotAllowed:
                raise PermissionDenied from None
            except (ValidationError, workflow.Conflict) as refusal:
                error = refusal_text(refusal)
            else:
                self.message_user(
                    request,
                    gettext("Your changes are submitted for review."),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self.url(obj, "change"))
        context = self.context(
            request,
            obj,
            gettext("Submit for review"),
            draft=draft,
            error=error,
            changes=diffs.sections(obj, drafts.current(obj), draft.values),
        )
        return TemplateResponse(
            request,
            "admin/publishing/submit.html",
            context,
            status=400 if error else 200,
        )

    # Translations out of date (publishing.currency)

    def describe_out_of_date(self, obj, each, field, language, row):
        twin = currency.other(language)
        source = currency.text(getattr(each, f"{field}_{twin}"))
        model_field = type(each)._meta.get_field(f"{field}_{language}")
        # What names the text to the "Still accurate" page: its address, its form.
        params = {
            "content_type": ContentType.objects.get_for_model(each).pk,
            "object_id": each.pk,
            "field": field,
            "language": language,
        }
        return {
            "kind": each._meta.verbose_name,
            "name": each.display_name(),
            "field": diffs.field_label(model_field),
            "since": row.outdated_at if row else None,
            "diff": diffs.word_diff(
                diffs.readable(row.source_text if row else source),
                diffs.readable(source),
            ),
            "translation": diffs.readable(getattr(each, f"{field}_{language}")),
            "language": language,
            "source_language": twin,
            "params": params,
            "query": urlencode(params),
            "seen": currency.digest(source),
            "key": currency.key(each, field, language),
            "confirmation": currency.confirmation(each, field, language),
            "object": each,
            "column": f"{field}_{language}",
            "language_name": language_in_sentence(language),
            "label": text_label(obj, each, field),
            "link": self.text_link(obj, each, field, language),
        }

    def text_link(self, obj, each, field, language):
        """Return where one text of `obj`'s page is edited: its field in the
        page's form, or the form of the part that has its own (an office)."""
        if each == obj:
            return f"{self.url(obj, 'change')}#id_{field}_{language}"
        opts = each._meta
        if self.admin_site.is_registered(type(each)):
            name = f"admin:{opts.app_label}_{opts.model_name}_change"
            return f"{reverse(name, args=[each.pk])}#id_{field}_{language}"
        return self.url(obj, "change")

    def out_of_date(self, obj):
        """Return the out-of-date texts of `obj` and what its page shows, as
        its draft, if any, leaves them: one dict per text, for the form and
        for a Publisher to confirm while publishing."""
        _objects, found = workflow.as_drafted(obj)
        return [
            self.describe_out_of_date(obj, each, field, language, row)
            for each, field, language, status, row in found
            if status == currency.OUT_OF_DATE
        ]

    def still_accurate_view(self, request, object_id):
        """A Publisher's "Still accurate" on one out-of-date text of the page
        or of what it shows: a confirmation page with the change of the text
        it translates, whose POST records it (as it is saved)."""
        obj = self.live_object(request, object_id)
        asked = request.POST if request.method == "POST" else request.GET
        wanted = (asked.get("content_type", ""), asked.get("object_id", ""))
        target = next(
            (
                each
                for each in obj.shown_objects()
                if (str(ContentType.objects.get_for_model(each).pk), str(each.pk))
                == wanted
            ),
            None,
        )
        field = asked.get("field", "")[:100]
        language = asked.get("language", "")[:8]
        if (
            target is None
            or field not in currency.translated_fields(type(target))
            or language not in currency.LANGUAGES
        ):
            raise Http404
        if not self.has_publish_permission(request, obj):
            raise PermissionDenied
        status, row = currency.status(target, field, language)
        described = self.describe_out_of_date(obj, target, field, language, row)
        error = None
        if request.method == "POST":
            try:
                if asked.get("seen") != described["seen"]:
                    raise ValidationError(
                        gettext(
                            "The text it translates changed since this page was "
                            "opened: read it again before confirming."
                        )
                    )
                workflow.confirm_translation(obj, target, field, language, request.user)
            except workflow.NotAllowed:
                raise PermissionDenied from None
            except ValidationError as refusal:
                error = refusal_text(refusal)
            else:
                self.message_user(
                    request,
                    gettext("Marked as still accurate: %(field)s of “%(name)s”.")
                    % {"field": described["field"], "name": described["name"]},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(self.url(obj, "change"))
        context = self.context(
            request,
            obj,
            gettext("Still accurate?"),
            text=described,
            current=status == currency.CURRENT,
            error=error,
            hidden={**described["params"], "seen": described["seen"]},
        )
        return TemplateResponse(
            request,
            "admin/publishing/still_accurate.html",
            context,
            status=400 if error else 200,
        )

    # History: the revisions django-reversion keeps, read here

    def history_view(self, request, object_id, extra_context=None):
        obj = self.live_object(request, object_id)
        versions = list(
            Version.objects.get_for_object(obj).select_related("revision__user")
        )
        context = self.context(
            request,
            obj,
            gettext("History"),
            versions=versions,
            activities=Activity.objects.of(obj).select_related("user")[:50],
            may_restore=self.has_change_permission(request, obj),
            holds_changes=workflow.holds_changes(request.user, obj),
        )
        return TemplateResponse(
            request, "admin/publishing/object_history.html", context
        )

    def version_of(self, obj, version_id):
        try:
            return (
                Version.objects.get_for_object(obj)
                .select_related("revision__user")
                .get(pk=version_id)
            )
        except Version.DoesNotExist:
            raise Http404 from None

    def changes_view(self, request, object_id, version_id):
        obj = self.live_object(request, object_id)
        version = self.version_of(obj, version_id)
        previous = (
            Version.objects.get_for_object(obj)
            .filter(pk__lt=version.pk)
            .select_related("revision__user")
            .first()
        )
        return self.render_comparison(request, obj, previous, version)

    def compare_revisions_view(self, request, object_id):
        obj = self.live_object(request, object_id)
        older, newer = (
            self.version_of(obj, parse_version(request.GET.get(name)) or 0)
            for name in ("from", "to")
        )
        if older.pk > newer.pk:
            older, newer = newer, older
        return self.render_comparison(request, obj, older, newer)

    def render_comparison(self, request, obj, older, newer):
        empty = {"fields": {}, "children": {}}
        old = workflow.revision_values(obj, older.pk) if older else empty
        new = workflow.revision_values(obj, newer.pk)
        context = self.context(
            request,
            obj,
            gettext("What changed"),
            older=older,
            newer=newer,
            sections=diffs.sections(obj, old, new),
        )
        return TemplateResponse(request, "admin/publishing/changes.html", context)

    def restore_view(self, request, object_id, version_id):
        obj = self.live_object(request, object_id)
        version = self.version_of(obj, version_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        held = workflow.holds_changes(request.user, obj)
        done = (
            gettext(
                "The revision is restored as draft changes: a publisher publishes them."
            )
            if held
            else gettext("The revision is restored.")
        )
        return self.confirm_view(
            request,
            object_id,
            title=gettext("Restore this revision"),
            question=gettext(
                "Restore the content of %(date)s? Its publication state stays as it "
                "is.%(held)s"
            )
            % {
                "date": timezone.localtime(version.revision.date_created).strftime(
                    "%Y-%m-%d %H:%M"
                ),
                "held": " "
                + gettext(
                    "Visitors can see this content: the restored content becomes "
                    "draft changes for a publisher to review."
                )
                if held
                else "",
            },
            button=gettext("Restore"),
            act=lambda obj, user, current: workflow.restore(
                obj, user, version.pk, current
            ),
            done=done,
            in_history=True,
        )


def parse_version(value):
    """Return the version a form was opened on; 0 (which no object has) if
    it is missing or not a number, so the change is refused as out of date
    (None would mean "whatever the version")."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    # Beyond a database integer: no version, nor a query's argument.
    return number if 0 < number < 2**63 else 0


def parse_moment(value):
    """Return an aware datetime from a form's text, None if blank, False if wrong."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        moment = parse_datetime(value.replace(" ", "T", 1))
    except ValueError:
        return False
    if moment is None:
        return False
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        # Near the ends of the calendar, no time zone fits.
        moment.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        return False
    return moment
