from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline

from .models import (
    Agreement,
    Organization,
    Relationship,
    RelationshipAgreement,
    RelationshipOrganization,
    Topic,
)


class TopicInline(TranslationStackedInline):
    model = Topic
    extra = 0
    fields = ["sort_order", "title", "anchor", "body", "listing", "closing"]
    prepopulated_fields = {"anchor_en": ["title_en"], "anchor_fr": ["title_fr"]}


class AgreementLinkInline(admin.TabularInline):
    model = RelationshipAgreement
    extra = 0
    fields = ["sort_order", "agreement"]
    autocomplete_fields = ["agreement"]


class OrganizationLinkInline(admin.TabularInline):
    model = RelationshipOrganization
    extra = 0
    fields = ["sort_order", "organization"]
    autocomplete_fields = ["organization"]


@admin.register(Relationship)
class RelationshipAdmin(TabbedTranslationAdmin):
    list_display = ["title", "country_code", "is_published", "content_modified_at"]
    list_filter = ["is_published"]
    search_fields = ["title_en", "title_fr", "partner_name_en", "partner_name_fr"]
    prepopulated_fields = {
        "slug_en": ["partner_name_en"],
        "slug_fr": ["partner_name_fr"],
    }
    readonly_fields = ["content_modified_at", "first_published_at", "created_at"]
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
                    "is_published",
                ]
            },
        ),
        (
            _("Dates"),
            {"fields": ["content_modified_at", "first_published_at", "created_at"]},
        ),
    ]
    inlines = [TopicInline, AgreementLinkInline, OrganizationLinkInline]


class LinkedItemAdmin(TabbedTranslationAdmin):
    list_display = ["name", "url", "page_count"]
    search_fields = ["name_en", "name_fr"]
    fields = ["name", "url"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(pages=Count("relationships"))

    @admin.display(description=_("pages"), ordering="pages")
    def page_count(self, obj):
        return obj.pages


@admin.register(Agreement)
class AgreementAdmin(LinkedItemAdmin):
    pass


@admin.register(Organization)
class OrganizationAdmin(LinkedItemAdmin):
    pass
