import reversion
from modeltranslation.translator import register

from relations.translation import BothLanguages

from .models import Office


@register(Office)
class OfficeTranslation(BothLanguages):
    fields = ("name", "city", "slug", "address", "notes", "website")
    empty_values = {"slug": None}


# After modeltranslation's registration, so both languages' columns are kept.
reversion.register(Office)
