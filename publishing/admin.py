"""The editors' side of publishing: forms that save through
publishing.workflow, the draft shown in the form, the review screen, history
with any two revisions compared, and restore. `PublishingAdmin` serves every
publishable model (relationships, offices).

The admin writes nothing itself: a change form's values become a draft's
(publishing.drafts) and the workflow decides whether they go live. django-
reversion keeps the revisions; its admin views are not used.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.models import Version

from . import diffs, drafts, workflow
from .languages import LANGUAGES
from .models import Activity, Draft, NotTranslated, Redirect, Status
from .workflow import refusal_text


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "updated_at"]
    search_fields = ["old_path", "new_path"]
    readonly_fields = ["created_at", "updated_at"]
    # Django's own: templates/admin/publishing/ holds the content forms' ones,
    # which the admin would otherwise pick for this app's models.
    change_form_template = "admin/change_form.html"
    object_history_template = "admin/object_history.html"


class MinorChangeForm(forms.ModelForm):
    minor_change = forms.BooleanField(
        label=_("Minor change"),
        required=False,
        help_text=_(
            "A correction that does not change the meaning (a typo, a broken "
            "link): “Date modified” stays as it is."
        ),
    )


class ContentForm(MinorChangeForm):
    """A publishable object's form, which knows the version it was opened on."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            opened = cleaned.get("opened_version")
            if opened != self.instance.version:
                raise ValidationError(
                    str(workflow.Conflict(self.instance, opened)), code="conflict"
                )
        return cleaned


class ChildFormSet(BaseInlineFormSet):
    """The forms of a page's parts, showing its draft: the parts it changes
    with their draft values, without those it removes, and its new ones."""

    def shown(self):
        """Return (live parts as the draft has them, new parts of the draft)."""
        if not hasattr(self, "shown_parts"):
            parts = list(super().get_queryset())
            new = []
            draft = Draft.of(self.instance)
            relation = self.relation_name()
            if draft is not None and relation in draft.values["children"]:
                # Not build(): the page is the form's, with its posted values.
                children = drafts.parts(self.instance, draft.values)
                parts = [child for child in children[relation] if child.pk]
                new = [child for child in children[relation] if child.pk is None]
            for part in parts + new:
                setattr(part, self.fk.name, self.instance)
            self.shown_parts = (parts, new)
        return self.shown_parts

    def relation_name(self):
        for name, model, _parent in drafts.relations(self.instance):
            if model is self.model:
                return name
        return None

    def get_queryset(self):
        return self.shown()[0]

    def get_form_kwargs(self, index):
        """Give each new part's form its instance, linked to the (unsaved)
        page, so that it validates with the page as the form has it."""
        kwargs = super().get_form_kwargs(index)
        if index is None:
            # The empty form the page copies for "Add another".
            return kwargs
        existing, new = self.shown()
        extra = index - len(existing)
        if 0 <= extra < len(new):
            # A new part of the draft: validated even if left untouched.
            kwargs.update(instance=new[extra], empty_permitted=False)
        elif extra >= 0:
            kwargs["instance"] = self.model(**{self.fk.name: self.instance})
        return kwargs


class ChildInline:
    """For the inlines of a publishable model: shows its draft's new parts."""

    formset = ChildFormSet

    def get_extra(self, request, obj=None, **kwargs):
        draft = Draft.of(obj) if obj is not None else None
        if draft is None:
            return super().get_extra(request, obj, **kwargs)
        rows = draft.values["children"].get(self.relation_name(obj), [])
        return sum(1 for row in rows if row["pk"] is None)

    def relation_name(self, obj):
        for name, model, _parent in drafts.relations(obj):
            if model is self.model:
                return name
        return None


