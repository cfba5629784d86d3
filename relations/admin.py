"""The relationship pages' admin: the page with its areas of action and the
agreements and organizations it lists, and the shared lists themselves.
Publishing (drafts, review, history) comes from publishing.admin."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from publishing import currency
from publishing.admin import (
    ChildForm,
    ChildInline,
    MinorChangeForm,
    PublishingAdmin,
    TranslationStatusFilter,
)
from publishing.languages import LANGUAGES, describe_out_of_date, language_in_sentence
from publishing.models import Draft, Status, minor_change
from publishing.translation_editor import TranslationEditorViews
from publishing.xliff_admin import XliffViews

from .models import (
    Agreement,
    Country,
    Organization,
    Region,
    Relationship,
    RelationshipAgreement,
    RelationshipOrganization,
    Topic,
)


class ListedItemForm(ChildForm):
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


class TopicInline(ChildInline, TranslationStackedInline):
    model = Topic
    extra = 0
    fields = ["sort_order", "title", "anchor", "body", "listing", "closing"]
    prepopulated_fields = {"anchor_en": ["title_en"], "anchor_fr": ["title_fr"]}


class AgreementLinkInline(ChildInline, admin.TabularInline):
    model = RelationshipAgreement
    form = ListedItemForm
    extra = 0
    fields = ["sort_order", "agreement"]
    autocomplete_fields = ["agreement"]


class OrganizationLinkInline(ChildInline, admin.TabularInline):
    model = RelationshipOrganization
    form = ListedItemForm
    extra = 0
    fields = ["sort_order", "organization"]
    autocomplete_fields = ["organization"]


@admin.register(Relationship)
class RelationshipAdmin(TranslationEditorViews, XliffViews, PublishingAdmin):
    actions = [*PublishingAdmin.actions, "export_xliff"]
    list_display = [
        "title",
        "country_code",
        "status_display",
        "translation_status",
        "content_modified_at",
    ]
    list_filter = ["status", "region", TranslationStatusFilter]
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
                    "region",
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

    def get_queryset(self, request):
        return super().get_queryset(request).for_page()

    def companions(self, obj):
        # The offices' model through the relation (relations does not import
        # consulates); not obj.offices, which the list prefetches published.
        offices = obj._meta.get_field("offices").related_model.objects
        return list(
            offices.filter(relationship=obj).exclude(
                status__in=[Status.PUBLISHED, Status.ARCHIVED]
            )
        )

    def compared_children(self, obj, children):
        return [
            *children["topics"],
            *(link.item for link in children["agreement_links"]),
            *(link.item for link in children["organization_links"]),
        ]


def listed_by_a_scheduled_draft(item):
    """Return True if draft changes a Publisher scheduled list `item`."""
    link = item.relationship_links.model
    relation = {
        RelationshipAgreement: "agreement_links",
        RelationshipOrganization: "organization_links",
    }[link]
    attname = link._meta.get_field(link.item_field).attname
    for values in Draft.objects.filter(publish_at__isnull=False).values_list(
        "values", flat=True
    ):
        for row in values["children"].get(relation, []):
            if row["fields"].get(attname) == item.pk:
                return True
    return False


class LinkedItemForm(MinorChangeForm):
    """An agreement's or organization's form: while a page visitors see lists
    it, a change may not leave its other language out of date (the
    publishing gate's rule for what is live), unless it is minor."""

    def clean(self):
        cleaned = super().clean()
        item = self.instance
        if (
            item.pk is None
            or cleaned.get("minor_change")
            or not (item.must_stay_complete())
        ):
            return cleaned
        before = currency.out_of_date([item])
        changed = type(item).objects.get(pk=item.pk)
        for name in currency.translated_fields(type(item)):
            for language in LANGUAGES:
                column = f"{name}_{language}"
                if column in cleaned:
                    setattr(changed, column, cleaned[column])
        known = {currency.key(*each[:3]) for each in before}
        left = [
            each
            for each in currency.out_of_date([changed])
            if currency.key(*each[:3]) not in known
        ]
        if left:
            raise forms.ValidationError(
                gettext(
                    "A page visitors see lists this, and the change would leave "
                    "its translation out of date (%(outdated)s). Change both "
                    "languages together, or mark the change minor if it does not "
                    "change the meaning."
                )
                % {"outdated": describe_out_of_date(item, left)}
            )
        return cleaned


class LinkedItemAdmin(TabbedTranslationAdmin):
    list_display = ["name", "url", "page_count"]
    search_fields = ["name_en", "name_fr"]
    form = LinkedItemForm
    fields = ["name", "url", "minor_change"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(pages=Count("relationships"))

    def has_change_permission(self, request, obj=None):
        # What a page visitors see lists, or will list once changes a
        # publisher reviewed and scheduled are published, changes only by a
        # publisher's hand.
        if (
            obj is not None
            and (obj.must_stay_complete() or listed_by_a_scheduled_draft(obj))
            and not request.user.has_perm("relations.publish_relationship")
        ):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        with minor_change(form.cleaned_data.get("minor_change", False)):
            super().save_model(request, obj, form, change)

    @admin.display(description=_("pages"), ordering="pages")
    def page_count(self, obj):
        return obj.pages


@admin.register(Agreement)
class AgreementAdmin(LinkedItemAdmin):
    pass


@admin.register(Organization)
class OrganizationAdmin(LinkedItemAdmin):
    pass


@admin.register(Country)
class CountryAdmin(TabbedTranslationAdmin):
    """Countries come from ISO 3166-1; their names are the Government of
    Canada's, which an editor may correct."""

    list_display = ["code", "name", "region"]
    list_filter = ["region"]
    search_fields = ["code", "name_en", "name_fr"]
    fields = ["code", "name", "region", "travel_advice_url"]

    def get_readonly_fields(self, request, obj=None):
        return ["code"] if obj is not None else []


@admin.register(Region)
class RegionAdmin(TabbedTranslationAdmin):
    list_display = ["name", "sort_order"]
    fields = ["key", "name", "sort_order"]
