from modeltranslation.translator import TranslationOptions, register

from .models import Agreement, Organization, Relationship, Topic


class BothLanguages(TranslationOptions):
    required_languages = ("en", "fr")


@register(Relationship)
class RelationshipTranslation(BothLanguages):
    fields = ("partner_name", "partner_name_with_article", "title", "slug", "summary")


@register(Topic)
class TopicTranslation(BothLanguages):
    fields = ("title", "anchor", "body", "closing")


@register(Agreement)
class AgreementTranslation(BothLanguages):
    fields = ("name", "url")


@register(Organization)
class OrganizationTranslation(BothLanguages):
    fields = ("name", "url")
