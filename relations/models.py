import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connections, models
from django.db.models import Prefetch
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, override
from django.utils.translation import gettext_lazy as _
from modeltranslation.fields import TranslationField
from modeltranslation.translator import translator

from publishing import currency
from publishing.languages import (
    LANGUAGES,
    describe_missing,
    required_message,
)
from publishing.models import (
    Publishable,
    PublishableQuerySet,
    Status,
    is_minor_change,
    moves_date_modified,
)

from .richtext import RichTextField, has_text

# A country's code as ISO 3166-1 writes it: two capital letters.
iso_country_code = RegexValidator(
    r"^[A-Z]{2}\Z", _("Enter the two capital letters of ISO 3166-1.")
)


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
        {"id", "created_at", "updated_at", "content_modified_at", "page_version"}
        | {"version"}
        | {"status", "publish_at", "unpublish_at", "first_published_at"}
    )

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        adding = self._state.adding
        changed = adding or self.has_content_changes()
        if changed and moves_date_modified():
            self.mark_pages_modified(timezone.now())
        super().save(*args, **kwargs)
        if changed:
            # Which language's text is now out of date with the other's.
            before = None if adding else getattr(self, "_saved_content", None)
            currency.record(self, before, minor=is_minor_change())
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
        # A blank text is None or "" (modeltranslation's empty values, a
        # form's): the same content either way.
        loaded = self.__dict__
        return {
            name: ""
            if loaded[name] is None and name in self._text_attnames()
            else loaded[name]
            for name in self._content_attnames()
            if name in loaded
        }

    @classmethod
    @functools.cache
    def _text_attnames(cls):
        return frozenset(
            f.attname
            for f in cls._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        )

    def has_content_changes(self):
        saved = getattr(self, "_saved_content", None)
        if saved is None:
            return True
        current = self._content()
        return any(current.get(name) != value for name, value in saved.items())

    def pages_showing(self):
        """Return the ids of the relationships whose pages show this object."""
        raise NotImplementedError

    def mark_pages_modified(self, when):
        """Record that the pages showing this object changed at `when`."""
        Relationship.objects.filter(pk__in=self.pages_showing()).update(
            content_modified_at=when
        )

    def incomplete_fields(self):
        """Return, for each language, the translated fields this object lacks in it.

        A required field must be filled in both languages; an optional one in
        both or in neither, so neither page shows what the other lacks.
        """
        missing = {language: [] for language in LANGUAGES}
        translated = translator.get_options_for_model(type(self)).fields
        for field in self._meta.concrete_fields:
            name = field.name
            if name not in translated:
                continue
            filled = {
                language
                for language in LANGUAGES
                if has_text(str(getattr(self, f"{name}_{language}") or ""))
            }
            if filled or not field.blank:
                for language in LANGUAGES:
                    if language not in filled:
                        missing[language].append(name)
        return missing

    def missing_translations(self):
        """Return, for each language, readable labels of what is missing in it."""
        return {
            language: [str(self._meta.get_field(name).verbose_name) for name in names]
            for language, names in self.incomplete_fields().items()
        }

    def must_stay_complete(self):
        """Return True if visitors may see this object, so both languages are due."""
        return False

    def clean_fields(self, exclude=None):
        """Validate each field and, while visitors may see this object, that
        each translated field is filled in both languages (or, if optional, in
        neither): the official-languages rule, whatever path validates it."""
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        translated = type(self) in translator.get_registered_models()
        if translated and self.must_stay_complete():
            for language, names in self.incomplete_fields().items():
                for name in names:
                    field = f"{name}_{language}"
                    if exclude is None or field not in exclude:
                        errors.setdefault(field, []).append(
                            ValidationError(
                                required_message(language), code="translation"
                            )
                        )
        if errors:
            raise ValidationError(errors)

    def content_fingerprint(self):
        """Return the content shown to visitors, to tell whether it changed."""
        return self._content()

    def display_name(self):
        """Return a name for messages, in whichever language has one."""
        for language in (get_language(), *LANGUAGES):
            with override(language):
                if name := str(self):
                    return name
        return gettext("(untitled)")


@receiver(post_delete)
def mark_pages_modified_on_delete(sender, instance, **kwargs):
    if isinstance(instance, PageContent) and moves_date_modified():
        instance.mark_pages_modified(timezone.now())


