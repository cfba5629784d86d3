"""The editors' side of publishing: forms that save through
publishing.workflow, the draft shown in the form, the change list's actions.
`PublishingAdmin` serves every publishable model (relationships, offices);
its other pages (review, history, restore, the confirmations) are in
publishing.views.

The admin writes nothing itself: a change form's values become a draft's
(publishing.drafts) and the workflow decides whether they go live. django-
reversion keeps the revisions; its admin views are not used.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import OuterRef, Subquery
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from . import currency, diffs, drafts, workflow
from .languages import LANGUAGES
from .models import Activity, Draft, NotTranslated, Redirect, Status
from .views import WorkflowViews
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


class ChildForm(forms.ModelForm):
    """A part of a page as its inline shows it: the page's draft, or the live
    parts. Each form's own check of uniqueness would compare the part with
    the live table, which is not what the draft holds (a part the draft
    removed and the editor adds back, two parts swapped); the formset checks
    the parts against each other instead (BaseModelFormSet.validate_unique),
    and publishing (drafts.write) deletes removed parts before it checks and
    writes the others."""

    def validate_unique(self):
        pass

    def validate_constraints(self):
        # The same for unique constraints; any other is the part's own.
        model = type(self.instance)
        for constraint in model._meta.constraints:
            if isinstance(constraint, models.UniqueConstraint):
                continue
            try:
                constraint.validate(model, self.instance)
            except ValidationError as error:
                self.add_error(None, error)


class ChildInline:
    """For the inlines of a publishable model: shows its draft's new parts."""

    formset = ChildFormSet
    form = ChildForm

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
            ("complete", _("Complete and current in both languages")),
            ("en", _("Missing English")),
            ("fr", _("Missing French")),
            ("outdated_en", _("English out of date")),
            ("outdated_fr", _("French out of date")),
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value not in {"complete", "en", "fr", "outdated_en", "outdated_fr"}:
            return queryset
        ids = []
        for obj in queryset:
            missing = obj.missing_translations()
            outdated = out_of_date_counts(obj)
            if value == "complete":
                keep = not any(missing.values()) and not any(outdated.values())
            elif value.startswith("outdated_"):
                keep = outdated[value.removeprefix("outdated_")] > 0
            else:
                keep = bool(missing.get(value))
            if keep:
                ids.append(obj.pk)
        return queryset.filter(pk__in=ids)


def mark_out_of_date(form, inline_formsets, out_of_date):
    """Give each out-of-date field of the form and its inlines a badge and
    the change of the text it translates, in its help text (which the field
    is described by)."""
    if not out_of_date:
        return
    forms = [form] + [
        each for inline in inline_formsets for each in inline.formset.forms
    ]
    for text in out_of_date:
        for each in forms:
            instance = each.instance
            if (
                type(instance) is type(text["object"])
                and instance.pk == text["object"].pk
                and text["column"] in each.fields
            ):
                field = each.fields[text["column"]]
                field.help_text = format_html(
                    '<span class="label-out-of-date">{}</span> {} '
                    '<span class="word-diff" lang="{}">{}</span>{}',
                    gettext("Out of date"),
                    gettext("What changed in the text it translates:"),
                    text["source_language"],
                    text["diff"],
                    format_html(" {}", field.help_text) if field.help_text else "",
                )


def out_of_date_counts(obj):
    """Return {language: how many texts of `obj` and what its page shows are
    out of date}."""
    counts = dict.fromkeys(LANGUAGES, 0)
    for _each, _field, language, _row in currency.out_of_date(obj.shown_objects()):
        counts[language] += 1
    return counts


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


class PublishingAdmin(WorkflowViews, TabbedTranslationAdmin):
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
        outdated = out_of_date_counts(obj)
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
            if outdated[language]:
                parts.append(
                    gettext("%(code)s: %(count)d out of date")
                    % {"code": code, "count": outdated[language]}
                )
            if not count and not outdated[language]:
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
                out_of_date=self.out_of_date(obj),
            )
        return super().change_view(request, object_id, form_url, context)

    def render_change_form(self, request, context, *args, **kwargs):
        context["error_summary"] = error_summary(
            context["adminform"].form, context.get("inline_admin_formsets", [])
        )
        mark_out_of_date(
            context["adminform"].form,
            context.get("inline_admin_formsets", []),
            context.get("out_of_date", ()),
        )
        return super().render_change_form(request, context, *args, **kwargs)
