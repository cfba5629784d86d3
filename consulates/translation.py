from modeltranslation.translator import register

from relations.translation import BothLanguages

from .models import Office


@register(Office)
class OfficeTranslation(BothLanguages):
    fields = ("name", "city", "slug", "address", "notes", "website")
