import reversion
from modeltranslation.translator import TranslationOptions, register

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


class BothLanguages(TranslationOptions):
    """Drafts may lack a language; publishing requires both (Publishable.publish)."""

    required_languages = ()


@register(Relationship)
class RelationshipTranslation(BothLanguages):
    fields = ("partner_name", "partner_name_with_article", "title", "slug", "summary")
    # Unique per language: a draft without its French slug stores NULL, not "".
    empty_values = {"slug": None}


@register(Topic)
class TopicTranslation(BothLanguages):
    fields = ("title", "anchor", "body", "closing")
    empty_values = {"anchor": None}


@register(Agreement)
class AgreementTranslation(BothLanguages):
    fields = ("name", "url")


@register(Organization)
class OrganizationTranslation(BothLanguages):
    fields = ("name", "url")


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en", "fr")


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name", "travel_advice_url")
    # A name in both languages; the travel advice in both or neither
    # (Country.clean).
    required_languages = {"en": ("name",), "fr": ("name",)}


# reversion records the fields a model has when it is registered: only now,
# after modeltranslation added title_en and title_fr, does it keep both.
reversion.register(
    Relationship,
    follow=["topics", "agreement_links", "organization_links"],
    # Not content: a restored revision must not bring back an old number.
    exclude=["page_version"],
)
reversion.register(Topic)
reversion.register(RelationshipAgreement)
reversion.register(RelationshipOrganization)
reversion.register(Agreement)
reversion.register(Organization)
