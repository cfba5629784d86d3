from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from publishing.admin import ChildInline, PublishingAdmin, TranslationStatusFilter

from .models import Office, ServedCountry


class ServedCountryInline(ChildInline, admin.TabularInline):
    model = ServedCountry
    extra = 0
    fields = ["country"]
    autocomplete_fields = ["country"]
    verbose_name_plural = _("Countries it also serves (accredited from here)")


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
    inlines = [ServedCountryInline]
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
                    "sort_order",
                ]
            },
        ),
        (
            _("Contact"),
            {
                "fields": [
                    "address",
                    "postal_address",
                    "phone",
                    "emergency_phone",
                    "toll_free_phone",
                    "fax",
                    "email",
                    "website",
                ]
            },
        ),
        (
            _("Services and hours"),
            {"fields": ["services", "hours", "notes"]},
        ),
        (
            _("Map position"),
            {
                "fields": ["latitude", "longitude"],
                "description": _(
                    "Optional. Decimal degrees, e.g. 45.423594 and -75.700929; "
                    "search engines show the office on a map."
                ),
            },
        ),
        PublishingAdmin.publication_fieldset,
    ]
