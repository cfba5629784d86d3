import functools

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Prefetch
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modeltranslation.fields import TranslationField

from .richtext import RichTextField


def unique_in_each_language(field, name, together_with=()):
    """Return unique constraints on each language's column of `field`.

    Not on modeltranslation's untranslated column: it holds whichever language
    was active at save time, so one page's English slug could clash with
    another's French one.
    """
    return [
        models.UniqueConstraint(
            fields=[*together_with, f"{field}_{language}"], name=f"{name}_{language}"
        )
        for language in settings.MODELTRANSLATION_LANGUAGES
    ]


class PageContent(models.Model):
    """Content shown on relationship pages.

    A real change (not a re-save with the same values, not a publication
    change) moves the "Date modified" of every page that shows it.
    """

    untracked_fields = frozenset(
        {"id", "created_at", "updated_at", "content_modified_at"}
        | {"is_published", "first_published_at"}
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding or self.has_content_changes():
            self.mark_pages_modified(timezone.now())
        super().save(*args, **kwargs)
        self._saved_content = self._content()

    @classmethod
    def from_db(cls, db, field_names, values, **kwargs):
        instance = super().from_db(db, field_names, values, **kwargs)
        instance._saved_content = instance._content()
        return instance

    @classmethod
    @functools.cache
    def _content_attnames(cls):
        fields = cls._meta.concrete_fields
        # modeltranslation keeps the untranslated column beside title_en and
        # title_fr; its value follows the active language, so compare only
        # the per-language columns.
        translated = {
            f.translated_field.name for f in fields if isinstance(f, TranslationField)
        }
        return tuple(
            f.attname
            for f in fields
            if f.name not in cls.untracked_fields and f.name not in translated
        )

    def _content(self):
        loaded = self.__dict__
        return {
            name: loaded[name] for name in self._content_attnames() if name in loaded
        }

    def has_content_changes(self):
        saved = getattr(self, "_saved_content", None)
        if saved is None:
            return True
        current = self._content()
        return any(current.get(name) != value for name, value in saved.items())

    def mark_pages_modified(self, when):
        """Record that the pages showing this object changed at `when`."""
        raise NotImplementedError


@receiver(post_delete)
def mark_pages_modified_on_delete(sender, instance, **kwargs):
    if isinstance(instance, PageContent):
        instance.mark_pages_modified(timezone.now())


class RelationshipQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def for_page(self):
        """Fetch everything a relationship page shows, in a fixed number of queries."""
        from consulates.models import Office

        return self.prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("sort_order", "pk")),
            Prefetch(
                "agreement_links",
                queryset=RelationshipAgreement.objects.select_related("agreement"),
            ),
            Prefetch(
                "organization_links",
                queryset=RelationshipOrganization.objects.select_related(
                    "organization"
                ),
            ),
            Prefetch("offices", queryset=Office.objects.published()),
        )