class RelationshipQuerySet(PublishableQuerySet):
    def live_page(self, slug, language):
        """Return the relationship visitors see at `slug` in `language`, or None.

        The query every page not in the page cache starts with, written out
        and read into the model as the ORM would: building it with the ORM,
        or mapping its columns with raw(), each took as long as running it.
        """
        if language not in LANGUAGES:
            return None
        sql, attnames, converters = page_row_reading(self.db, language)
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(sql, [slug, Status.PUBLISHED, Status.ARCHIVED])
            row = cursor.fetchone()
        if row is None:
            return None
        values = []
        for value, (column, converting) in zip(row, converters, strict=True):
            for convert in converting:
                value = convert(value, column, connection)
            values.append(value)
        found = self.model.from_db(self.db, attnames, values)
        return found if found.has_page() else None

    def for_page(self):
        """Fetch everything a relationship page shows, in a fixed number of queries."""
        return self.prefetch_related(*page_prefetches())


@functools.cache
def page_row_reading(alias, language):
    """Return what live_page needs to read a relationship by its slug in
    `language`: the SQL, the fields' names, and for each column what turns
    its database value into the field's (a datetime made aware on SQLite)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    opts = Relationship._meta
    fields = opts.concrete_fields
    sql = (
        f"SELECT {', '.join(quote(field.column) for field in fields)} "
        f"FROM {quote(opts.db_table)} "
        f"WHERE {quote(f'slug_{language}')} = %s AND {quote('status')} IN (%s, %s)"
    )
    converters = []
    for field in fields:
        column = field.get_col(opts.db_table)
        found = connection.ops.get_db_converters(column)
        converters.append((column, found + column.get_db_converters(connection)))
    return sql, [field.attname for field in fields], converters


def page_prefetches():
    """Return the lookups that fetch what a relationship page shows of its own."""
    # The offices' model through the relation: relations does not import
    # consulates, which depends on it.
    offices = Relationship._meta.get_field("offices").related_model
    return [
        Prefetch("topics", queryset=Topic.objects.order_by("sort_order", "pk")),
        Prefetch(
            "agreement_links",
            queryset=RelationshipAgreement.objects.select_related("agreement"),
        ),
        Prefetch(
            "organization_links",
            queryset=RelationshipOrganization.objects.select_related("organization"),
        ),
        Prefetch("offices", queryset=offices.objects.published()),
    ]


class Region(models.Model):
    """One of the ministry's regions of the world, which the index groups by."""

    key = models.SlugField(_("key"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    # Reference data: publishing.currency does not track its translations.
    tracks_translations = False

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.name or self.key


class Country(models.Model):
    """A country of ISO 3166-1, named as the Government of Canada names it.

    Loaded from pycountry (migration 0013); editors may change a name where
    Canada's usage differs from ISO's.
    """

    code = models.CharField(
        _("country code"),
        max_length=2,
        primary_key=True,
        validators=[iso_country_code],
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("As the Government of Canada writes it: “États-Unis”."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="countries",
        verbose_name=_("region"),
    )
    travel_advice_url = models.URLField(
        _("travel advice"),
        max_length=300,
        blank=True,
        help_text=_("The country's page on travel.gc.ca (voyage.gc.ca in French)."),
    )

    tracks_translations = False

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]

    def __str__(self):
        return self.name or self.code

    def clean(self):
        super().clean()
        given = {
            language: bool(getattr(self, f"travel_advice_url_{language}"))
            for language in LANGUAGES
        }
        if any(given.values()) and not all(given.values()):
            raise ValidationError(
                {
                    f"travel_advice_url_{language}": required_message(language)
                    for language, present in given.items()
                    if not present
                }
            )


class Relationship(Publishable, PageContent):
    """Canada's relationship with one partner country: one page per language."""

    country_code = models.CharField(
        _("country code"),
        max_length=2,
        unique=True,
        validators=[iso_country_code],
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
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relationships",
        verbose_name=_("region"),
        help_text=_("Where the index lists the page; the country's region if empty."),
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
    content_modified_at = models.DateTimeField(
        _("date modified"),
        default=timezone.now,
        editable=False,
        help_text=_("Last real change of the page or of anything shown on it."),
    )
    # The number its rendered content is cached under (relations.cache): any
    # change of what the page shows gives it a new one.
    page_version = models.PositiveBigIntegerField(
        _("page version"), default=1, editable=False
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
    detail_url_name = "relations:relationship_detail"
    # Where the index lists the page is not what the page shows.
    untracked_fields = PageContent.untracked_fields | {"region"}
    draft_children = ("topics", "agreement_links", "organization_links")

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["country_code"]
        permissions = [
            ("publish_relationship", "Can publish, unpublish and archive relationships")
        ]
        constraints = unique_in_each_language("slug", name="relationship_slug")

    def __str__(self):
        return self.title or self.country_code

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "content_modified_at"}
        if self.region_id is None and update_fields is None:
            self.region_id = (
                Country.objects.filter(code=self.country_code)
                .values_list("region", flat=True)
                .first()
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("relations:relationship_detail", kwargs={"slug": self.slug})

    def get_preview_url(self):
        return reverse("relations:relationship_preview", kwargs={"pk": self.pk})

    def pages_showing(self):
        """Its own page, and the pages of the countries its offices also
        serve: they list those offices only while this page is published."""
        if self.pk is None:
            return set()
        served = Relationship.objects.filter(
            country_code__in=self.offices.values("served_countries__country")
        ).values_list("pk", flat=True)
        return {self.pk, *served}

    def shown_objects(self):
        """Return the page and every object whose text it shows, in whatever
        state: its areas of action, agreements, organizations and offices."""
        return [self, *self.translated_parts(), *self.offices.order_by("pk")]

    def mark_pages_modified(self, when):
        self.content_modified_at = when

    def record_modified(self, when):
        super().record_modified(when)
        Relationship.objects.filter(pk=self.pk).update(content_modified_at=when)

    def clean(self):
        super().clean()
        # Its own fields are checked field by field (clean_fields).
        if self.pk is None or not self.must_stay_complete():
            return
        shown = self.missing_in_parts()
        if any(shown.values()):
            raise ValidationError(
                gettext(
                    "Visitors can see this page, so what it shows must be complete "
                    "in English and French (%(missing)s)."
                )
                % {"missing": describe_missing(shown)},
                code="translation",
            )

    def missing_translations(self):
        """Return what the page lacks in each language: its own fields, its
        areas of action and the agreements and organizations it lists."""
        missing = super().missing_translations()
        for language, labels in self.missing_in_parts().items():
            missing[language].extend(labels)
        return missing

    def missing_in_parts(self):
        """Return what its areas of action and listed items lack in each language."""
        missing = {language: [] for language in LANGUAGES}
        for child in self.translated_parts():
            for language, labels in child.missing_translations().items():
                missing[language].extend(
                    gettext("%(kind)s “%(name)s”: %(field)s")
                    % {
                        "kind": child._meta.verbose_name,
                        "name": child.display_name(),
                        "field": label,
                    }
                    for label in labels
                )
        return missing

    def translated_parts(self):
        """Return what the page shows besides its own fields, each translated."""
        return [
            *self.topics.all(),
            *(link.item for link in self.agreement_links.all()),
            *(link.item for link in self.organization_links.all()),
        ]

    def content_fingerprint(self):
        """Return the page's content with its children's, to tell if it changed."""
        children = [
            *self.topics.all(),
            *self.agreement_links.all(),
            *self.organization_links.all(),
        ]
        return (
            self._content(),
            sorted(
                (type(c).__name__, c.pk, sorted(c._content().items())) for c in children
            ),
        )


class RelationshipChild(PageContent):
    """Content that belongs to exactly one relationship page."""

    class Meta:
        abstract = True

    def must_stay_complete(self):
        relationship = getattr(self, "relationship", None)
        return relationship is not None and relationship.must_stay_complete()

    def pages_showing(self):
        # A child moved to another relationship changes both pages.
        ids = {
            self.relationship_id,
            getattr(self, "_saved_content", {}).get("relationship_id"),
        }
        return ids - {None}


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

    def pages_showing(self):
        if self.pk is None:
            return set()
        return set(self.relationships.values_list("pk", flat=True))

    def must_stay_complete(self):
        """True while a page visitors see lists it (published or archived)."""
        return (
            self.pk is not None
            and self.relationships.filter(
                status__in=[Status.PUBLISHED, Status.ARCHIVED]
            ).exists()
        )


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


class ContentVersion(models.Model):
    """A single row every process and instance reads: a number that moves on
    any change of what visitors see, and the next moment a schedule will
    change it. Cached pages are keyed by the number (relations.cache)."""

    number = models.PositiveBigIntegerField(default=1)
    next_change_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("content version")
        verbose_name_plural = _("content versions")

    def __str__(self):
        return str(self.number)
