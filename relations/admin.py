"""The editors' product: the official-languages gate on forms, publishing
actions, translation status, history with readable changes, restore, compare
languages and preview. `PublishingAdmin` serves relationships and offices."""

import difflib
import html
import re

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, Count, Exists, OuterRef
from django.db.models.functions import Cast
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline
from modeltranslation.translator import translator
from reversion.admin import VersionAdmin
from reversion.models import Version

from .models import (
    LANGUAGES,
    Agreement,
    DraftChange,
    NotTranslated,
    Organization,
    Relationship,
    RelationshipAgreement,
    RelationshipOrganization,
    Status,
    Topic,
    language_in_sentence,
    minor_change,
)
from .richtext import RichTextField, sanitize

PUBLICATION_FIELDS = ("status", "publish_at", "unpublish_at", "first_published_at")


def language_name(language):
    return gettext("English") if language == "en" else gettext("French")


class ContentForm(forms.ModelForm):
    """A content form that keeps published content complete in both languages."""

    minor_change = forms.BooleanField(
        label=_("Minor change"),
        required=False,
        help_text=_(
            "A correction that does not change the meaning (a typo, a broken "
            "link): “Date modified” stays as it is."
        ),
    )


class ListedItemForm(forms.ModelForm):
    """A shared agreement or organization listed on a page."""

    def clean(self):
        cleaned = super().clean()
        item = cleaned.get(self._meta.model.item_field)
        parent = getattr(self.instance, "relationship", None)
        if (
            item
            and parent
            and not cleaned.get("DELETE")
            and parent.must_stay_complete()
        ):
            for language, names in item.incomplete_fields().items():
                if names:
                    self.add_error(
                        self._meta.model.item_field,
                        gettext(
                            "“%(item)s” is not complete in %(language)s; complete "
                            "it before listing it on a published page."
                        )
                        % {
                            "item": item.display_name(),
                            "language": language_in_sentence(language),
                        },
                    )
        return cleaned


class ChildFormSet(BaseInlineFormSet):
    """Inline forms whose instances know their (unsaved) page."""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.relationship = self.instance
        return form


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


def word_diff(old, new):
    """Return HTML marking removed words with <del> and added ones with <ins>."""
    old_words = re.findall(r"\S+|\s+", old)
    new_words = re.findall(r"\S+|\s+", new)
    parts = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed = html.escape("".join(old_words[a1:a2]))
        added = html.escape("".join(new_words[b1:b2]))
        if op == "equal":
            parts.append(removed)
        else:
            if removed:
                parts.append(f"<del>{removed}</del>")
            if added:
                parts.append(f"<ins>{added}</ins>")
    return mark_safe("".join(parts))


def readable(value):
    """Return a stored value as text: rich text without its tags."""
    if value is None:
        return ""
    text = str(value)
    if "<" in text:
        text = re.sub(r"</(p|h3|h4|li|blockquote)>", "\n", text)
        text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return text.strip()


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


BLANK = (None, "")


def field_changes(model, old, new):
    """Return [(label, diff)] for the fields that differ between two field dicts."""
    opts = model._meta
    translated = {}
    if model in translator.get_registered_models():
        translated = translator.get_options_for_model(model).fields
    changes = []
    skip = {"id", "created_at", "updated_at", "content_modified_at"}
    for field in opts.concrete_fields:
        if field.attname in skip or field.name in translated:
            continue
        if getattr(field, "translated_field", None) is not None:
            base = field.translated_field
            label = f"{base.verbose_name} ({language_name(field.language)})"
        else:
            label = str(field.verbose_name)
        before, after = old.get(field.attname), new.get(field.attname)
        # A blank field is stored as "" by one path and NULL by another.
        if before != after and not (before in BLANK and after in BLANK):
            if field.choices:
                choices = dict(field.flatchoices)
                before, after = choices.get(before, before), choices.get(after, after)
            changes.append((label, word_diff(readable(before), readable(after))))
    return changes


class MinorChangeAdmin(VersionAdmin, TabbedTranslationAdmin):
    """Content admin whose form offers "Minor change" (see ContentForm)."""

    form = ContentForm

    def save_model(self, request, obj, form, change):
        with minor_change(form.cleaned_data.get("minor_change", False)):
            super().save_model(request, obj, form, change)