class TranslationStatusFilter(admin.SimpleListFilter):
    title = _("translation")
    parameter_name = "translation"

    def lookups(self, request, model_admin):
        return [
            ("complete", _("Complete in both languages")),
            ("en", _("Missing English")),
            ("fr", _("Missing French")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value not in {"complete", "en", "fr"}:
            return queryset
        ids = []
        for obj in queryset:
            missing = obj.missing_translations()
            if value == "complete" and not any(missing.values()) or missing.get(value):
                ids.append(obj.pk)
        return queryset.filter(pk__in=ids)


def error_summary(form, inline_admin_formsets):
    """Return (label, messages, field id) for each field in error, the form's
    first, then each inline section's: a field on a tab not showing has its
    error listed where it can be seen."""
    found = [(form, "")]
    for inline in inline_admin_formsets:
        name = capfirst(inline.formset.model._meta.verbose_name)
        for number, child in enumerate(inline.formset.forms, start=1):
            # A section marked for deletion is not validated.
            if not getattr(child, "cleaned_data", {}).get("DELETE"):
                found.append((child, f"{name} {number}, "))
    summary = []
    for each, section in found:
        for field in each.fields:
            if field in each.errors:
                bound = each[field]
                summary.append(
                    (section + bound.label, each.errors[field], bound.id_for_label)
                )
    return summary


class PublishingAdmin(TabbedTranslationAdmin):
    """Admin for content with a status, a draft, a review and a history."""

    form = ContentForm
    change_form_template = "admin/publishing/change_form.html"
    actions = ["publish", "unpublish", "archive", "discard_draft_change"]
    publication_fieldset = (
        _("Publishing"),
        {
            "fields": [
                "status",
                "publish_at",
                "unpublish_at",
                "first_published_at",
                "minor_change",
                "opened_version",
            ]
        },
    )

    # Permissions

    def has_publish_permission(self, request, obj=None):
        return workflow.may_publish(request.user, obj or self.model())

    def get_readonly_fields(self, request, obj=None):
        fields = [
            *super().get_readonly_fields(request, obj),
            "status",
            "first_published_at",
        ]
        if not self.has_publish_permission(request):
            fields += ["publish_at", "unpublish_at"]
        return fields

    def get_object(self, request, object_id, from_field=None):
        """Return the object as its form edits it: with its draft's values
        applied (unsaved), if it has a draft."""
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and (draft := Draft.of(obj)) is not None:
            drafts.assign(obj, draft.values["fields"])
        return obj

    def live_object(self, request, object_id):
        obj = super().get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return obj

    # Lists

    def get_queryset(self, request):
        # Each row's draft state in the same query: the list says which wait.
        drafts = Draft.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=OuterRef("pk"),
        )
        return (
            super()
            .get_queryset(request)
            .annotate(draft_state=Subquery(drafts.values("state")[:1]))
        )

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        label = self.status_label(obj)
        state = getattr(obj, "draft_state", None)
        if state is None:
            return label
        if state == Draft.State.SUBMITTED:
            return gettext("%(status)s, changes awaiting review") % {"status": label}
        return gettext("%(status)s, with draft changes") % {"status": label}

    def status_label(self, obj):
        now = timezone.now()
        label = obj.get_status_display()
        if obj.status == Status.PUBLISHED and obj.publish_at and obj.publish_at > now:
            return gettext("Scheduled for %(date)s") % {
                "date": timezone.localtime(obj.publish_at).strftime("%Y-%m-%d %H:%M")
            }
        if obj.status == Status.PUBLISHED and not obj.is_live(now):
            return gettext("Unpublished on schedule")
        return label

    @admin.display(description=_("translation"))
    def translation_status(self, obj):
        missing = obj.missing_translations()
        parts = []
        for language in LANGUAGES:
            count = len(missing[language])
            code = language.upper()
            if count:
                parts.append(
                    ngettext(
                        "%(code)s ✗ %(count)d field",
                        "%(code)s ✗ %(count)d fields",
                        count,
                    )
                    % {"code": code, "count": count}
                )
            else:
                parts.append(f"{code} ✓")
        return " ".join(parts)

    def preview_url(self, obj, language):
        with translation.override(language):
            return obj.get_preview_url()

    # Actions on the change list, each through the workflow

    def run(self, request, queryset, change, done_message):
        done = 0
        for obj in queryset:
            try:
                if change(obj):
                    done += 1
            except (NotTranslated, ValidationError, workflow.Conflict) as refusal:
                self.message_user(request, refusal_text(refusal), messages.ERROR)
            except workflow.NotAllowed:
                self.message_user(
                    request,
                    gettext("You may not do this to “%(name)s”.")
                    % {"name": obj.display_name()},
                    messages.ERROR,
                )
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Publish"), permissions=["publish"])
    def publish(self, request, queryset):
        def publish(obj):
            published = workflow.publish(obj, request.user)
            if waiting := self.companions(published):
                self.message_user(
                    request,
                    gettext(
                        "Visitors of “%(name)s” do not see these yet: %(waiting)s. "
                        "Publish them from the page’s form, or from their list."
                    )
                    % {
                        "name": published.display_name(),
                        "waiting": "; ".join(c.display_name() for c in waiting),
                    },
                    messages.WARNING,
                )
            return published

        self.run(
            request,
            queryset,
            publish,
            lambda done: (
                ngettext(
                    "%(count)d item published.", "%(count)d items published.", done
                )
                % {"count": done}
            ),
        )

    @admin.action(description=_("Unpublish (back to draft)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self.run(
            request,
            queryset,
            lambda obj: workflow.unpublish(obj, request.user),
            lambda done: (
                ngettext(
                    "%(count)d item unpublished.", "%(count)d items unpublished.", done
                )
                % {"count": done}
            ),
        )

    @admin.action(description=_("Archive"), permissions=["publish"])
    def archive(self, request, queryset):
        self.run(
            request,
            queryset,
            lambda obj: workflow.archive(obj, request.user),
            lambda done: (
                ngettext("%(count)d item archived.", "%(count)d items archived.", done)
                % {"count": done}
            ),
        )

    @admin.action(description=_("Discard draft changes"), permissions=["change"])
    def discard_draft_change(self, request, queryset):
        self.run(
            request,
            queryset,
            lambda obj: workflow.discard(obj, request.user),
            lambda done: (
                ngettext(
                    "Draft changes of %(count)d item discarded.",
                    "Draft changes of %(count)d items discarded.",
                    done,
                )
                % {"count": done}
            ),
        )

    # Saving: the form's values go through the workflow

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not change:
            super().save_related(request, form, formsets, change)
            return
        children = {}
        for formset in formsets:
            name = formset.relation_name()
            children[name] = [
                each.instance
                for each in formset.forms
                if each not in formset.deleted_forms
                and (
                    each.instance.pk is not None
                    or each.has_changed()
                    or not each.empty_permitted
                )
            ]
        values = drafts.capture(form.instance, children)
        user = request.user
        minor = form.cleaned_data.get("minor_change", False)
        version = form.cleaned_data.get("opened_version")
        obj = form.instance
        if "_draft" in request.POST or "_submit" in request.POST:
            workflow.save_draft(obj, user, values, version, minor)
        else:
            workflow.save(obj, user, values, version, minor)
            if self.has_publish_permission(request, obj):
                schedule = {
                    name: form.cleaned_data.get(name)
                    for name in ("publish_at", "unpublish_at")
                    if name in form.cleaned_data
                }
                if schedule:
                    type(obj).objects.filter(pk=obj.pk).update(**schedule)

    def construct_change_message(self, request, form, formsets, add=False):
        # The formsets saved nothing (the workflow did): their parts are not
        # listed, only the form's fields.
        return super().construct_change_message(request, form, [], add)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (workflow.Conflict, ValidationError, NotTranslated) as refusal:
            # Raised while saving, after the form validated: everything the
            # save did is rolled back.
            self.message_user(request, refusal_text(refusal), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def response_change(self, request, obj):
        draft = Draft.of(obj)
        held = draft is not None and (
            workflow.holds_changes(request.user, obj)
            or "_draft" in request.POST
            or "_submit" in request.POST
        )
        if not held:
            return super().response_change(request, obj)
        if "_submit" in request.POST:
            return HttpResponseRedirect(self.url(obj, "submit"))
        self.message_user(
            request,
            gettext(
                "Your changes are saved as a draft. Visitors see the published "
                "version until a publisher publishes them."
            ),
            messages.SUCCESS,
        )
        if "_continue" in request.POST:
            return HttpResponseRedirect(request.path)
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        )

    # Views

    def url(self, obj, view, *args):
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_{view}"
        return reverse(name, args=[obj.pk, *args])

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = super().get_object(request, unquote(object_id))
        context = dict(extra_context or {})
        if obj is not None:
            draft = Draft.of(obj)
            shown = self.get_object(request, unquote(object_id))
            missing = shown.missing_translations()
            context.update(
                preview_urls=[
                    ("en", "Preview in English", self.preview_url(obj, "en")),
                    ("fr", "Aperçu en français", self.preview_url(obj, "fr")),
                ],
                translation_missing=[
                    (diffs.language_name(language), missing[language])
                    for language in LANGUAGES
                    if missing[language]
                ],
                draft=draft,
                draft_authors=", ".join(str(a) for a in draft.authors.all())
                if draft
                else "",
                holds_changes=workflow.holds_changes(request.user, obj),
                may_publish=self.has_publish_permission(request, obj),
                may_discard=draft is not None
                and (
                    self.has_publish_permission(request, obj)
                    or set(draft.authors.all()) <= {request.user}
                ),
                activities=Activity.objects.of(obj).select_related("user")[:5],
            )
        return super().change_view(request, object_id, form_url, context)

    def render_change_form(self, request, context, *args, **kwargs):
        context["error_summary"] = error_summary(
            context["adminform"].form, context.get("inline_admin_formsets", [])
        )
        return super().render_change_form(request, context, *args, **kwargs)

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
        with transaction.atomic():
            workflow.publish(obj, request.user, version, **options)
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
