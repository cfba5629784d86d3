from django.contrib import admin

from relations.admin import PublishingAdmin, TranslationStatusFilter

from .models import Office


@admin.register(Office)
class OfficeAdmin(PublishingAdmin):
    list_display = [
        "name",
        "kind",
        "city",
        "run_by",
        "relationship",
        "status_display",
        "translation_status",
    ]
    list_filter = ["relationship", "run_by", "kind", "status", TranslationStatusFilter]
    list_select_related = ["relationship"]
    search_fields = ["name_en", "name_fr", "city_en", "city_fr"]
    prepopulated_fields = {"slug_en": ["name_en"], "slug_fr": ["name_fr"]}
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "relationship",
                    "run_by",
                    "kind",
                    "name",
                    "city",
                    "slug",
                    "address",
                    "phone",
                    "email",
                    "website",
                    "notes",
                    "sort_order",
                ]
            },
        ),
        PublishingAdmin.publication_fieldset,
    ]
