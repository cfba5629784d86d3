from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from relations.models import (
    Publishable,
    PublishableQuerySet,
    RelationshipChild,
    Status,
    unique_in_each_language,
)


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
    phone = models.CharField(
        _("telephone"),
        max_length=40,
        blank=True,
        validators=[
            RegexValidator(
                r"^\+?[0-9 ().-]{7,40}\Z",
                _(
                    "Enter digits, spaces, dashes, dots or brackets, "
                    "e.g. +1 613-555-0100."
                ),
            )
        ],
    )
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    # Publishing or withdrawing an office changes the relationship page.
    untracked_fields = RelationshipChild.untracked_fields - {"status"}

    objects = PublishableQuerySet.as_manager()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        permissions = [("publish_office", "Can publish, unpublish and archive offices")]
        ordering = ["relationship_id", "run_by", "sort_order", "pk"]
        constraints = unique_in_each_language("slug", name="office_slug")

    def __str__(self):
        return self.name or ""

    def get_preview_url(self):
        return self.relationship.get_preview_url()

    def mark_pages_modified(self, when):
        was_published = getattr(self, "_saved_content", {}).get("status")
        if Status.PUBLISHED in {self.status, was_published}:
            super().mark_pages_modified(when)
