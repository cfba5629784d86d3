"""The offices as the site search finds them (relations.search): those whose
page visitors may open (consulates.views.office_pages)."""

from relations.search import Source

from .models import Office

OFFICES = Source(
    kind=2,
    model=Office,
    fields={"A": ("name", "city"), "B": ("services",), "C": ("address", "notes")},
    snippet_fields=("city", "address", "services", "notes"),
    related=("relationship",),
)
