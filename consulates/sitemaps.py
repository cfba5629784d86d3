"""The offices' pages in the sitemap."""

from django.db.models import Max

from relations.sitemaps import BilingualSitemap

from .views import published_offices


class OfficeSitemap(BilingualSitemap):
    def items(self):
        return published_offices()

    def lastmod(self, office):
        return office.content_modified_at

    def get_latest_lastmod(self):
        # The index's date for the section, asked of the database.
        return self.items().aggregate(latest=Max("content_modified_at"))["latest"]
