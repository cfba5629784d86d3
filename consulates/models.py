from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.models import Publishable, PublishableQuerySet, Status
from relations.models import (
    PageContent,
    Relationship,
    RelationshipChild,
    unique_in_each_language,
)


class PhoneField(models.CharField):
    """A telephone number as people write it: +1 613-555-0100."""

    default_validators = [
        RegexValidator(
            r"^\+?[0-9 ().-]{7,40}\Z",
            _("Enter digits, spaces, dashes, dots or brackets, e.g. +1 613-555-0100."),
        )
    ]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 40)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs


class Office(Publishable, RelationshipChild):
    """A diplomatic or consular office shown on a relationship page."""

    class RunBy(models.TextChoices):
        CANADA = "canada", _("Canada, in the partner country")
        PARTNER = "partner", _("The partner country, in Canada")

    # Global Affairs Canada's office types, in the order sentences list them.
    class Kind(models.TextChoices):
        EMBASSY = "embassy", _("Embassy")
        HIGH_COMMISSION = "high_commission", _("High commission")
        PERMANENT_MISSION = "permanent_mission", _("Permanent mission")
        CONSULATE_GENERAL = "consulate_general", _("Consulate general")
        CONSULATE = "consulate", _("Consulate")
        CONSULAR_AGENCY = "consular_agency", _("Consular agency")
        HONORARY_CONSUL = "honorary_consul", _("Honorary consul")
        OFFICE = "office", _("Office")
        TRADE_OFFICE = "trade_office", _("Trade office")

    relationship = models.ForeignKey(
        "relations.Relationship",
        on_delete=models.CASCADE,
        related_name="offices",
        verbose_name=_("relationship"),
    )
    run_by = models.CharField(_("run by"), max_length=16, choices=RunBy)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(
        _("city"),
        max_length=100,
        help_text=_("As written in a sentence in this language, e.g. “Montréal”."),
    )
    slug = models.SlugField(
        _("slug"),
        max_length=150,
        help_text=_("Last part of the page address: lowercase ASCII and hyphens."),
    )
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    postal_address = models.TextField(
        _("mailing address"),
        blank=True,
        help_text=_("Only if letters go to another address than the street address."),
    )
    phone = PhoneField(_("telephone"))
    emergency_phone = PhoneField(
        _("emergency number"),
        help_text=_(
            "Answered around the clock, e.g. Global Affairs Canada’s Emergency "
            "Watch and Response Centre: +1 613-996-8885."
        ),
    )
    toll_free_phone = PhoneField(
        _("toll-free number"),
        help_text=_("Free to call from the country the office is in."),
    )
    fax = PhoneField(_("fax"))
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    services = models.TextField(
        _("services"),
        blank=True,
        help_text=_("One service per line, e.g. “Passport services”."),
    )
    hours = models.TextField(
        _("hours"),
        blank=True,
        help_text=_(
            "One line per day or group of days, e.g. “Monday to Friday: 9 am to 5 pm”."
        ),
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    content_modified_at = models.DateTimeField(
        _("date modified"),
        default=timezone.now,
        editable=False,
        help_text=_("Last real change of the office's details."),
    )

    # Publishing or withdrawing an office changes the relationship page.
    untracked_fields = RelationshipChild.untracked_fields - {"status"}

    objects = PublishableQuerySet.as_manager()
    detail_url_name = "consulates:office_detail"
    draft_children = ("served_countries",)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        permissions = [("publish_office", "Can publish, unpublish and archive offices")]
        ordering = ["relationship_id", "run_by", "sort_order", "pk"]
        constraints = unique_in_each_language("slug", name="office_slug")

    def __str__(self):
        return self.name or ""

    def get_absolute_url(self):
        return reverse("consulates:office_detail", kwargs={"slug": self.slug})

    def get_preview_url(self):
        return reverse("consulates:office_preview", kwargs={"pk": self.pk})

    def mark_pages_modified(self, when):
        self.content_modified_at = when
        was_published = getattr(self, "_saved_content", {}).get("status")
        if Status.PUBLISHED in {self.status, was_published}:
            super().mark_pages_modified(when)

    def content_fingerprint(self):
        """Its content and the countries it also serves, to tell if it changed."""
        served = sorted(self.served_countries.values_list("country", flat=True))
        return (self._content(), served)

    def pages_showing(self):
        """Its own country's page, and the pages of the countries it serves."""
        served = set()
        if self.pk is not None:
            served = set(
                Relationship.objects.filter(
                    country_code__in=self.served_countries.values("country")
                ).values_list("pk", flat=True)
            )
        return super().pages_showing() | served

    def record_modified(self, when):
        super().record_modified(when)
        Office.objects.filter(pk=self.pk).update(content_modified_at=when)


class ServedCountry(PageContent):
    """A country an office serves besides its own: an embassy accredited to
    neighbouring countries too. The pages of those countries list it."""

    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        related_name="served_countries",
        verbose_name=_("office"),
    )
    country = models.ForeignKey(
        "relations.Country",
        on_delete=models.PROTECT,
        related_name="served_by",
        verbose_name=_("country"),
    )

    class Meta:
        verbose_name = _("country also served")
        verbose_name_plural = _("countries also served")
        ordering = ["office_id", "country_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "country"], name="country_served_once"
            )
        ]

    def __str__(self):
        return str(self.country)

    def clean(self):
        super().clean()
        office = self.office if self.office_id else None
        if self.country_id == "CA":
            raise ValidationError(
                {"country": _("Canada is not a country an office abroad serves.")}
            )
        if (
            office
            and office.relationship_id
            and self.country_id == (office.relationship.country_code)
        ):
            raise ValidationError(
                {"country": _("This is the office’s own country: choose another.")}
            )

    def pages_showing(self):
        # The country's page, and the one it served before a change.
        codes = {
            self.country_id,
            getattr(self, "_saved_content", {}).get("country_id"),
        } - {None}
        pages = set(
            Relationship.objects.filter(country_code__in=codes).values_list(
                "pk", flat=True
            )
        )
        return pages | ({self.office.relationship_id} if self.office_id else set())