class PublishingAdmin(MinorChangeAdmin):
    """Admin for content with a status, a translation gate and a history."""

    object_history_template = "admin/publishing/object_history.html"
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
            ]
        },
    )

    # Permissions

    def has_publish_permission(self, request, obj=None):
        opts = self.opts
        return request.user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")

    def holds_changes(self, request, obj):
        """Return True if what this user saves of `obj` waits for a publisher."""
        return (
            obj is not None
            and obj.status == Status.PUBLISHED
            and not self.has_publish_permission(request, obj)
        )

    def get_readonly_fields(self, request, obj=None):
        fields = [
            *super().get_readonly_fields(request, obj),
            "status",
            "first_published_at",
        ]
        if not self.has_publish_permission(request):
            fields += ["publish_at", "unpublish_at"]
        return fields

    # Lists

    def get_queryset(self, request):
        drafts = DraftChange.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=Cast(OuterRef("pk"), CharField()),
        )
        return super().get_queryset(request).annotate(has_draft_change=Exists(drafts))

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        label = self._status_label(obj)
        if getattr(obj, "has_draft_change", False):
            return gettext("%(status)s, with draft changes") % {"status": label}
        return label

    def _status_label(self, obj):
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

    @admin.display(description=_("preview"))
    def preview_links(self, obj):
        return format_html(
            '<a href="{}" lang="en">{}</a> · <a href="{}" lang="fr">{}</a>',
            self.preview_url(obj, "en"),
            "English",
            self.preview_url(obj, "fr"),
            "Français",
        )

    def preview_url(self, obj, language):
        with translation.override(language):
            return obj.get_preview_url()

    def changelist_view(self, request, extra_context=None):
        # Without reversion's wrapper, which holds the whole list in one
        # revision: an action's per-object revisions merged into it, and
        # restoring one page then restored every page the action touched.
        # The list edits nothing itself (no list_editable).
        context = {
            # reversion's list template shows "Recover deleted" with it.
            "has_change_permission": self.has_change_permission(request),
            **(extra_context or {}),
        }
        return super(VersionAdmin, self).changelist_view(request, context)

    # Publishing actions

    def _transition(self, request, queryset, method, comment, done_message):
        """Call `method` on each object, each in a revision; report the outcome.

        Publishing an object publishes its draft changes, if it has any.
        """
        done = 0
        for obj in queryset:
            try:
                with transaction.atomic(), reversion.create_revision():
                    draft = DraftChange.objects.for_object(obj).first()
                    if method == "publish" and draft is not None:
                        obj = draft.apply()
                        draft.delete()
                    getattr(obj, method)()
                    reversion.set_user(request.user)
                    reversion.set_comment(comment)
            except NotTranslated as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(
        description=_("Publish"),
        permissions=["publish"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def publish(self, request, queryset):
        self._transition(
            request,
            queryset,
            "publish",
            gettext("Published."),
            lambda done: (
                ngettext(
                    "%(count)d item published.", "%(count)d items published.", done
                )
                % {"count": done}
            ),
        )

    @admin.action(
        description=_("Unpublish (back to draft)"),
        permissions=["publish"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def unpublish(self, request, queryset):
        self._transition(
            request,
            queryset,
            "unpublish",
            gettext("Unpublished."),
            lambda done: (
                ngettext(
                    "%(count)d item unpublished.", "%(count)d items unpublished.", done
                )
                % {"count": done}
            ),
        )

    @admin.action(
        description=_("Archive"),
        permissions=["publish"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def archive(self, request, queryset):
        self._transition(
            request,
            queryset,
            "archive",
            gettext("Archived."),
            lambda done: (
                ngettext("%(count)d item archived.", "%(count)d items archived.", done)
                % {"count": done}
            ),
        )

    @admin.action(
        description=_("Discard draft changes"),
        permissions=["change"],
        location=[ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM],
    )
    def discard_draft_change(self, request, queryset):
        drafts = DraftChange.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id__in=[str(pk) for pk in queryset.values_list("pk", flat=True)],
        )
        count = drafts.delete()[0]
        self.message_user(
            request,
            ngettext(
                "Draft changes of %(count)d item discarded.",
                "Draft changes of %(count)d items discarded.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )

    # Saving

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "_holding_changes", False) and level == messages.SUCCESS:
            message = gettext(
                "Your changes are saved as a draft. Visitors see the published "
                "version until a publisher publishes them."
            )
        super().message_user(request, message, level, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        minor = form.cleaned_data.get("minor_change", False)
        with minor_change(minor):
            super().save_related(request, form, formsets, change)
        before = getattr(request, "_restoring", None)
        obj = form.instance
        if before and not minor and before["fingerprint"] != obj.content_fingerprint():
            obj.record_modified(timezone.now())

    # Restore: reversion reverts every column; keep the publication state and
    # move "Date modified" only if the restored content differs.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        # reversion checks the version's object id, not its model: a section's
        # version with the same id would be restored as this object.
        if obj is None or not self.versions_of(obj).filter(pk=version_id).exists():
            raise Http404
        request._restoring = {
            "fields": {
                name: getattr(obj, name)
                for name in (*PUBLICATION_FIELDS, "content_modified_at")
                if hasattr(obj, name)
            },
            "fingerprint": obj.content_fingerprint(),
        }
        hold = request.method == "POST" and self.holds_changes(request, obj)
        request._holding_changes = hold

        def view():
            return super(PublishingAdmin, self).revision_view(
                request, object_id, version_id, extra_context
            )

        return self.on_draft(request, obj, view, None, hold) if hold else view()

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        restoring = getattr(request, "_restoring", None)
        if obj is not None and restoring and "fingerprint" in restoring:
            fields = restoring["fields"]
            type(obj).objects.filter(pk=obj.pk).update(**fields)
            for name, value in fields.items():
                setattr(obj, name, value)
        return obj

    # Views

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The change form, showing and saving draft changes where there are some.

        Someone who may not publish saves changes to published content as a
        draft change: the save runs as usual, its revision is kept, and the
        transaction is rolled back so visitors still see the published
        content. A publisher's save publishes the draft changes it shows.
        """
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return super().change_view(request, object_id, form_url, extra_context)
        draft = (
            DraftChange.objects.for_object(obj).select_related("revision__user").first()
        )
        hold = request.method == "POST" and self.holds_changes(request, obj)
        request._holding_changes = hold

        def view():
            shown = self.get_object(request, unquote(object_id))
            missing = shown.missing_translations()
            context = {
                **(extra_context or {}),
                "preview_urls": [
                    ("en", "Preview in English", self.preview_url(obj, "en")),
                    ("fr", "Aperçu en français", self.preview_url(obj, "fr")),
                ],
                "translation_missing": [
                    (language_name(language), missing[language])
                    for language in LANGUAGES
                    if missing[language]
                ],
                "draft_change": draft,
                "draft_version": draft and self.version_in(draft.revision, obj),
                "holds_changes": self.holds_changes(request, obj),
            }
            return super(PublishingAdmin, self).change_view(
                request, object_id, form_url, context
            )

        if draft is None and not hold:
            return view()
        return self.on_draft(request, obj, view, draft, hold)

    def render_change_form(self, request, context, *args, **kwargs):
        context["error_summary"] = error_summary(
            context["adminform"].form, context.get("inline_admin_formsets", [])
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def on_draft(self, request, obj, view, draft, hold):
        """Run `view` on `obj` with `draft` applied, then keep what it saved
        if a publisher saved it, keep it as the draft change if `hold`, or
        else undo it all."""
        with transaction.atomic():
            if draft is not None:
                draft.apply()
            response = view()
            saved = request.method == "POST" and response.status_code == 302
            if saved and not hold:
                if draft is not None:
                    draft.delete()
                return response
            held = DraftChange.snapshot(obj) if saved else None
            if not getattr(response, "is_rendered", True):
                response.render()
            transaction.set_rollback(True)
        if held is not None:
            DraftChange.keep(obj, held, request.user)
        return response

    @staticmethod
    def version_in(revision, obj):
        return revision.version_set.get(
            content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
        )

    def recover_view(self, request, version_id, extra_context=None):
        # Recovering a deleted object brings it back as it was, live if it was.
        if not self.has_publish_permission(request):
            raise PermissionDenied
        kind = ContentType.objects.get_for_model(self.model)
        if not Version.objects.filter(pk=version_id, content_type=kind).exists():
            raise Http404
        return super().recover_view(request, version_id, extra_context)

    def versions_of(self, obj):
        return Version.objects.get_for_object(obj)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        actions = getattr(response, "context_data", {}).get("action_list", [])
        obj = self.get_object(request, unquote(object_id))
        if obj is not None:
            version_ids = dict(self.versions_of(obj).values_list("revision_id", "pk"))
            for action in actions:
                action["version_id"] = version_ids[action["revision"].pk]
        return response

    def get_urls(self):
        prefix = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "<path:object_id>/compare-languages/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{prefix}_compare",
            ),
            path(
                "<path:object_id>/history/<int:version_id>/changes/",
                self.admin_site.admin_view(self.changes_view),
                name=f"{prefix}_changes",
            ),
            *super().get_urls(),
        ]

    def compare_view(self, request, object_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        sections = [(None, self.compare_rows(obj))]
        for child in self.compared_children(obj):
            sections.append(
                (
                    gettext("%(kind)s “%(name)s”")
                    % {"kind": child._meta.verbose_name, "name": child.display_name()},
                    self.compare_rows(child),
                )
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": gettext("Compare languages"),
            "subtitle": obj.display_name(),
            "sections": sections,
            "missing": obj.missing_translations(),
        }
        return TemplateResponse(request, "admin/publishing/compare.html", context)

    def compared_children(self, obj):
        return []

    def compare_rows(self, obj):
        rows = []
        translated = translator.get_options_for_model(type(obj)).fields
        for field in obj._meta.concrete_fields:
            name = field.name
            if name not in translated:
                continue
            cells = []
            for language in LANGUAGES:
                value = getattr(obj, f"{name}_{language}")
                if value and isinstance(field, RichTextField):
                    value = mark_safe(sanitize(value))
                cells.append(value or "")
            rows.append((field.verbose_name, cells, field.blank))
        return rows

    def changes_view(self, request, object_id, version_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(obj).select_related("revision__user"),
            pk=version_id,
        )
        previous = (
            Version.objects.get_for_object(obj)
            .filter(pk__lt=version.pk)
            .select_related("revision")
            .first()
        )
        sections = [
            (
                None,
                "changed",
                field_changes(
                    self.model,
                    previous.field_dict if previous else {},
                    version.field_dict,
                ),
            )
        ]
        sections += self.child_changes(
            version.revision, previous.revision if previous else None
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": obj,
            "title": gettext("What changed"),
            "subtitle": obj.display_name(),
            "version": version,
            "previous": previous,
            "sections": sections,
        }
        return TemplateResponse(request, "admin/publishing/changes.html", context)

    def child_changes(self, revision, previous_revision):
        sections = []
        for model in self.followed_models:
            new = {
                v.object_id: v for v in revision.version_set.all() if v._model is model
            }
            old = (
                {
                    v.object_id: v
                    for v in previous_revision.version_set.all()
                    if v._model is model
                }
                if previous_revision
                else {}
            )
            for object_id in sorted(new.keys() | old.keys(), key=int):
                if object_id not in old:
                    state = "added"
                    changes = field_changes(model, {}, new[object_id].field_dict)
                    name = new[object_id].object_repr
                elif object_id not in new:
                    state, changes, name = "removed", [], old[object_id].object_repr
                else:
                    changes = field_changes(
                        model, old[object_id].field_dict, new[object_id].field_dict
                    )
                    state, name = "changed", new[object_id].object_repr
                    if not changes:
                        continue
                label = gettext("%(kind)s “%(name)s”") % {
                    "kind": model._meta.verbose_name,
                    "name": name,
                }
                sections.append((label, state, changes))
        return sections

    followed_models = ()


class TopicInline(TranslationStackedInline):
    model = Topic
    formset = ChildFormSet
    extra = 0
    fields = ["sort_order", "title", "anchor", "body", "listing", "closing"]
    prepopulated_fields = {"anchor_en": ["title_en"], "anchor_fr": ["title_fr"]}


class AgreementLinkInline(admin.TabularInline):
    model = RelationshipAgreement
    form = ListedItemForm
    formset = ChildFormSet
    extra = 0
    fields = ["sort_order", "agreement"]
    autocomplete_fields = ["agreement"]


class OrganizationLinkInline(admin.TabularInline):
    model = RelationshipOrganization
    form = ListedItemForm
    formset = ChildFormSet
    extra = 0
    fields = ["sort_order", "organization"]
    autocomplete_fields = ["organization"]


@admin.register(Relationship)
class RelationshipAdmin(PublishingAdmin):
    list_display = [
        "title",
        "country_code",
        "status_display",
        "translation_status",
        "content_modified_at",
        "preview_links",
    ]
    list_filter = ["status", TranslationStatusFilter]
    search_fields = ["title_en", "title_fr", "partner_name_en", "partner_name_fr"]
    prepopulated_fields = {
        "slug_en": ["partner_name_en"],
        "slug_fr": ["partner_name_fr"],
    }
    readonly_fields = ["content_modified_at", "created_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "country_code",
                    "partner_name",
                    "partner_name_with_article",
                    "title",
                    "slug",
                    "summary",
                ]
            },
        ),
        PublishingAdmin.publication_fieldset,
        (_("Dates"), {"fields": ["content_modified_at", "created_at"]}),
    ]
    inlines = [TopicInline, AgreementLinkInline, OrganizationLinkInline]
    followed_models = (Topic, RelationshipAgreement, RelationshipOrganization)

    def get_queryset(self, request):
        return super().get_queryset(request).for_page()

    def compared_children(self, obj):
        return obj.translated_parts()


class LinkedItemAdmin(MinorChangeAdmin):
    list_display = ["name", "url", "page_count"]
    search_fields = ["name_en", "name_fr"]
    fields = ["name", "url", "minor_change"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(pages=Count("relationships"))

    def has_change_permission(self, request, obj=None):
        # What a published page lists changes only by a publisher's hand.
        if (
            obj is not None
            and obj.must_stay_complete()
            and not request.user.has_perm("relations.publish_relationship")
        ):
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description=_("pages"), ordering="pages")
    def page_count(self, obj):
        return obj.pages


@admin.register(Agreement)
class AgreementAdmin(LinkedItemAdmin):
    pass


@admin.register(Organization)
class OrganizationAdmin(LinkedItemAdmin):
    pass