class Relationship(PageContent):
    """Canada's relationship with one partner country: one page per language."""

    country_code = models.CharField(
        _("country code"),
        max_length=2,
        unique=True,
        validators=[
            RegexValidator(
                r"^[A-Z]{2}\Z", _("Enter the two capital letters of ISO 3166-1.")
            )
        ],
        help_text=_("ISO 3166-1 alpha-2 code of the partner country, e.g. US."),
    )
    partner_name = models.CharField(
        _("partner country"),
        max_length=100,
        help_text=_("Short name of the country, e.g. “United States”."),
    )
    partner_name_with_article = models.CharField(
        _("partner country in a sentence"),
        max_length=100,
        help_text=_(
            "The name as it stands in a sentence, with its article if it takes "
            "one: “the United States”, “les États-Unis”, “Mexico”, “le Mexique”."
        ),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("Last part of the page address: lowercase ASCII and hyphens."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=300,
        help_text=_("One or two sentences; search engines show it under the title."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, editable=False
    )
    content_modified_at = models.DateTimeField(
        _("date modified"),
        default=timezone.now,
        editable=False,
        help_text=_("Last real change of the page or of anything shown on it."),
    )
    agreements = models.ManyToManyField(
        "Agreement",
        through="RelationshipAgreement",
        related_name="relationships",
        verbose_name=_("agreements"),
    )
    organizations = models.ManyToManyField(
        "Organization",
        through="RelationshipOrganization",
        related_name="relationships",
        verbose_name=_("organizations"),
    )

    objects = RelationshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["country_code"]
        constraints = unique_in_each_language("slug", name="relationship_slug")

    def __str__(self):
        return self.title or self.country_code

    def save(self, *args, **kwargs):
        if self.is_published and self.first_published_at is None:
            self.first_published_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {
                *update_fields,
                "content_modified_at",
                "first_published_at",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("relations:relationship_detail", kwargs={"slug": self.slug})

    def mark_pages_modified(self, when):
        self.content_modified_at = when


class RelationshipChild(PageContent):
    """Content that belongs to exactly one relationship page."""

    class Meta:
        abstract = True

    def mark_pages_modified(self, when):
        # A child moved to another relationship changes both pages.
        ids = {
            self.relationship_id,
            getattr(self, "_saved_content", {}).get("relationship_id"),
        }
        Relationship.objects.filter(pk__in=ids - {None}).update(
            content_modified_at=when
        )


class Topic(RelationshipChild):
    """An area of action: one section of a relationship page."""

    class Listing(models.TextChoices):
        NONE = "", _("Nothing")
        OFFICES = "offices", _("The offices sentence")
        AGREEMENTS = "agreements", _("The agreements")
        ORGANIZATIONS = "organizations", _("The organizations")

    relationship = models.ForeignKey(
        Relationship,
        on_delete=models.CASCADE,
        related_name="topics",
        verbose_name=_("relationship"),
    )
    title = models.CharField(_("title"), max_length=200)
    anchor = models.SlugField(
        _("anchor"),
        max_length=100,
        validators=[
            RegexValidator(
                r"^wb-",
                _("Anchors starting with “wb-” are reserved."),
                inverse_match=True,
            )
        ],
        help_text=_("Identifies the section in the page address after #."),
    )
    body = RichTextField(_("body"))
    listing = models.CharField(
        _("then show"),
        max_length=20,
        choices=Listing,
        default=Listing.NONE,
        blank=True,
        help_text=_("Generated content shown after the body."),
    )
    closing = RichTextField(
        _("closing text"),
        blank=True,
        help_text=_("Optional text shown after the generated content."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("area of action")
        verbose_name_plural = _("areas of action")
        ordering = ["relationship_id", "sort_order", "pk"]
        constraints = unique_in_each_language(
            "anchor", name="topic_anchor", together_with=["relationship"]
        )

    def __str__(self):
        return self.title or ""


class LinkedItem(PageContent):
    """A named link shared by several relationship pages."""

    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("address (URL)"), max_length=500, blank=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name or ""

    def mark_pages_modified(self, when):
        if self.pk is not None:
            self.relationships.update(content_modified_at=when)


class Agreement(LinkedItem):
    """A trade or investment agreement."""

    class Meta(LinkedItem.Meta):
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")


class Organization(LinkedItem):
    """A multilateral organization or forum, such as the UN or the G7."""

    class Meta(LinkedItem.Meta):
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")


class ListedOnPage(RelationshipChild):
    """Puts a shared item (`item_field`) on one relationship page, in order."""

    item_field = ""

    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return str(self.item)

    @property
    def item(self):
        return getattr(self, self.item_field)


class RelationshipAgreement(ListedOnPage):
    item_field = "agreement"

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="agreement_links"
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.CASCADE,
        related_name="relationship_links",
        verbose_name=_("agreement"),
    )

    class Meta(ListedOnPage.Meta):
        verbose_name = _("agreement on this page")
        verbose_name_plural = _("agreements on this page")
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "agreement"], name="agreement_listed_once"
            )
        ]


class RelationshipOrganization(ListedOnPage):
    item_field = "organization"

    relationship = models.ForeignKey(
        Relationship, on_delete=models.CASCADE, related_name="organization_links"
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="relationship_links",
        verbose_name=_("organization"),
    )

    class Meta(ListedOnPage.Meta):
        verbose_name = _("organization on this page")
        verbose_name_plural = _("organizations on this page")
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "organization"],
                name="organization_listed_once",
            )
        ]
