from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from .models import Office


@admin.register(Office)
class OfficeAdmin(TabbedTranslationAdmin):
    list_display = ["name", "kind", "city", "run_by", "relationship", "is_published"]
    list_filter = ["relationship", "run_by", "kind", "is_published"]
    list_select_related = ["relationship"]
    search_fields = ["name_en", "name_fr", "city_en", "city_fr"]
    prepopulated_fields = {"slug_en": ["name_en"], "slug_fr": ["name_fr"]}
    fields = [
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
        "is_published",
    ]
