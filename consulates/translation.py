import reversion
from modeltranslation.translator import register

from relations.translation import BothLanguages

from .models import Office, ServedCountry


@register(Office)
class OfficeTranslation(BothLanguages):
    fields = (
        "name",
        "city",
        "slug",
        "address",
        "postal_address",
        "notes",
        "website",
        "services",
        "hours",
    )
    empty_values = {"slug": None}


# After modeltranslation's registration, so both languages' columns are kept.
reversion.register(Office, follow=["served_countries"])
reversion.register(ServedCountry)
