"""The offices' pages in the sitemap."""

from relations.sitemaps import BilingualSitemap

from .views import published_offices


class OfficeSitemap(BilingualSitemap):
    def items(self):
        return published_offices()

    def lastmod(self, office):
        return office.content_modified_at
